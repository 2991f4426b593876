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
import com.vizsprints.streams.replay.ReplayApp;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code vizsprints cluster}: a local multi-process deployment. Starts {@code --brokers} KRaft
 * nodes (one {@code vizsprints broker} process each, combined broker + controller, static voters),
 * then {@code --instances} application processes ({@code vizsprints serve}) sharing one
 * application id, replays a data folder, and serves until Ctrl-C, when it stops every child
 * (SIGTERM, then SIGKILL after a grace period). Children's output goes to {@code DIR/logs/}; broker
 * data, application state and the cluster id persist under {@code DIR}, so a second run resumes.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = "Local multi-broker KRaft cluster + application instances + replay, as child processes, until Ctrl-C.")
final class ClusterCommand implements Callable<Integer> {
    /** Replication factor of the pipeline's topics (and Kafka's internal topics) with 3+ brokers. */
    static final int REPLICATION_FACTOR = EmbeddedKafkaBroker.CLUSTER_REPLICATION_FACTOR;
    /** {@code min.insync.replicas} of the pipeline's topics with 3+ brokers. */
    static final int MIN_INSYNC_REPLICAS = EmbeddedKafkaBroker.CLUSTER_MIN_INSYNC_REPLICAS;
    static final int PARTITIONS = 6;
    static final int STANDBY_REPLICAS = 1;
    static final int DEFAULT_BROKERS = 3;
    static final int DEFAULT_INSTANCES = 2;
    static final int DEFAULT_BASE_PORT = 19092;
    static final int DEFAULT_HTTP_PORT = 5000;
    static final String DEFAULT_DIR = "./.vizsprints/cluster";
    /** Node i (1-based) listens on base-port + i - 1 and its controller on base-port + 100 + i - 1. */
    static final int CONTROLLER_PORT_OFFSET = 100;
    static final String BROKER_READY = "Kafka broker ready at";
    static final String APP_READY = "VizSprints Streams API at";
    static final List<String> FLAGS = List.of("brokers", "instances", "base-port", "http-port", "dir", "data");

    private static final Duration BROKER_TIMEOUT = Duration.ofSeconds(150);
    private static final Duration APP_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;
    @Option(names = "--brokers", paramLabel = "N", defaultValue = "" + DEFAULT_BROKERS, description = "Kafka brokers (default ${DEFAULT-VALUE})")
    int brokersOption;
    @Option(names = "--instances", paramLabel = "N", defaultValue = "" + DEFAULT_INSTANCES,
            description = "application instances (default ${DEFAULT-VALUE})")
    int instancesOption;
    @Option(names = "--base-port", paramLabel = "PORT", defaultValue = "" + DEFAULT_BASE_PORT,
            description = "broker i listens on PORT+i-1, its controller on PORT+100+i-1 (default ${DEFAULT-VALUE})")
    int basePortOption;
    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "" + DEFAULT_HTTP_PORT,
            description = "instance i serves HTTP on PORT+i-1 (default ${DEFAULT-VALUE})")
    int httpPortOption;
    @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR, description = "data, state and logs (default ${DEFAULT-VALUE})")
    Path dirOption;
    @Option(names = "--data", paramLabel = "DIR", description = "folder holding users.csv and events.csv to replay (default: the sample data)")
    Path dataOption;
    @Mixin
    ConfigOption config = new ConfigOption();

    private final PrintStream out;

    ClusterCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        int brokers = atLeast("--brokers", brokersOption, 1);
        int instances = atLeast("--instances", instancesOption, 1);
        int basePort = port("--base-port", basePortOption, brokers + CONTROLLER_PORT_OFFSET);
        int httpPort = port("--http-port", httpPortOption, instances);
        Path dir = dirOption.toAbsolutePath().normalize();
        Path data = dataDir();
        int rf = Math.min(REPLICATION_FACTOR, brokers);

        Files.createDirectories(dir);
        String clusterId = clusterId(dir);
        String voters = IntStream.rangeClosed(1, brokers)
            .mapToObj(i -> i + "@127.0.0.1:" + (basePort + CONTROLLER_PORT_OFFSET + i - 1)).collect(Collectors.joining(","));
        String bootstrap = IntStream.rangeClosed(1, brokers)
            .mapToObj(i -> "127.0.0.1:" + (basePort + i - 1)).collect(Collectors.joining(","));

        List<ChildJvm> nodes = new CopyOnWriteArrayList<>();
        List<ChildJvm> apps = new CopyOnWriteArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            stopping.set(true);
            out.println("Stopping " + apps.size() + " application and " + nodes.size() + " broker processes ...");
            long t = System.nanoTime();
            stopQuietly(apps, nodes);
            out.printf("Stopped in %.1f s.%n", seconds(t));
            stopped.countDown();
        }, "vizsprints-cluster-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            long t0 = System.nanoTime();
            for (int i = 1; i <= brokers; i++) {
                nodes.add(ChildJvm.start("broker-" + i, dir.resolve("logs/broker-" + i + ".log"), List.of("broker",
                    "--node-id", Integer.toString(i), "--port", Integer.toString(basePort + i - 1),
                    "--controller-port", Integer.toString(basePort + CONTROLLER_PORT_OFFSET + i - 1),
                    "--voters", voters, "--cluster-id", clusterId, "--dir", dir.resolve("broker-" + i).toString())));
            }
            for (ChildJvm node : nodes) {
                out.println(node.awaitLine(BROKER_READY, BROKER_TIMEOUT).trim());
            }
            out.printf("Kafka cluster of %d brokers ready in %.1f s: %s (cluster id %s)%n",
                brokers, seconds(t0), bootstrap, clusterId);

            long t1 = System.nanoTime();
            for (int i = 1; i <= instances; i++) {
                apps.add(ChildJvm.start("app-" + i, dir.resolve("logs/app-" + i + ".log"), List.of("serve",
                    "--bootstrap-servers", bootstrap, "--port", Integer.toString(httpPort + i - 1),
                    "--state-dir", dir.resolve("app-" + i).toString(), "--replication-factor", Integer.toString(rf),
                    "--partitions", Integer.toString(PARTITIONS), "--standby-replicas", Integer.toString(STANDBY_REPLICAS))));
            }
            for (ChildJvm app : apps) {
                app.awaitLine(APP_READY, APP_TIMEOUT);
            }
            out.printf("%d application instances up in %.1f s%n", instances, seconds(t1));
        } catch (Exception | Error e) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C during startup: the hook is stopping the children already
            }
            stopQuietly(apps, nodes);
            throw e;
        }

        replay(data, bootstrap, rf, out);

        out.println();
        out.println("VizSprints Streams cluster: " + brokers + " Kafka brokers at " + bootstrap);
        for (int i = 0; i < instances; i++) {
            String base = "http://127.0.0.1:" + (httpPort + i);
            out.println("  app-" + (i + 1) + ": " + base + "/  (API " + base + "/api/metrics, health " + base + "/api/health)");
        }
        out.println("Logs in " + dir.resolve("logs") + " (NAME.log: a process's console, NAME.kafka.log: its Kafka logs)."
            + " Ctrl-C to stop.");
        watch(nodes, apps, stopped, stopping, out);
        return 0;
    }

    private static void replay(Path data, String bootstrap, int rf, PrintStream out) {
        if (data == null) {
            out.println("No --data given and no sample data found: nothing replayed.");
            return;
        }
        int status = ReplayApp.run(new String[]{"--bootstrap-servers", bootstrap,
            "--users", data.resolve("users.csv").toString(), "--events", data.resolve("events.csv").toString(),
            "--partitions", Integer.toString(PARTITIONS), "--replication-factor", Integer.toString(rf)}, out, System.err);
        if (status != ReplayApp.EXIT_OK) {
            out.println("replay exited with status " + status + " (see above); serving what was accepted");
        }
    }

    /** Blocks until the shutdown hook has run, reporting each child that exits on its own once. */
    private static void watch(List<ChildJvm> nodes, List<ChildJvm> apps, CountDownLatch stopped, AtomicBoolean stopping,
                              PrintStream out) throws InterruptedException {
        Set<ChildJvm> reported = new HashSet<>();
        while (!stopped.await(1, TimeUnit.SECONDS)) {
            List<ChildJvm> all = new ArrayList<>(nodes);
            all.addAll(apps);
            for (ChildJvm c : all) {
                if (!stopping.get() && !c.isAlive() && reported.add(c)) {
                    out.println("warning: " + c.name() + " exited with status " + c.exitValue() + "; see " + c.log());
                }
            }
        }
    }

    private static void stopQuietly(List<ChildJvm> apps, List<ChildJvm> nodes) {
        try {
            ChildJvm.stopAll(apps, STOP_GRACE);
            ChildJvm.stopAll(nodes, STOP_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The cluster id kept in DIR/cluster-id, created on first use so that restarts find their data. */
    private static String clusterId(Path dir) throws IOException {
        Path file = dir.resolve("cluster-id");
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        String id = EmbeddedKafkaBroker.newClusterId();
        Files.writeString(file, id + System.lineSeparator(), StandardCharsets.UTF_8);
        return id;
    }

    /** --data, else the sample data located like {@code demo} does; null (no replay) when that is absent. */
    private Path dataDir() {
        Path given = dataOption;
        Path data = given != null ? given : DemoCommand.sampleDataDir();
        boolean complete = Files.isRegularFile(data.resolve("users.csv")) && Files.isRegularFile(data.resolve("events.csv"));
        if (!complete && given != null) {
            throw Cli.usage(spec, "--data " + data + " must hold users.csv and events.csv");
        }
        return complete ? data.toAbsolutePath() : null;
    }

    private int atLeast(String name, int n, int min) {
        if (n < min) {
            throw Cli.usage(spec, name + " must be at least " + min + ", got " + n);
        }
        return n;
    }

    /** A port such that port .. port + span - 1 are all valid. */
    private int port(String name, int p, int span) {
        if (p < 1 || p + span - 1 > 65535) {
            throw Cli.usage(spec, name + " " + p + " leaves no room for " + span + " ports below 65536");
        }
        return p;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
