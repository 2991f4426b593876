package com.vizsprints.streams.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.vizsprints.streams.app.ChildJvm;
import com.vizsprints.streams.app.broker.EmbeddedKafkaBroker;
import com.vizsprints.streams.replay.ReplayOptions;
import com.vizsprints.streams.replay.ReplaySummary;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several instances sharing one application id: any instance answers any request, exactly. */
@Tag("integration")
class ScaleOutIntegrationTest {
    private static final Path DATA = RepositoryData.sampleData();

    @Test
    void twoInstancesEachAnswerEveryGoldenRequestAndAgree(@TempDir Path work) throws Exception {
        try (Pipeline first = Pipeline.start(work.resolve("a"));
             Pipeline second = Pipeline.startAgainst(first.bootstrapServers(), work.resolve("b"))) {
            first.replay(DATA.resolve("users.csv"), DATA.resolve("events.csv"));

            first.awaitProcessed(1000, 15_862, Duration.ofMinutes(3));
            second.awaitProcessed(1000, 15_862, Duration.ofMinutes(3));
            awaitBothOwnPartitions(first, second);

            assertEquals(List.of(), ParityIntegrationTest.checkAgainstGoldens(first, Map.of()));
            assertEquals(List.of(), ParityIntegrationTest.checkAgainstGoldens(second, Map.of()));
            for (String request : List.of("/api/metrics", "/api/user-sessions?limit=1000000", "/api/events?event_name=login",
                    "/api/users", "/api/ab-test?limit=400&event_limit=9000", "/api/cohorts", "/api/kpi-time-series")) {
                assertEquals(first.get(request).body(), second.get(request).body(), request);
            }
        }
    }

    private static void awaitBothOwnPartitions(Pipeline a, Pipeline b) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            JsonNode ha = a.get("/api/health").body();
            JsonNode hb = b.get("/api/health").body();
            if (ha.path("local_partitions").size() > 0 && hb.path("local_partitions").size() > 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the two instances did not split the partitions");
    }

    @Test
    void survivorTakesOverAfterSigterm(@TempDir Path work) throws Exception {
        takeover(work, false);
    }

    @Test
    void survivorTakesOverAfterSigkill(@TempDir Path work) throws Exception {
        takeover(work, true);
    }

    private void takeover(Path work, boolean kill) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, work.resolve("broker"))) {
            int portA = EmbeddedKafkaBroker.freePort();
            int portB = EmbeddedKafkaBroker.freePort();
            String a = "http://127.0.0.1:" + portA;
            try (ChildJvm survivor = serve(work, "a", broker, portA); ChildJvm victim = serve(work, "b", broker, portB)) {
                survivor.awaitLine("VizSprints Streams API at", Duration.ofMinutes(2));
                victim.awaitLine("VizSprints Streams API at", Duration.ofMinutes(2));
                awaitSplit(a);
                CompletableFuture<ReplaySummary> replay = Pipeline.replayInBackground(ReplayOptions.of(broker.bootstrapServers(),
                        DATA.resolve("users.csv"), DATA.resolve("events.csv")).withRatePerSecond(1000));
                // The replay takes about 17 s at 1000 records/s: stop the victim early in it, once
                // some events are visible or 5 s have passed, whichever comes first.
                awaitEvents(a, 500, Duration.ofSeconds(5));

                assertFalse(replay.isDone(), "the instance is stopped while the replay is still running");
                long stoppedAt = System.nanoTime();
                if (kill) {
                    victim.kill();
                } else {
                    victim.terminate();
                }

                List<String> problems = new ArrayList<>();
                long lastEvents = -1;
                Long firstAnswerMs = null;
                Long ownsAllMs = null;
                while (!replay.isDone() || ownsAllMs == null || lastEvents < 15_862) {
                    Pipeline.Answer m = Pipeline.get(a, "/api/metrics");
                    long elapsedMs = (System.nanoTime() - stoppedAt) / 1_000_000;
                    if (m.status() == 200) {
                        if (m.body().has("partial")) {
                            problems.add("partial answer without allow_partial: " + m.raw());
                        }
                        long events = m.body().get("total_events").asLong();
                        if (events < lastEvents) {
                            problems.add("total_events went back from " + lastEvents + " to " + events + ": a silently partial answer");
                        }
                        lastEvents = events;
                        if (firstAnswerMs == null) {
                            firstAnswerMs = elapsedMs;
                        }
                    } else if (m.status() != 503 || m.body() == null || !m.body().has("error")
                            || m.raw() == null) {
                        problems.add("unexpected answer " + m.status() + " " + m.raw());
                    }
                    JsonNode h = Pipeline.get(a, "/api/health").body();
                    if (ownsAllMs == null && h != null && h.path("local_partitions").size() == h.path("partitions").asInt(-1)) {
                        ownsAllMs = elapsedMs;
                    }
                    if (elapsedMs > 180_000) {
                        problems.add("no full takeover within 3 minutes");
                        break;
                    }
                    Thread.sleep(100);
                }
                System.out.printf("TAKEOVER after %s: first exact answer %d ms, all partitions owned %d ms%n",
                        kill ? "SIGKILL" : "SIGTERM", firstAnswerMs, ownsAllMs);
                assertEquals(List.of(), problems);
                ReplaySummary summary = replay.get(1, TimeUnit.MINUTES);
                assertEquals(0, summary.failed());

                Pipeline.awaitProcessed(a, 1000, 15_862, Duration.ofMinutes(3));
                assertEquals(List.of(), ParityIntegrationTest.checkAgainstGoldens(a, Map.of()));
                assertTrue(firstAnswerMs != null);
            }
        }
    }

    private static ChildJvm serve(Path work, String name, EmbeddedKafkaBroker broker, int port) throws Exception {
        Path log = Path.of("target", "it-logs", "scale-out-" + work.getFileName() + "-" + name + ".log");
        return LauncherJvm.start(log, "serve", "--bootstrap-servers", broker.bootstrapServers(),
                "--port", Integer.toString(port), "--state-dir", work.resolve("state-" + name).toString());
    }

    private static void awaitSplit(String baseUrl) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            try {
                JsonNode h = Pipeline.get(baseUrl, "/api/health").body();
                int local = h.path("local_partitions").size();
                if (h.path("streams_state").asText().equals("RUNNING") && local > 0 && local < h.path("partitions").asInt(0)) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the instances did not split the partitions");
    }

    private static void awaitEvents(String baseUrl, long atLeast, Duration atMost) throws Exception {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            Pipeline.Answer h = Pipeline.get(baseUrl, "/api/health");
            if (h.body() != null && h.body().path("events").asLong(0) >= atLeast) {
                return;
            }
            Thread.sleep(50);
        }
    }
}
