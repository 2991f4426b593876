package com.vizsprints.streams.processor.topology;

import com.vizsprints.streams.processor.config.ProcessorConfig;
import com.vizsprints.streams.processor.model.EventRecord;
import com.vizsprints.streams.processor.model.UserRecord;
import com.vizsprints.streams.processor.schema.JsonSerdes;
import com.vizsprints.streams.processor.schema.StateStores;
import com.vizsprints.streams.processor.schema.Topics;
import com.vizsprints.streams.replay.EventsCsv;
import com.vizsprints.streams.replay.UsersCsv;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The processing step alone, on one thread, without a broker: the analytics processor and its
 * facts store (RocksDB, changelog off) over a data set's users and events, spread over
 * partitions as the replay's keys spread them, each task's staged writes flushed every
 * {@code FLUSH_EVERY} of its records, as a commit does. Prints the CPU time per event of each
 * pass over the events (each pass on fresh stores; the first warms the JIT up), the processing
 * thread's and the whole process's (RocksDB's background flushes and compactions run on threads
 * of their own: a change of RocksDB's settings shows only in the second), so a change of
 * the processing step can be measured without the spread of a whole pipeline's run, and the time
 * the stores take to open again over their local state. Run (after
 * {@code mvn -q -DskipTests package}):
 * {@code java -Xmx4g -cp "app/target/test-classes:app/target/lib/*:$HOME/.m2/repository/org/apache/kafka/kafka-streams-test-utils/4.3.1/kafka-streams-test-utils-4.3.1.jar" com.vizsprints.streams.processor.topology.ProcessingStepBenchmark DATA_DIR [PASSES]} (README, "Benchmarks")
 */
public final class ProcessingStepBenchmark {
    private static final int PARTITIONS = 6;
    private static final int FLUSH_EVERY = 3_000;
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Topics topics = Topics.defaults();
        List<Input> users = new ArrayList<>();
        for (UserRecord u : UsersCsv.readAll(data.resolve("users.csv")).records()) {
            users.add(new Input(topics.users(), u.userId(), JsonSerdes.user().serializer().serialize(topics.users(), u)));
        }
        List<Input> events = new ArrayList<>();
        for (EventRecord e : EventsCsv.readAll(data.resolve("events.csv")).records()) {
            events.add(new Input(topics.events(), e.userId(), JsonSerdes.event().serializer().serialize(topics.events(), e)));
        }
        System.out.printf("%d users, %d events, %d partitions, a flush every %d records of a task%n",
                users.size(), events.size(), PARTITIONS, FLUSH_EVERY);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (int pass = 1; pass <= passes; pass++) {
            Path stateDir = Files.createTempDirectory("processing-step");
            Task[] tasks = new Task[PARTITIONS];
            for (int p = 0; p < PARTITIONS; p++) {
                tasks[p] = new Task(topics, stateDir, p);
            }
            feed(tasks, users);
            long cpu0 = cpu.getCurrentThreadCpuTime();
            long process0 = PROCESS.getProcessCpuTime();
            long wall0 = System.nanoTime();
            feed(tasks, events);
            for (Task t : tasks) {
                t.flush();
            }
            long cpuNs = cpu.getCurrentThreadCpuTime() - cpu0;
            long processNs = PROCESS.getProcessCpuTime() - process0;
            long wallNs = System.nanoTime() - wall0;
            System.out.printf("pass %d: %.2f us CPU per event (%.0f events/s of one thread's CPU), wall %.1f s;"
                            + " the whole process %.2f us per event (RocksDB's flushes and compactions, JIT and collector included)%n",
                    pass, cpuNs / 1e3 / events.size(), events.size() / (cpuNs / 1e9), wallNs / 1e9, processNs / 1e3 / events.size());
            long reopen0 = System.nanoTime();
            for (Task t : tasks) {
                t.store.close();
                t.store.init(t.context.getStateStoreContext(), t.store);
            }
            System.out.printf("        reopening the %d stores over their local state: %.2f s%n", PARTITIONS, (System.nanoTime() - reopen0) / 1e9);
            for (Task t : tasks) {
                t.store.close();
            }
            Utils.delete(stateDir.toFile());
        }
    }

    private static void feed(Task[] tasks, List<Input> inputs) {
        for (Input in : inputs) {
            Task t = tasks[Utils.toPositive(Utils.murmur2(in.key.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % PARTITIONS];
            t.context.setRecordMetadata(in.topic, t.partition, t.offset++);
            t.processor.process(new Record<>(in.key, in.value, 0L));
            if (t.offset % FLUSH_EVERY == 0) {
                t.flush();
            }
        }
    }

    private record Input(String topic, String key, byte[] value) {
    }

    /** One partition's processor and store. */
    private static final class Task {
        final int partition;
        final MockProcessorContext<byte[], byte[]> context;
        final KeyValueStore<Bytes, byte[]> store;
        final AnalyticsProcessor processor;
        long offset;

        Task(Topics topics, Path stateDir, int partition) {
            this.partition = partition;
            Properties props = ProcessorConfig.defaults("unused:9092", stateDir, null).streamsProperties();
            context = new MockProcessorContext<>(props, new TaskId(0, partition), stateDir.resolve("0_" + partition).toFile());
            store = StateStores.facts().withLoggingDisabled().build();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
            processor = new AnalyticsProcessor(topics);
            processor.init(context);
        }

        /** What a commit does to the store first: writes its staged entries out. */
        void flush() {
            ((WrappedStateStore<?, ?, ?>) store).flushCache();
        }
    }
}
