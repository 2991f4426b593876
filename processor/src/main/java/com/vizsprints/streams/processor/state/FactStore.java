package com.vizsprints.streams.processor.state;

import com.vizsprints.streams.processor.schema.FactKeys;
import com.vizsprints.streams.processor.schema.IndexKeys;
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
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

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
 * <p>Writes are staged in memory between commits, like Kafka Streams' own record cache: the stream
 * thread reads through them, and Kafka Streams writes them out before every commit ({@link
 * #flushCache}, called from {@code StreamTask.prepareCommit} through the store layers), before a
 * checkpoint ({@link #flush}) and when a task changes hands ({@link #clearCache}). A counter or a
 * user's summary written by every event of a commit interval reaches RocksDB once, and queries
 * (on other threads) read RocksDB only, so they see what the last commit wrote. The changelog is
 * written at once, as always.
 *
 * <p>Nothing derived lives only in memory: staged writes, the filter of event ids the store
 * holds (read from the store when it opens) and what {@link FactDerivation} keeps in memory (a
 * copy of stored values) are dropped and rebuilt on every {@link #init} (Kafka Streams
 * re-initialises the same store object when it revives a task after an aborted transaction,
 * with the store wiped and restored) and on {@link #close}; a dirty close under exactly-once
 * wipes the store, and the changelog holds every fact.
 */
public final class FactStore implements KeyValueStore<Bytes, byte[]>, CachedStateStore<Bytes, byte[]> {
    /** Staged entries beyond which they are written out before the next commit asks for it. */
    static final int MAX_STAGED = 200_000;

    private final KeyValueStore<Bytes, byte[]> rocks;
    private final VouchedOffsets vouched;
    private StagedWrites writes;
    private FactDerivation derivation;
    /** The thread that writes (the stream thread, or the restoring thread before it); queries read on others. */
    private volatile Thread writer;

    /** @param rocks the RocksDB store this one writes to ({@code Stores.persistentKeyValueStore(name).get()}) */
    public FactStore(KeyValueStore<Bytes, byte[]> rocks) {
        this.rocks = rocks;
        this.vouched = new VouchedOffsets(rocks.name());
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        writer = Thread.currentThread();
        vouched.opened();
        rocks.init(new RestoringThroughDerivation(context, (RecordBatchingStateRestoreCallback) this::restoreBatch), root);
        writes = new StagedWrites(rocks, FactKeys.EVENT_ID, IndexKeys.EVENT_BY_USER);
        derivation = new FactDerivation(writes);
        StoreChanges.changed();
    }

    /** Applies facts read back from the changelog, deriving as when they were first written. */
    public void restoreBatch(Collection<ConsumerRecord<byte[], byte[]>> records) {
        writer = Thread.currentThread();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            derivation.apply(Bytes.wrap(r.key()), r.value());
        }
        writes.flush();
        vouched.restored(records);
    }

    @Override
    public void put(Bytes key, byte[] value) {
        writer = Thread.currentThread();
        vouched.written();
        derivation.apply(key, value);
        if (writes.size() + derivation.pendingEntries() > MAX_STAGED) {
            writes.flush();
        }
    }

    /** Writes the staged entries out; Kafka Streams calls it before every commit. */
    @Override
    public void flushCache() {
        writes.flush();
    }

    @Override
    public void clearCache() {
        writes.flush();
        derivation = new FactDerivation(writes);
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<Bytes, byte[]> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        byte[] old = get(key);
        if (old == null && value != null) {
            put(key, value);
        }
        return old;
    }

    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        writer = Thread.currentThread();
        vouched.written();
        for (KeyValue<Bytes, byte[]> kv : entries) {
            derivation.apply(kv.key, kv.value);
        }
        if (writes.size() + derivation.pendingEntries() > MAX_STAGED) {
            writes.flush();
        }
    }

    @Override
    public byte[] delete(Bytes key) {
        byte[] old = get(key);
        put(key, null);
        return old;
    }

    /** The writing thread reads through its staged writes; any other thread reads what was written out. */
    @Override
    public byte[] get(Bytes key) {
        if (Thread.currentThread() != writer) {
            return rocks.get(key);
        }
        byte[] value = writes.get(key);
        if (value == null) {
            writes.rememberAbsent(key);
        }
        return value;
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
        writes.flush();
        rocks.flush();
    }

    /** Commits the changelog offsets the store can vouch for ({@link VouchedOffsets}). */
    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        rocks.commit(rocks.isOpen() ? vouched.committable(changelogOffsets, rocks::committedOffset) : changelogOffsets);
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
        StoreChanges.changed();
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
