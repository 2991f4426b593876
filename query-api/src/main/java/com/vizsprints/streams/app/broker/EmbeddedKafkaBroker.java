package com.vizsprints.streams.app.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A real single-node Apache Kafka broker running in KRaft combined mode (broker + controller in
 * this JVM), built from the Maven Central artifacts. Used by {@code vizsprints broker|demo} and by
 * the integration tests.
 *
 * <p>The data directory is formatted on first use (random cluster id, latest production metadata
 * version); later starts on the same directory reuse the existing cluster id and all topic data.
 * {@link #start(int, Path)} returns only once the broker is registered, unfenced and answering
 * Admin requests.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    /** The node id of the one and only node (it is also the only controller quorum voter). */
    public static final int NODE_ID = 1;

    private static final String HOST = "127.0.0.1";
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    static {
        quietKafkaServerLogging();
    }

    private final KafkaRaftServer server;
    private final int port;
    private final int controllerPort;
    private final Path dataDir;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, int port, int controllerPort, Path dataDir) {
        this.server = server;
        this.port = port;
        this.controllerPort = controllerPort;
        this.dataDir = dataDir;
    }

    /**
     * Starts a broker listening on {@code 127.0.0.1:port} (0 = pick a free port) with its logs in
     * {@code dataDir} (created and formatted if necessary), and waits until it serves requests.
     */
    public static EmbeddedKafkaBroker start(int port, Path dataDir) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Invalid port: " + port);
        }
        Path dir = dataDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create broker data directory " + dir, e);
        }
        int brokerPort = port == 0 ? freePort() : port;
        int controllerPort = freePort(brokerPort);
        String logDir = dir.toString();

        formatIfNeeded(dir, logDir);

        KafkaConfig config = KafkaConfig.fromProps(brokerProperties(brokerPort, controllerPort, logDir), false);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, brokerPort, controllerPort, dir);
        try {
            server.startup();
            broker.awaitReady();
        } catch (RuntimeException | Error e) {
            try {
                broker.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return broker;
    }

    /** {@code 127.0.0.1:PORT}, for clients' {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /** The (resolved, never 0) client port. */
    public int port() {
        return port;
    }

    /** The data (log) directory of this broker. */
    public Path dataDir() {
        return dataDir;
    }

    /** Shuts the broker (and its controller) down and waits for it; safe to call more than once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker[" + bootstrapServers() + ", controller port " + controllerPort
            + ", data " + dataDir + "]";
    }

    // ------------------------------------------------------------------------------------------

    static Properties brokerProperties(int brokerPort, int controllerPort, String logDir) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort + ","
            + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
        p.put("listener.security.protocol.map",
            BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("log.dirs", logDir);
        p.put("metadata.log.dir", logDir);
        // Single node: every internal topic must be creatable with one replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        p.put("delete.topic.enable", "true");
        return p;
    }

    private static void formatIfNeeded(Path dir, String logDir) {
        if (Files.exists(dir.resolve("meta.properties"))) {
            return; // already formatted: keep cluster id and data
        }
        try {
            new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .addDirectory(logDir)
                .setMetadataLogDirectory(logDir)
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setIgnoreFormatted(true)
                .run(); // release version defaults to MetadataVersion.latestProduction()
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady() {
        Map<String, Object> conf = Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
            AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 100);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(conf)) {
            while (System.nanoTime() < deadline) {
                try {
                    Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000))
                        .nodes().get(10, TimeUnit.SECONDS);
                    // The broker only shows up here once it is registered and unfenced, i.e. able
                    // to host partitions (topic creation would fail before that).
                    if (nodes.stream().anyMatch(n -> n.id() == NODE_ID)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    last = e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
                }
            }
        }
        throw new IllegalStateException("Kafka broker at " + bootstrapServers() + " not ready within "
            + READY_TIMEOUT.toSeconds() + "s", last);
    }

    private static int freePort(int... avoid) {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
                int p = s.getLocalPort();
                boolean clash = false;
                for (int a : avoid) {
                    clash |= a == p;
                }
                if (!clash) {
                    return p;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot find a free port on " + HOST, e);
            }
        }
        throw new IllegalStateException("Cannot find a free port on " + HOST);
    }

    /**
     * Lowers the (slf4j-simple) log level of the broker's own loggers to WARN, unless the user
     * configured them, via system properties or simplelogger.properties. Also quiets the config
     * dumps ("... values:") and metrics-reporter chatter; other client and Streams loggers are left
     * alone.
     */
    private static void quietKafkaServerLogging() {
        Properties fileProps = new Properties();
        try (InputStream in = EmbeddedKafkaBroker.class.getClassLoader()
                .getResourceAsStream("simplelogger.properties")) {
            if (in != null) {
                fileProps.load(in);
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort only
        }
        String[] serverLoggers = {
            "kafka", "state.change.logger",
            "org.apache.kafka.server", "org.apache.kafka.controller", "org.apache.kafka.raft",
            "org.apache.kafka.metadata", "org.apache.kafka.image", "org.apache.kafka.queue",
            "org.apache.kafka.snapshot", "org.apache.kafka.storage", "org.apache.kafka.coordinator",
            "org.apache.kafka.network", "org.apache.kafka.security", "org.apache.kafka.logger",
            "org.apache.kafka.common.network", "org.apache.kafka.common.security",
            "org.apache.kafka.clients.NetworkClient", "org.apache.kafka.common.utils.AppInfoParser",
            // The broker dumps its full KafkaConfig (hundreds of lines) through this logger several
            // times per start; clients' "...Config values:" dumps go through it too.
            "org.apache.kafka.common.config.AbstractConfig",
            "org.apache.kafka.common.metrics.Metrics",
        };
        for (String logger : serverLoggers) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null && !fileProps.containsKey(key)) {
                System.setProperty(key, "warn");
            }
        }
    }
}
