package com.vizsprints.streams.app.broker;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code vizsprints broker [--port 9092] [--dir ./.vizsprints/broker]}: runs a real single-node
 * KRaft Kafka broker in the foreground until the JVM is terminated (Ctrl-C / SIGTERM), then shuts
 * it down cleanly.
 *
 * <p>With {@code --node-id N --voters "1@127.0.0.1:C1,2@127.0.0.1:C2,..." --cluster-id ID
 * [--controller-port C]} it runs node N of a multi-node cluster instead (one node per process; see
 * {@link EmbeddedKafkaBroker#start(EmbeddedKafkaBroker.ClusterNode)}), and prints
 * {@code Kafka broker ready at 127.0.0.1:PORT (node N)} once the node has joined and serves.
 *
 * <p>{@code --transaction-version 1|2} chooses the transaction protocol a new data directory is
 * formatted with (default {@value EmbeddedKafkaBroker#DEFAULT_TRANSACTION_VERSION}, see
 * {@link EmbeddedKafkaBroker#DEFAULT_TRANSACTION_VERSION}).
 */
public final class BrokerCommand {

    public static final int DEFAULT_PORT = 9092;
    public static final String DEFAULT_DIR = "./.vizsprints/broker";

    private static final String USAGE = "usage: vizsprints broker [--port " + DEFAULT_PORT + "] [--dir " + DEFAULT_DIR + "]"
        + " [--transaction-version 1|2] [--node-id N --voters ID@HOST:PORT,... --cluster-id ID [--controller-port C]]";

    private BrokerCommand() {
    }

    /** Returns 2 on bad arguments, 1 if the broker cannot start; otherwise blocks until JVM shutdown. */
    public static int run(String[] args) {
        int port = DEFAULT_PORT;
        String dir = DEFAULT_DIR;
        Integer nodeId = null;
        Integer controllerPort = null;
        String voters = null;
        String clusterId = null;
        short transactionVersion = EmbeddedKafkaBroker.DEFAULT_TRANSACTION_VERSION;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (name.equals("-h") || name.equals("--help")) {
                System.out.println(USAGE);
                return 0;
            }
            if (!name.equals("--port") && !name.equals("--dir") && !name.equals("--node-id")
                    && !name.equals("--controller-port") && !name.equals("--voters") && !name.equals("--cluster-id")
                    && !name.equals("--transaction-version")) {
                return usageError("unknown option for broker: " + arg);
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    return usageError("missing value for " + name);
                }
                value = args[++i];
            }
            if (value.isBlank()) {
                return usageError("empty " + name + " value");
            }
            switch (name) {
                case "--port" -> port = parsePort(value, 0);
                case "--controller-port" -> controllerPort = parsePort(value, 1);
                case "--node-id" -> nodeId = parseNonNegative(value);
                case "--voters" -> voters = value.trim();
                case "--cluster-id" -> clusterId = value.trim();
                case "--transaction-version" -> {
                    if (!value.trim().equals("1") && !value.trim().equals("2")) {
                        return usageError("--transaction-version must be 1 or 2, got " + value);
                    }
                    transactionVersion = Short.parseShort(value.trim());
                }
                default -> dir = value;
            }
            if (port < 0 || (controllerPort != null && controllerPort < 0) || (nodeId != null && nodeId < 0)) {
                return usageError("invalid " + name + " value: " + value);
            }
        }

        Path dataDir = Paths.get(dir).toAbsolutePath().normalize();
        EmbeddedKafkaBroker.ClusterNode node = null;
        if (nodeId != null || controllerPort != null || voters != null || clusterId != null) {
            if (nodeId == null || voters == null || clusterId == null) {
                return usageError("cluster mode needs --node-id, --voters and --cluster-id together");
            }
            try {
                Map<Integer, Integer> voterPorts = EmbeddedKafkaBroker.parseVoters(voters);
                int c = controllerPort != null ? controllerPort : voterPorts.getOrDefault(nodeId, -1);
                node = new EmbeddedKafkaBroker.ClusterNode(nodeId, port, c, voters, clusterId, dataDir);
            } catch (IllegalArgumentException e) {
                return usageError(e.getMessage());
            }
        }
        EmbeddedKafkaBroker broker;
        try {
            broker = node == null ? EmbeddedKafkaBroker.start(port, dataDir, transactionVersion)
                : EmbeddedKafkaBroker.start(node, transactionVersion);
        } catch (RuntimeException e) {
            System.err.println("Cannot start Kafka broker" + (node == null ? "" : " node " + node.nodeId())
                + " on 127.0.0.1:" + port + " (data in " + dataDir + "): " + e);
            return 1;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                System.out.println("Stopping Kafka broker at " + broker.bootstrapServers() + " ...");
                broker.close();
                System.out.println("Kafka broker stopped.");
            } finally {
                stopped.countDown();
            }
        }, "vizsprints-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        if (node == null) {
            System.out.println("Kafka broker ready at " + broker.bootstrapServers() + " (data in " + dataDir + ")");
        } else {
            System.out.println("Kafka broker ready at " + broker.bootstrapServers() + " (node " + broker.nodeId() + ")");
        }
        System.out.flush();

        // Block until the JVM is terminated; the shutdown hook closes the broker.
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                broker.close();
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running and will close the broker
            }
        }
        return 0;
    }

    /** The port, or -1 when not a number in [min, 65535]. */
    private static int parsePort(String value, int min) {
        int p = parseNonNegative(value);
        return p >= min && p <= 65535 ? p : -1;
    }

    /** The number, or -1 when not a non-negative integer. */
    private static int parseNonNegative(String value) {
        try {
            int n = Integer.parseInt(value.trim());
            return n >= 0 ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int usageError(String message) {
        System.err.println(message);
        System.err.println(USAGE);
        return 2;
    }
}
