package com.vizsprints.streams.processor.topology;

import com.vizsprints.streams.processor.model.EventRecord;
import com.vizsprints.streams.processor.model.UserRecord;
import com.vizsprints.streams.processor.schema.JsonSerdes;
import com.vizsprints.streams.processor.schema.StateStores;
import com.vizsprints.streams.processor.schema.Topics;
import com.vizsprints.streams.processor.state.FactStore;
import com.vizsprints.streams.processor.state.FactStoreSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A task revived in place after an aborted transaction, as Kafka Streams does it under
 * exactly-once ({@code TaskManager.closeDirtyAndRevive}): the same processor and store objects,
 * the store closed, wiped, re-initialised and restored from the changelog up to the last commit,
 * then the aborted records processed again. Nothing may be counted twice: the store must end
 * byte for byte as if every record had been processed once.
 */
class TaskReviveTest {
    private final Topics topics = Topics.defaults();
    @TempDir
    Path temp;

    @Test
    void aRevivedTaskCountsTheReprocessedRecordsOnce() throws IOException {
        List<Input> committed = inputs(0, 40);
        List<Input> aborted = inputs(40, 80);

        Task once = new Task(Files.createDirectory(temp.resolve("once")));
        committed.forEach(once::process);
        aborted.forEach(once::process);

        Task revived = new Task(Files.createDirectory(temp.resolve("revived")));
        committed.forEach(revived::process);
        List<KeyValue<Bytes, byte[]>> changelogAtCommit = revived.changelog();
        Map<String, String> atCommit = revived.contents();
        aborted.forEach(revived::process);
        assertNotEquals(atCommit, revived.contents(), "the aborted records changed the store before the abort");

        revived.closeDirtyWipeAndRestore(changelogAtCommit);
        assertEquals(atCommit, revived.contents(), "restored to the last commit, derived entries included");
        aborted.forEach(revived::process);

        assertEquals(once.contents(), revived.contents());
        once.close();
        revived.close();
    }

    @Test
    void aTaskReopenedOverItsLocalStateKnowsTheEventIdsItHolds() throws IOException {
        List<Input> before = inputs(0, 40);
        List<Input> after = inputs(40, 80);
        // the events after the restart repeat event ids stored before it
        List<Input> repeated = inputs(20, 40).stream().filter(in -> in.topic().equals(topics.events())).toList();

        Task once = new Task(Files.createDirectory(temp.resolve("once")));
        before.forEach(once::process);
        after.forEach(once::process);
        repeated.forEach(once::process);

        Task reopened = new Task(Files.createDirectory(temp.resolve("reopened")));
        before.forEach(reopened::process);
        reopened.closeCleanAndReopen();
        after.forEach(reopened::process);
        repeated.forEach(reopened::process);

        assertEquals(once.contents(), reopened.contents());
        once.close();
        reopened.close();
    }

    private record Input(String topic, String key, byte[] value) {
    }

    /** Users u0..u9 and events e{from}..e{to-1} spread over them, a few days apart, with a duplicate every 7th. */
    private List<Input> inputs(int from, int to) {
        List<Input> in = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String user = "u" + (i % 10);
            if (i < 10) {
                UserRecord u = new UserRecord(user, "2023-01-0" + (1 + i % 9) + "T00:00:00Z", "Mobile", "US",
                        i % 2 == 0 ? "Premium" : "Free", i % 3 == 0 ? "A" : "B", i);
                in.add(new Input(topics.users(), user, JsonSerdes.user().serializer().serialize(topics.users(), u)));
            }
            String name = List.of("signup_success", "view_dashboard", "complete_task", "invite_user", "other").get(i % 5);
            // later events of a user are sometimes older than earlier ones (out of order)
            String ts = String.format("2023-%02d-%02dT%02d:%02d:00Z", 1 + (i * 7) % 3, 1 + (i * 13) % 28, i % 24, (i * 11) % 60);
            String id = "e" + (i % 7 == 6 ? i - 1 : i);
            EventRecord e = new EventRecord(id, user, name, ts, "{}", i);
            in.add(new Input(topics.events(), user, JsonSerdes.event().serializer().serialize(topics.events(), e)));
        }
        return in;
    }

    /** One task: the processor and its facts store, with the changelog the store would write. */
    private final class Task {
        private final Path dir;
        private final FactStore store;
        private final Changelogged logged;
        private final MockProcessorContext<byte[], byte[]> context;
        private final AnalyticsProcessor processor = new AnalyticsProcessor(topics);
        private long offset;

        Task(Path dir) {
            this.dir = dir;
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "revive-test");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            context = new MockProcessorContext<>(props, new TaskId(0, 0), dir.toFile());
            store = (FactStore) new FactStoreSupplier(StateStores.FACTS).get();
            logged = new Changelogged(store);
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(logged);
            processor.init(context);
        }

        void process(Input in) {
            context.setRecordMetadata(in.topic(), 0, offset++);
            processor.process(new Record<>(in.key(), in.value(), 0L));
        }

        List<KeyValue<Bytes, byte[]>> changelog() {
            return List.copyOf(logged.log);
        }

        /** What TaskManager.closeDirtyAndRevive does to the task's state, then the restore and re-init. */
        void closeDirtyWipeAndRestore(List<KeyValue<Bytes, byte[]>> changelogAtCommit) throws IOException {
            store.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(p -> p.toFile().delete());
            }
            StateStoreContext storeContext = context.getStateStoreContext();
            store.init(storeContext, store);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (KeyValue<Bytes, byte[]> kv : changelogAtCommit) {
                records.add(new ConsumerRecord<>("changelog", 0, records.size(), kv.key.get(), kv.value));
            }
            store.restoreBatch(records);
            logged.log.clear();
            logged.log.addAll(changelogAtCommit);
            processor.init(context);
        }

        /** A clean close (staged writes written out, as at a commit) and a re-init over the same local state, no restore. */
        void closeCleanAndReopen() {
            store.flushCache();
            store.close();
            store.init(context.getStateStoreContext(), store);
            processor.init(context);
        }

        /** Every entry of the store, facts and derived, as hex. */
        Map<String, String> contents() {
            store.flushCache(); // as Kafka Streams does before every commit
            Map<String, String> all = new LinkedHashMap<>();
            try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
                it.forEachRemaining(kv -> all.put(kv.key.toString(), Bytes.wrap(kv.value).toString()));
            }
            return all;
        }

        void close() {
            store.close();
        }
    }

    /** The facts store as the processor sees it, recording what the changelog layer would send. */
    private static final class Changelogged implements KeyValueStore<Bytes, byte[]> {
        private final FactStore store;
        private final List<KeyValue<Bytes, byte[]>> log = new ArrayList<>();

        Changelogged(FactStore store) {
            this.store = store;
        }

        @Override
        public void put(Bytes key, byte[] value) {
            store.put(key, value);
            log.add(KeyValue.pair(key, value));
        }

        @Override
        public byte[] putIfAbsent(Bytes key, byte[] value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
            entries.forEach(kv -> put(kv.key, kv.value));
        }

        @Override
        public byte[] delete(Bytes key) {
            byte[] old = store.delete(key);
            log.add(KeyValue.pair(key, null));
            return old;
        }

        @Override
        public String name() {
            return store.name();
        }

        @Override
        public void init(StateStoreContext context, StateStore root) {
            throw new UnsupportedOperationException("initialised through the store it wraps");
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public boolean persistent() {
            return true;
        }

        @Override
        public boolean isOpen() {
            return store.isOpen();
        }

        @Override
        public byte[] get(Bytes key) {
            return store.get(key);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
            return store.range(from, to);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> all() {
            return store.all();
        }

        @Override
        public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS serializer) {
            return store.prefixScan(prefix, serializer);
        }

        @Override
        public long approximateNumEntries() {
            return store.approximateNumEntries();
        }
    }
}
