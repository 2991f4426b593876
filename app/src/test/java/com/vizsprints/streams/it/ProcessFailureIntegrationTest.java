package com.vizsprints.streams.it;

import com.vizsprints.streams.app.ChildJvm;
import com.vizsprints.streams.app.broker.EmbeddedKafkaBroker;
import com.vizsprints.streams.replay.ReplayOptions;
import com.vizsprints.streams.replay.ReplaySummary;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Process failures in the middle of a replay, each a real OS process: the processor killed with
 * SIGKILL and restarted, the broker stopped and restarted. Final answers must equal the goldens.
 */
@Tag("integration")
@Tag("slow")
class ProcessFailureIntegrationTest {
    private static final Path DATA = RepositoryData.sampleData();
    /** Slow enough that the failure lands mid-replay (about seventeen seconds for the sample). */
    private static final int REPLAY_RATE = 1000;

    static CompletableFuture<ReplaySummary> replayInBackground(String bootstrap) {
        return Pipeline.replayInBackground(ReplayOptions.of(bootstrap, DATA.resolve("users.csv"), DATA.resolve("events.csv"))
                .withRatePerSecond(REPLAY_RATE));
    }

    static long eventsVisible(String baseUrl) {
        try {
            Pipeline.Answer h = Pipeline.get(baseUrl, "/api/health");
            return h.body() == null ? 0 : h.body().path("events").asLong(0);
        } catch (Exception notUp) {
            return 0;
        }
    }

    /**
     * Waits until some events are visible, at most 5 s: the replay takes about 17 s, so the
     * failure that follows lands early in it either way.
     */
    static void awaitEventsVisible(String baseUrl, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (eventsVisible(baseUrl) < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    @Test
    void processorKilledWithSigkillMidReplayRestartsToExactAnswers(@TempDir Path work) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, work.resolve("broker"))) {
            int port = EmbeddedKafkaBroker.freePort();
            String baseUrl = "http://127.0.0.1:" + port;
            String[] serve = {"serve", "--bootstrap-servers", broker.bootstrapServers(), "--port", Integer.toString(port),
                    "--state-dir", work.resolve("state").toString()};
            ChildJvm first = LauncherJvm.start(work.resolve("first.log"), serve);
            first.awaitLine("VizSprints Streams API at", Duration.ofMinutes(2));
            CompletableFuture<ReplaySummary> replay = replayInBackground(broker.bootstrapServers());

            awaitEventsVisible(baseUrl, 500);
            assertTrue(!replay.isDone(), "the processor is killed while the replay is still running");
            first.kill();

            try (ChildJvm second = LauncherJvm.start(work.resolve("second.log"), serve)) {
                second.awaitLine("VizSprints Streams API at", Duration.ofMinutes(2));
                ReplaySummary summary = replay.get(3, TimeUnit.MINUTES);
                assertEquals(0, summary.failed());
                ParityIntegrationTest.assertWholeSampleAnswersExactly(baseUrl, summary, Duration.ofMinutes(3));
            }
        }
    }

    @Test
    void brokerStoppedAndRestartedMidReplayLosesNothing(@TempDir Path work) throws Exception {
        int brokerPort = EmbeddedKafkaBroker.freePort();
        String bootstrap = "127.0.0.1:" + brokerPort;
        String[] brokerArgs = {"broker", "--port", Integer.toString(brokerPort), "--dir", work.resolve("broker").toString()};
        ChildJvm broker = LauncherJvm.start(work.resolve("broker-1.log"), brokerArgs);
        ChildJvm restarted = null;
        try {
            broker.awaitLine("Kafka broker ready", Duration.ofMinutes(2));
            try (Pipeline pipeline = Pipeline.startAgainst(bootstrap, work)) {
                CompletableFuture<ReplaySummary> replay = replayInBackground(bootstrap);
                awaitEventsVisible(pipeline.baseUrl(), 500);
                assertTrue(!replay.isDone(), "the broker is stopped while the replay is still running");
                broker.stop();
                Thread.sleep(3000);
                restarted = LauncherJvm.start(work.resolve("broker-2.log"), brokerArgs);
                restarted.awaitLine("Kafka broker ready", Duration.ofMinutes(2));

                ReplaySummary summary = replay.get(5, TimeUnit.MINUTES);
                assertEquals(0, summary.failed(), "the outage cost time, not records");
                ParityIntegrationTest.assertWholeSampleAnswersExactly(pipeline.baseUrl(), summary, Duration.ofMinutes(5));
            }
        } finally {
            broker.close();
            if (restarted != null) {
                restarted.close();
            }
        }
    }
}
