package com.vizsprints.streams.app.broker;

import com.vizsprints.streams.app.LogFile;

import com.vizsprints.streams.cli.Cli;
import com.vizsprints.streams.cli.ConfigOption;
import com.vizsprints.streams.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.Callable;
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
@Command(name = "broker", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {"A standalone embedded KRaft broker (or, with --node-id, --voters and --cluster-id, one node of a cluster),"
                + " until Ctrl-C."})
public final class BrokerCommand implements Callable<Integer> {

    public static final int DEFAULT_PORT = 9092;
    public static final String DEFAULT_DIR = "./.vizsprints/broker";

    @Spec
    CommandSpec spec;
    @Option(names = "--port", defaultValue = "" + DEFAULT_PORT, description = "client port, 0 for any free port (default ${DEFAULT-VALUE})")
    int port;
    @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR, description = "data directory (default ${DEFAULT-VALUE})")
    String dir;
    @Option(names = "--node-id", paramLabel = "N", description = "cluster mode: this node's id")
    Integer nodeId;
    @Option(names = "--controller-port", paramLabel = "PORT", description = "cluster mode: this node's controller port (default: from --voters)")
    Integer controllerPort;
    @Option(names = "--voters", paramLabel = "ID@HOST:PORT,...", description = "cluster mode: the controller quorum voters")
    String voters;
    @Option(names = "--cluster-id", paramLabel = "ID", description = "cluster mode: the cluster id")
    String clusterId;
    @Option(names = "--transaction-version", paramLabel = "1|2", defaultValue = "" + EmbeddedKafkaBroker.DEFAULT_TRANSACTION_VERSION,
            description = "transaction.version a new data directory is formatted with (default ${DEFAULT-VALUE}: no transactions-v2"
                    + " OutOfOrderSequence noise); an existing directory keeps its own")
    short transactionVersion;
    @Mixin
    ConfigOption config = new ConfigOption();

    private final PrintStream out;
    private final PrintStream err;

    public BrokerCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Returns 2 on bad arguments, 1 if the broker cannot start; otherwise blocks until JVM shutdown. */
    @Override
    public Integer call() {
        if (port < 0 || port > 65535) {
            throw Cli.usage(spec, "invalid --port value: " + port);
        }
        if (controllerPort != null && (controllerPort < 1 || controllerPort > 65535)) {
            throw Cli.usage(spec, "invalid --controller-port value: " + controllerPort);
        }
        if (nodeId != null && nodeId < 0) {
            throw Cli.usage(spec, "invalid --node-id value: " + nodeId);
        }
        if (transactionVersion != 1 && transactionVersion != 2) {
            throw Cli.usage(spec, "--transaction-version must be 1 or 2, got " + transactionVersion);
        }
        for (String[] v : new String[][]{{"--dir", dir}, {"--voters", voters}, {"--cluster-id", clusterId}}) {
            if (v[1] != null && v[1].isBlank()) {
                throw Cli.usage(spec, "empty " + v[0] + " value");
            }
        }
        voters = voters == null ? null : voters.trim();
        clusterId = clusterId == null ? null : clusterId.trim();
        Path dataDir = Paths.get(dir).toAbsolutePath().normalize();
        EmbeddedKafkaBroker.ClusterNode node = null;
        if (nodeId != null || controllerPort != null || voters != null || clusterId != null) {
            if (nodeId == null || voters == null || clusterId == null) {
                throw Cli.usage(spec, "cluster mode needs --node-id, --voters and --cluster-id together");
            }
            try {
                Map<Integer, Integer> voterPorts = EmbeddedKafkaBroker.parseVoters(voters);
                int c = controllerPort != null ? controllerPort : voterPorts.getOrDefault(nodeId, -1);
                node = new EmbeddedKafkaBroker.ClusterNode(nodeId, port, c, voters, clusterId, dataDir);
            } catch (IllegalArgumentException e) {
                throw Cli.usage(spec, "--voters: " + e.getMessage());
            }
        }
        EmbeddedKafkaBroker broker;
        try {
            broker = node == null ? EmbeddedKafkaBroker.start(port, dataDir, transactionVersion)
                : EmbeddedKafkaBroker.start(node, transactionVersion);
        } catch (RuntimeException e) {
            err.println("Cannot start Kafka broker" + (node == null ? "" : " node " + node.nodeId())
                + " on 127.0.0.1:" + port + " (data in " + dataDir + "): " + e);
            return 1;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                out.println("Stopping Kafka broker at " + broker.bootstrapServers() + " ...");
                broker.close();
                out.println("Kafka broker stopped.");
            } finally {
                stopped.countDown();
            }
        }, "vizsprints-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        if (node == null) {
            out.println("Kafka broker ready at " + broker.bootstrapServers() + " (data in " + dataDir + ")");
        } else {
            out.println("Kafka broker ready at " + broker.bootstrapServers() + " (node " + broker.nodeId() + ")");
        }
        out.println(LogFile.consoleLine());
        out.flush();

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
}
