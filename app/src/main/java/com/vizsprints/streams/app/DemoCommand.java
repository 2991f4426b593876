package com.vizsprints.streams.app;

import com.vizsprints.streams.app.broker.EmbeddedKafkaBroker;
import com.vizsprints.streams.cli.Cli;
import com.vizsprints.streams.cli.ConfigOption;
import com.vizsprints.streams.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import com.vizsprints.streams.processor.config.ProcessorConfig;
import com.vizsprints.streams.processor.schema.TopicSetup;
import com.vizsprints.streams.query.http.ApiOptions;
import com.vizsprints.streams.replay.ReplayOptions;
import com.vizsprints.streams.replay.ReplaySummary;
import com.vizsprints.streams.replay.ReplayTool;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import java.util.stream.Stream;

/**
 * {@code vizsprints demo}: a fresh embedded broker, the application, and a replay of a data
 * folder, serving until Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = "Embedded broker + processor + API + replay of DIR (default: the sample data), serving until Ctrl-C.")
final class DemoCommand implements Callable<Integer> {
    /** Set by the launcher script to the project root. */
    static final String HOME_PROPERTY = "vizsprints.home";

    @Spec
    CommandSpec spec;
    @Option(names = "--data", paramLabel = "DIR", description = "folder holding users.csv and events.csv (default: the sample data)")
    Path given;
    @Option(names = "--port", defaultValue = "5000", description = "HTTP port (default ${DEFAULT-VALUE})")
    int port;
    @Option(names = "--partitions", paramLabel = "N", defaultValue = "" + TopicSetup.DEFAULT_PARTITIONS,
            description = "partitions of the input topics (default ${DEFAULT-VALUE})")
    int partitions;
    @Mixin
    ConfigOption config = new ConfigOption();

    private final PrintStream out;

    DemoCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        Path data = given != null ? given : sampleDataDir();
        Path users = data.resolve("users.csv");
        Path events = data.resolve("events.csv");
        if (!Files.isRegularFile(users) || !Files.isRegularFile(events)) {
            throw Cli.usage(spec, given != null ? "--data " + data + " must hold users.csv and events.csv"
                : "the sample data folder " + data + " (the default of --data) must hold users.csv and events.csv");
        }
        if (port < 0 || port > 65535) {
            throw Cli.usage(spec, "--port must be from 0 to 65535, got " + port);
        }
        if (partitions < 1) {
            throw Cli.usage(spec, "--partitions must be at least 1, got " + partitions);
        }
        Path work = Files.createTempDirectory("vizsprints-demo-");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, work.resolve("broker"));
        ProcessorConfig processor = ProcessorConfig.defaults(broker.bootstrapServers(), work.resolve("state"), null);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicReference<KafkaStreams.State> failed = new AtomicReference<>();
        AnalyticsApplication app = AnalyticsApplication.start(new AnalyticsApplication.Settings(
                processor, "127.0.0.1", port, partitions, ApiOptions.open()), state -> {
                    failed.set(state);
                    stopped.countDown();
                });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            broker.close();
            deleteQuietly(work);
            stopped.countDown();
        }, "vizsprints-demo-shutdown"));

        out.println("Dashboard: http://127.0.0.1:" + app.port() + "/  (live; figures appear as the replay below is processed)");
        out.println("Embedded Kafka broker at " + broker.bootstrapServers());
        out.println(LogFile.consoleLine());
        if (!app.awaitRunning(Duration.ofMinutes(2))) {
            throw new IllegalStateException("stream processing did not reach RUNNING: " + app.streams().state());
        }
        ReplaySummary replay = ReplayTool.run(new ReplayOptions(broker.bootstrapServers(), users, events, partitions, 1,
                processor.topics()));
        replay.report().forEach(out::println);
        replay.rejectedRows().forEach(r -> out.println(r));
        if (!replay.clean()) {
            out.println("replay reported rejected rows (see above); serving what was accepted");
        }
        String base = "http://127.0.0.1:" + app.port();
        VisibilityWatch.await(base, replay.published(), Duration.ofMinutes(5), out);
        out.println();
        out.println("VizSprints Streams demo is serving " + base + "/api/metrics  (all endpoints under " + base + "/api/)");
        out.println("Ctrl-C to stop.");
        stopped.await();
        if (failed.get() != null) {
            out.println(ServeCommand.STREAMS_FAILED + " (state " + failed.get() + "); the demo ends");
            return ServeCommand.STREAMS_FAILED_EXIT;
        }
        return 0;
    }

    /**
     * The repository's sample data, {@code data/sample} under the project root (the launcher's
     * folder, {@value #HOME_PROPERTY}; the working directory when that is not set).
     */
    static Path sampleDataDir() {
        Path home = Path.of(System.getProperty(HOME_PROPERTY, "."));
        return home.toAbsolutePath().normalize().resolve("data").resolve("sample");
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
