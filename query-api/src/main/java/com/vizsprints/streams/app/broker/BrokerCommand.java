package com.vizsprints.streams.app.broker;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.CountDownLatch;

/**
 * {@code vizsprints broker [--port 9092] [--dir ./.vizsprints/broker]}: runs a real single-node
 * KRaft Kafka broker in the foreground until the JVM is terminated (Ctrl-C / SIGTERM), then shuts
 * it down cleanly.
 */
public final class BrokerCommand {

    public static final int DEFAULT_PORT = 9092;
    public static final String DEFAULT_DIR = "./.vizsprints/broker";

    private static final String USAGE = "usage: vizsprints broker [--port " + DEFAULT_PORT + "] [--dir " + DEFAULT_DIR + "]";

    private BrokerCommand() {
    }

    /** Returns 2 on bad arguments, 1 if the broker cannot start; otherwise blocks until JVM shutdown. */
    public static int run(String[] args) {
        int port = DEFAULT_PORT;
        String dir = DEFAULT_DIR;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (name) {
                case "--port": {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            return usageError("missing value for --port");
                        }
                        value = args[++i];
                    }
                    try {
                        port = Integer.parseInt(value.trim());
                    } catch (NumberFormatException e) {
                        return usageError("invalid --port value: " + value);
                    }
                    if (port < 0 || port > 65535) {
                        return usageError("invalid --port value: " + value);
                    }
                    break;
                }
                case "--dir": {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            return usageError("missing value for --dir");
                        }
                        value = args[++i];
                    }
                    if (value.isBlank()) {
                        return usageError("empty --dir value");
                    }
                    dir = value;
                    break;
                }
                case "-h":
                case "--help":
                    System.out.println(USAGE);
                    return 0;
                default:
                    return usageError("unknown option for broker: " + arg);
            }
        }

        Path dataDir = Paths.get(dir).toAbsolutePath().normalize();
        EmbeddedKafkaBroker broker;
        try {
            broker = EmbeddedKafkaBroker.start(port, dataDir);
        } catch (RuntimeException e) {
            System.err.println("Cannot start Kafka broker on 127.0.0.1:" + port + " (data in " + dataDir + "): " + e);
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

        System.out.println("Kafka broker ready at " + broker.bootstrapServers() + " (data in " + dataDir + ")");
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

    private static int usageError(String message) {
        System.err.println(message);
        System.err.println(USAGE);
        return 2;
    }
}
