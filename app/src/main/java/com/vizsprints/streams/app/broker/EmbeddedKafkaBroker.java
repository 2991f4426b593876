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
 *
 * <p>{@link #start(ClusterNode)} runs one node of a multi-node cluster instead: every node is a
 * combined broker + controller, the controller quorum is the static voter list given to all nodes,
 * and every node's directory is formatted with the same cluster id. Internal topics are replicated
 * {@value #CLUSTER_REPLICATION_FACTOR} ways with {@value #CLUSTER_MIN_INSYNC_REPLICAS} in-sync
 * replicas required (fewer with fewer voters). It returns once this node is registered, unfenced and
 * answering Admin requests through its own listener, which needs a majority of the voters running.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    /** The node id of the one and only node (it is also the only controller quorum voter). */
    public static final int NODE_ID = 1;

    private static final String HOST = "127.0.0.1";
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    /** Cluster mode: how long a node waits for a quorum before its start fails (never forever). */
    private static final int CLUSTER_READY_TIMEOUT_SECONDS = 120;
    private static final Duration CLUSTER_READY_TIMEOUT = Duration.ofSeconds(CLUSTER_READY_TIMEOUT_SECONDS);

    /**
     * The {@code transaction.version} feature a new data directory is formatted with. Version 1
     * (the transaction protocol before KIP-890 part 2), not Kafka 4.x's default 2: with version 2
     * the broker bumps the producer epoch on every commit, and each exactly-once commit of Kafka
     * Streams then logs {@code OutOfOrderSequenceException ... Expected sequence 0 for transactions
     * v2 idempotent producer with no existing state} on the broker and
     * {@code OUT_OF_ORDER_SEQUENCE_NUMBER} retries on the client (KAFKA-18202, KAFKA-18654,
     * KAFKA-20000): harmless, but noise that hides real errors, and measured no faster. A
     * directory formatted earlier keeps the version it was formatted with.
     */
    public static final short DEFAULT_TRANSACTION_VERSION = 1;
    /** The name of the transaction protocol feature. */
    public static final String TRANSACTION_VERSION_FEATURE = "transaction.version";

    /** Cluster mode: replication factor of internal topics and the default for new topics. */
    public static final int CLUSTER_REPLICATION_FACTOR = 3;
    /** Cluster mode: {@code min.insync.replicas} (brokers' default and internal topics). */
    public static final int CLUSTER_MIN_INSYNC_REPLICAS = 2;

    /**
     * One node of a static-quorum cluster.
     *
     * @param nodeId         this node's id; must be one of the voters
     * @param port           client (PLAINTEXT) port on 127.0.0.1, 0 = pick a free one
     * @param controllerPort controller port on 127.0.0.1; must equal this node's port in {@code voters}
     * @param voters         {@code controller.quorum.voters}, e.g. {@code 1@127.0.0.1:19192,2@127.0.0.1:19193}
     * @param clusterId      the cluster id (Kafka base64 UUID) formatted into every node's directory
     * @param dataDir        this node's log directory (also its metadata log directory)
     */
    public record ClusterNode(int nodeId, int port, int controllerPort, String voters, String clusterId, Path dataDir) {
        public ClusterNode {
            if (nodeId < 0) {
                throw new IllegalArgumentException("Invalid node id: " + nodeId);
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("Invalid port: " + port);
            }
            Map<Integer, Integer> voterPorts = parseVoters(voters);
            Integer voterPort = voterPorts.get(nodeId);
            if (voterPort == null) {
                throw new IllegalArgumentException("Node " + nodeId + " is not in the voters " + voters);
            }
            if (controllerPort != voterPort) {
                throw new IllegalArgumentException("Controller port " + controllerPort + " of node " + nodeId
                    + " differs from its voter entry port " + voterPort + " in " + voters);
            }
            if (controllerPort == port) {
                throw new IllegalArgumentException("Client and controller port are both " + port);
            }
            try {
                Uuid.fromString(clusterId);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("Invalid cluster id '" + clusterId
                    + "' (expected a 22-character base64 Kafka UUID)", e);
            }
            dataDir = dataDir.toAbsolutePath().normalize();
        }

        /** Number of controller quorum voters (= number of nodes). */
        public int voterCount() {
            return parseVoters(voters).size();
        }
    }

    static {
        quietKafkaServerLogging();
    }

    private final KafkaRaftServer server;
    private final int nodeId;
    private final int port;
    private final int controllerPort;
    private final Path dataDir;
    /** The SASL_PLAINTEXT (PLAIN) listener's port, or -1 when there is none. */
    private int saslPort = -1;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, int nodeId, int port, int controllerPort, Path dataDir) {
        this.server = server;
        this.nodeId = nodeId;
        this.port = port;
        this.controllerPort = controllerPort;
        this.dataDir = dataDir;
    }

    /**
     * Starts a broker listening on {@code 127.0.0.1:port} (0 = pick a free port) with its logs in
     * {@code dataDir} (created and formatted if necessary), and waits until it serves requests.
     */
    public static EmbeddedKafkaBroker start(int port, Path dataDir) {
        return start(port, dataDir, DEFAULT_TRANSACTION_VERSION);
    }

    /**
     * The same, formatting a new data directory with {@code transaction.version}
     * {@code transactionVersion} (1 or 2; see {@link #DEFAULT_TRANSACTION_VERSION}).
     */
    public static EmbeddedKafkaBroker start(int port, Path dataDir, short transactionVersion) {
        checkTransactionVersion(transactionVersion);
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

        formatIfNeeded(dir, logDir, NODE_ID, Uuid.randomUuid().toString(), transactionVersion);
        return startServer(brokerProperties(brokerPort, controllerPort, logDir), NODE_ID, brokerPort, controllerPort,
            dir, READY_TIMEOUT);
    }

    /** Name of the listener that requires SASL/PLAIN authentication (see {@link #startWithSasl}). */
    public static final String SASL_LISTENER = "SASL";

    /**
     * Starts a single-node broker as {@link #start(int, Path)} does, plus a listener on another port
     * that requires SASL authentication with the PLAIN mechanism ({@link #saslBootstrapServers()}),
     * for the users {@code users} (name -> password). The PLAINTEXT listener stays for inter-broker
     * traffic and the readiness check; the controller listener stays PLAINTEXT.
     */
    public static EmbeddedKafkaBroker startWithSasl(Path dataDir, Map<String, String> users) {
        if (users.isEmpty()) {
            throw new IllegalArgumentException("a SASL listener needs at least one user");
        }
        Path dir = dataDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create broker data directory " + dir, e);
        }
        int brokerPort = freePort();
        int controllerPort = freePort(brokerPort);
        int saslPort = freePort(brokerPort, controllerPort);
        String logDir = dir.toString();
        formatIfNeeded(dir, logDir, NODE_ID, Uuid.randomUuid().toString(), DEFAULT_TRANSACTION_VERSION);
        Properties p = brokerProperties(brokerPort, controllerPort, logDir);
        p.put("listeners", p.getProperty("listeners") + "," + SASL_LISTENER + "://" + HOST + ":" + saslPort);
        p.put("advertised.listeners", p.getProperty("advertised.listeners") + "," + SASL_LISTENER + "://" + HOST + ":" + saslPort);
        p.put("listener.security.protocol.map", p.getProperty("listener.security.protocol.map") + "," + SASL_LISTENER + ":SASL_PLAINTEXT");
        String prefix = "listener.name." + SASL_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
        p.put(prefix + "sasl.enabled.mechanisms", "PLAIN");
        StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
        users.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
        p.put(prefix + "plain.sasl.jaas.config", jaas.append(';').toString());
        p.put("sasl.enabled.mechanisms", "PLAIN");
        return startServer(p, NODE_ID, brokerPort, controllerPort, dir, READY_TIMEOUT, saslPort);
    }

    /** Client properties that authenticate as {@code user} on the SASL listener. */
    public static Map<String, String> saslClientProperties(String user, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
            "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";");
    }

    /** {@code 127.0.0.1:PORT} of the SASL listener; only for a broker from {@link #startWithSasl}. */
    public String saslBootstrapServers() {
        if (saslPort < 0) {
            throw new IllegalStateException("this broker has no SASL listener");
        }
        return HOST + ":" + saslPort;
    }

    /**
     * Starts one node of a multi-node cluster (see {@link ClusterNode}): formats its directory with
     * the given cluster id if it is not formatted yet (an existing directory keeps its data and
     * must carry the same cluster id), starts it, and waits until a quorum of voters exists and this
     * node is registered and serving, for at most {@value #CLUSTER_READY_TIMEOUT_SECONDS} seconds.
     */
    public static EmbeddedKafkaBroker start(ClusterNode node) {
        return start(node, DEFAULT_TRANSACTION_VERSION);
    }

    /** The same, formatting a new directory with {@code transaction.version} {@code transactionVersion} (1 or 2). */
    public static EmbeddedKafkaBroker start(ClusterNode node, short transactionVersion) {
        checkTransactionVersion(transactionVersion);
        Path dir = node.dataDir();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create broker data directory " + dir, e);
        }
        int brokerPort = node.port() == 0 ? freePort(node.controllerPort()) : node.port();
        String logDir = dir.toString();
        formatIfNeeded(dir, logDir, node.nodeId(), node.clusterId(), transactionVersion);
        return startServer(clusterProperties(node, brokerPort, logDir), node.nodeId(), brokerPort,
            node.controllerPort(), dir, CLUSTER_READY_TIMEOUT);
    }

    /** A fresh random cluster id, for {@link ClusterNode#clusterId()}. */
    public static String newClusterId() {
        return Uuid.randomUuid().toString();
    }

    private static EmbeddedKafkaBroker startServer(Properties props, int nodeId, int brokerPort, int controllerPort,
                                                   Path dir, Duration readyTimeout) {
        return startServer(props, nodeId, brokerPort, controllerPort, dir, readyTimeout, -1);
    }

    private static EmbeddedKafkaBroker startServer(Properties props, int nodeId, int brokerPort, int controllerPort,
                                                   Path dir, Duration readyTimeout, int saslPort) {
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, nodeId, brokerPort, controllerPort, dir);
        broker.saslPort = saslPort;
        try {
            server.startup();
            broker.awaitReady(readyTimeout);
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

    /** This node's id ({@link #NODE_ID} for a single-node broker). */
    public int nodeId() {
        return nodeId;
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
        return "EmbeddedKafkaBroker[node " + nodeId + ", " + bootstrapServers() + ", controller port " + controllerPort
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

    /**
     * Cluster mode: combined broker + controller {@code node.nodeId()} with the static voters of
     * {@code node}; internal topics and new topics replicated min(3, voters) ways.
     */
    static Properties clusterProperties(ClusterNode node, int brokerPort, String logDir) {
        Properties p = brokerProperties(brokerPort, node.controllerPort(), logDir);
        int rf = Math.min(CLUSTER_REPLICATION_FACTOR, node.voterCount());
        int minIsr = Math.min(CLUSTER_MIN_INSYNC_REPLICAS, rf);
        String partitions = "6";
        p.put("node.id", Integer.toString(node.nodeId()));
        p.put("controller.quorum.voters", node.voters());
        p.put("offsets.topic.replication.factor", Integer.toString(rf));
        p.put("offsets.topic.num.partitions", partitions);
        p.put("transaction.state.log.replication.factor", Integer.toString(rf));
        p.put("transaction.state.log.min.isr", Integer.toString(minIsr));
        p.put("transaction.state.log.num.partitions", partitions);
        p.put("share.coordinator.state.topic.replication.factor", Integer.toString(rf));
        p.put("share.coordinator.state.topic.min.isr", Integer.toString(minIsr));
        p.put("default.replication.factor", Integer.toString(rf));
        p.put("min.insync.replicas", Integer.toString(minIsr));
        // server.startup() blocks until the quorum has published metadata: bound it.
        p.put("server.max.startup.time.ms", Long.toString(CLUSTER_READY_TIMEOUT.toMillis()));
        return p;
    }

    /**
     * Parses {@code controller.quorum.voters} ({@code id@host:port,...}) into node id -> port.
     *
     * @throws IllegalArgumentException when malformed or a node id repeats
     */
    public static Map<Integer, Integer> parseVoters(String voters) {
        if (voters == null || voters.isBlank()) {
            throw new IllegalArgumentException("Empty controller quorum voters");
        }
        Map<Integer, Integer> result = new java.util.LinkedHashMap<>();
        for (String entry : voters.split(",")) {
            String e = entry.trim();
            int at = e.indexOf('@');
            int colon = e.lastIndexOf(':');
            if (at <= 0 || colon <= at + 1 || colon == e.length() - 1) {
                throw new IllegalArgumentException("Invalid voter '" + e + "' in " + voters + " (expected id@host:port)");
            }
            int id;
            int port;
            try {
                id = Integer.parseInt(e.substring(0, at));
                port = Integer.parseInt(e.substring(colon + 1));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("Invalid voter '" + e + "' in " + voters + " (expected id@host:port)");
            }
            if (id < 0 || port <= 0 || port > 65535) {
                throw new IllegalArgumentException("Invalid voter '" + e + "' in " + voters);
            }
            if (result.put(id, port) != null) {
                throw new IllegalArgumentException("Node id " + id + " appears twice in " + voters);
            }
        }
        return result;
    }

    private static void checkTransactionVersion(short transactionVersion) {
        if (transactionVersion != 1 && transactionVersion != 2) {
            throw new IllegalArgumentException("transaction.version must be 1 or 2, got " + transactionVersion);
        }
    }

    private static void formatIfNeeded(Path dir, String logDir, int nodeId, String clusterId, short transactionVersion) {
        if (Files.exists(dir.resolve("meta.properties"))) {
            return; // already formatted: keep cluster id and data
        }
        try {
            new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(nodeId)
                .setClusterId(clusterId)
                .addDirectory(logDir)
                .setMetadataLogDirectory(logDir)
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setIgnoreFormatted(true)
                .setFeatureLevel(TRANSACTION_VERSION_FEATURE, transactionVersion)
                // Static voters (controller.quorum.voters), so no initial controllers and
                // kraft.version 0; the release version defaults to latestProduction().
                .run();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady(Duration timeout) {
        Map<String, Object> conf = Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
            AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 100);
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(conf)) {
            while (System.nanoTime() < deadline) {
                try {
                    Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000))
                        .nodes().get(10, TimeUnit.SECONDS);
                    // The broker only shows up here once it is registered and unfenced, i.e. able
                    // to host partitions (topic creation would fail before that).
                    if (nodes.stream().anyMatch(n -> n.id() == nodeId)) {
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
        throw new IllegalStateException("Kafka broker " + nodeId + " at " + bootstrapServers() + " not ready within "
            + timeout.toSeconds() + "s", last);
    }

    public static int freePort(int... avoid) {
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
