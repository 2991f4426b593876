package com.vizsprints.streams.it;

import com.vizsprints.streams.app.ChildJvm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code vizsprints cluster} as a user runs it (the launcher's main class in its own JVM, which
 * starts three broker processes and two application processes): it comes up, replays the sample,
 * both instances answer with every record processed, and Ctrl-C (SIGTERM) stops everything. The
 * instances set up their topics at the same moment right after the brokers are ready, which is
 * where {@code UnknownTopicOrPartitionException} used to stop an instance.
 */
@Tag("integration")
class ClusterCommandIntegrationTest {
    private static final String READY = "VizSprints Streams cluster:";

    @Test
    void comesUpServesTheSampleAndStopsOnSigterm(@TempDir Path work) throws Exception {
        int basePort = freeRange(3, 100);
        int httpPort = freeRange(2, 0);
        Path log = work.resolve("cluster.log");
        ChildJvm cluster = ChildJvm.start("cluster", log, List.of("-Xmx256m"), ChildJvm.LAUNCHER_MAIN, List.of("cluster",
                "--brokers", "3", "--instances", "2", "--base-port", Integer.toString(basePort),
                "--http-port", Integer.toString(httpPort), "--dir", work.resolve("cluster").toString(),
                "--data", RepositoryData.sampleData().toString()));
        try {
            cluster.awaitLine(READY, Duration.ofMinutes(7));
            String output = Files.readString(log);
            assertFalse(output.contains("exited with status"), output);
            assertFalse(output.contains(" failed:"), output);
            for (int i = 0; i < 2; i++) {
                Pipeline.awaitProcessed("http://127.0.0.1:" + (httpPort + i), 1000, 15_862, Duration.ofMinutes(8));
            }
            assertTrue(cluster.isAlive(), "the cluster serves until stopped");
        } finally {
            cluster.terminate();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
            while (cluster.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            if (cluster.isAlive()) {
                cluster.kill();
            }
        }
        assertFalse(cluster.isAlive(), "cluster stops on SIGTERM");
        String output = Files.readString(log);
        assertTrue(output.contains("Stopped in"), output);
        for (String child : List.of("app-1", "app-2", "broker-1", "broker-2", "broker-3")) {
            String childLog = Files.readString(work.resolve("cluster/logs/" + child + ".log"));
            assertFalse(childLog.contains("UnknownTopicOrPartitionException"), child + ": " + childLog);
            assertFalse(childLog.contains("vizsprints serve failed"), child + ": " + childLog);
        }
        for (int port : List.of(httpPort, httpPort + 1, basePort, basePort + 1, basePort + 2)) {
            assertFalse(listening(port), "no child process left listening on " + port);
        }
    }

    private static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A base port such that base .. base+count-1 and base+offset .. base+offset+count-1 are free. */
    private static int freeRange(int count, int offset) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 40_000);
            boolean free = true;
            for (int i = 0; i < count && free; i++) {
                free = isFree(base + i) && (offset == 0 || isFree(base + offset + i));
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no free port range");
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
