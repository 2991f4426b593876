package com.vizsprints.streams.app;

import com.vizsprints.streams.app.broker.EmbeddedKafkaBroker;
import com.vizsprints.streams.processor.config.ProcessorConfig;
import com.vizsprints.streams.processor.schema.TopicSetup;
import com.vizsprints.streams.query.http.ApiOptions;
import com.vizsprints.streams.replay.ReplayApp;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import java.util.stream.Stream;

/**
 * {@code vizsprints demo}: a fresh embedded broker, the application, and a replay of a data
 * folder, serving until Ctrl-C.
 */
final class DemoCommand {
    /** Set by the launcher script to the project root. */
    static final String HOME_PROPERTY = "vizsprints.home";

    private DemoCommand() {
    }

    static int run(String[] args, PrintStream out) throws Exception {
        Flags f = new Flags("demo", args, List.of("data", "port", "partitions"));
        Path data = Path.of(f.get("data", defaultDataDir().toString()));
        Path users = data.resolve("users.csv");
        Path events = data.resolve("events.csv");
        if (!Files.isRegularFile(users) || !Files.isRegularFile(events)) {
            throw new Flags.UsageException("--data " + data + " must hold users.csv and events.csv");
        }
        int partitions = f.getInt("partitions", TopicSetup.DEFAULT_PARTITIONS);
        Path work = Files.createTempDirectory("vizsprints-demo-");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, work.resolve("broker"));
        ProcessorConfig processor = ProcessorConfig.defaults(broker.bootstrapServers(), work.resolve("state"), null);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicReference<KafkaStreams.State> failed = new AtomicReference<>();
        AnalyticsApplication app = AnalyticsApplication.start(new AnalyticsApplication.Settings(
                processor, "127.0.0.1", f.getInt("port", 5000), partitions, ApiOptions.open()), state -> {
                    failed.set(state);
                    stopped.countDown();
                });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            broker.close();
            deleteQuietly(work);
            stopped.countDown();
        }, "vizsprints-demo-shutdown"));

        out.println("Embedded Kafka broker at " + broker.bootstrapServers());
        if (!app.awaitRunning(Duration.ofMinutes(2))) {
            throw new IllegalStateException("stream processing did not reach RUNNING: " + app.streams().state());
        }
        int replayed = ReplayApp.run(new String[]{"--bootstrap-servers", broker.bootstrapServers(),
                "--users", users.toString(), "--events", events.toString(), "--partitions", Integer.toString(partitions)}, out, System.err);
        if (replayed != 0) {
            out.println("replay reported rejected rows (see above); serving what was accepted");
        }
        String base = "http://127.0.0.1:" + app.port();
        out.println();
        out.println("VizSprints Streams demo is serving " + base + "/api/metrics  (all endpoints under " + base + "/api/)");
        out.println("Watch " + base + "/api/health until pending_records is 0. Ctrl-C to stop.");
        stopped.await();
        if (failed.get() != null) {
            out.println(ServeCommand.STREAMS_FAILED + " (state " + failed.get() + "); the demo ends");
            return ServeCommand.STREAMS_FAILED_EXIT;
        }
        return 0;
    }

    private static Path defaultDataDir() {
        Path home = Path.of(System.getProperty(HOME_PROPERTY, "."));
        return home.toAbsolutePath().normalize().resolveSibling("shared").resolve("data").resolve("sample");
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
