package com.vizsprints.streams.processor.state;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.CommitCallback;
import org.apache.kafka.streams.processor.StateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.io.File;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one changelogged store of the topology: the processor writes facts (profiles, events,
 * its own counters), the changelog carries only those, and this store derives everything else
 * ({@link FactDerivation}) into the same RocksDB, in the same batch as the fact. Facts read
 * back from the changelog, when a task restores or a standby replica follows the active one,
 * are derived by the same code: Kafka Streams restores through the callback this store
 * registers in place of RocksDB's own.
 *
 * <p>Nothing derived lives only in memory: what {@link FactDerivation} keeps in memory is a copy
 * of stored values, dropped on every {@link #init} (Kafka Streams re-initialises the same store
 * object when it revives a task after an aborted transaction, with the store wiped and
 * restored) and on {@link #close}.
 */
public final class FactStore implements KeyValueStore<Bytes, byte[]> {
    private final KeyValueStore<Bytes, byte[]> rocks;
    private StagedWrites writes;
    private FactDerivation derivation;

    /** @param rocks the RocksDB store this one writes to ({@code Stores.persistentKeyValueStore(name).get()}) */
    public FactStore(KeyValueStore<Bytes, byte[]> rocks) {
        this.rocks = rocks;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        writes = new StagedWrites(rocks);
        derivation = new FactDerivation(writes);
        rocks.init(new RestoringThroughDerivation(context, (RecordBatchingStateRestoreCallback) this::restoreBatch), root);
    }

    /** Applies facts read back from the changelog, deriving as when they were first written. */
    public void restoreBatch(Collection<ConsumerRecord<byte[], byte[]>> records) {
        for (ConsumerRecord<byte[], byte[]> r : records) {
            derivation.apply(Bytes.wrap(r.key()), r.value());
        }
        writes.flush();
    }

    @Override
    public void put(Bytes key, byte[] value) {
        derivation.apply(key, value);
        writes.flush();
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        byte[] old = rocks.get(key);
        if (old == null && value != null) {
            put(key, value);
        }
        return old;
    }

    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        for (KeyValue<Bytes, byte[]> kv : entries) {
            derivation.apply(kv.key, kv.value);
        }
        writes.flush();
    }

    @Override
    public byte[] delete(Bytes key) {
        byte[] old = rocks.get(key);
        put(key, null);
        return old;
    }

    @Override
    public byte[] get(Bytes key) {
        return rocks.get(key);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return rocks.range(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        return rocks.reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return rocks.all();
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        return rocks.reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
        return rocks.prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return rocks.approximateNumEntries();
    }

    @Override
    public String name() {
        return rocks.name();
    }

    @Override
    public void flush() {
        rocks.flush();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        rocks.commit(changelogOffsets);
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return rocks.committedOffset(partition);
    }

    @Override
    @SuppressWarnings("deprecation")
    public boolean managesOffsets() {
        return rocks.managesOffsets();
    }

    @Override
    public void close() {
        if (writes != null) {
            writes.discard();
        }
        derivation = null;
        rocks.close();
    }

    @Override
    public boolean persistent() {
        return rocks.persistent();
    }

    @Override
    public boolean isOpen() {
        return rocks.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return rocks.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
        return rocks.getPosition();
    }

    /**
     * The context RocksDB is initialised with: the task's own, except that the restore callback
     * RocksDB registers is replaced by this store's, so restored facts are derived too.
     */
    private record RestoringThroughDerivation(StateStoreContext context, StateRestoreCallback restore)
            implements StateStoreContext {
        @Override
        public void register(StateStore store, StateRestoreCallback ignored) {
            context.register(store, restore);
        }

        @Override
        public void register(StateStore store, StateRestoreCallback ignored, CommitCallback commitCallback) {
            context.register(store, restore, commitCallback);
        }

        @Override
        public String applicationId() {
            return context.applicationId();
        }

        @Override
        public TaskId taskId() {
            return context.taskId();
        }

        @Override
        public Optional<RecordMetadata> recordMetadata() {
            return context.recordMetadata();
        }

        @Override
        public Serde<?> keySerde() {
            return context.keySerde();
        }

        @Override
        public Serde<?> valueSerde() {
            return context.valueSerde();
        }

        @Override
        public File stateDir() {
            return context.stateDir();
        }

        @Override
        public StreamsMetrics metrics() {
            return context.metrics();
        }

        @Override
        public Map<String, Object> appConfigs() {
            return context.appConfigs();
        }

        @Override
        public Map<String, Object> appConfigsWithPrefix(String prefix) {
            return context.appConfigsWithPrefix(prefix);
        }
    }
}
