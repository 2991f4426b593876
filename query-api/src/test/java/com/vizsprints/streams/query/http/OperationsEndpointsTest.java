package com.vizsprints.streams.query.http;

import com.vizsprints.streams.processor.ProcessorApp;
import com.vizsprints.streams.processor.config.ProcessorConfig;
import com.vizsprints.streams.query.service.AnalyticsQueryService;
import com.vizsprints.streams.query.service.NotReadyException;
import com.vizsprints.streams.query.service.PartitionStores;
import com.vizsprints.streams.query.service.StoreAccess;
import com.vizsprints.streams.query.service.TopologyHarness;
import io.javalin.Javalin;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /metrics}, {@code /livez}, {@code /readyz} and {@code /api/health} on the real HTTP
 * server, with a real (not started) Kafka Streams client: before RUNNING the instance is alive
 * but not ready; once stream processing has stopped for good it is neither, and health says
 * "failed" with 503. The ready case on a running cluster is in {@code PeerTrafficIntegrationTest}.
 */
class OperationsEndpointsTest {

    @Test
    void metricsCarryKafkaStreamsJvmHttpAndOurOwnMeters(@TempDir Path state) throws Exception {
        try (TopologyHarness pipeline = new TopologyHarness()) {
            pipeline.user("u1", "2023-01-01T00:00:00Z", "Premium", "A").event("u1", "signup_success", "2023-01-01T00:00:00Z");
            KafkaStreams streams = notStartedStreams(state);
            Operations ops = new Operations().bindStreams(streams);
            try (Served api = new Served(ApiServer.create(pipeline.queries, ApiOptions.open(), ops))) {
                assertEquals(200, api.get("/api/users?country=US").status());
                assertEquals(200, api.get("/api/users?country=DE").status());
                assertEquals(200, api.get("/api/metrics").status());
                assertEquals(200, api.get("/api/metrics").status());
                assertEquals(404, api.get("/api/no-such-thing/42").status());

                ApiHarness.Reply metrics = api.get("/metrics");
                assertEquals(200, metrics.status());
                assertTrue(metrics.raw().headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
                String text = metrics.raw().body();
                assertTrue(text.contains("\nkafka_stream_"), "Kafka Streams client metrics");
                assertTrue(text.contains("\njvm_memory_used_bytes{"), "JVM memory");
                assertTrue(text.contains("\njvm_threads_live_threads "), "JVM threads");
                assertTrue(text.contains("\njvm_gc_"), "JVM GC");
                assertTrue(text.contains("vizsprints_streams_state 0.0"), "CREATED is state 0");
                // Per route template: both /api/users requests under one series, never the raw path or query.
                assertEquals(2.0, sample(text, "http_server_requests_seconds_count", "uri=\"/api/users\""));
                assertTrue(text.contains("uri=\"NOT_FOUND\""));
                assertFalse(text.contains("no-such-thing"), "raw paths must not become series");
                assertFalse(text.contains("country="), "query strings must not become series");
                // The first /api/metrics is computed, the second reuses it (within 100 ms) or is served stale.
                double miss = sample(text, "vizsprints_answer_cache_requests_total", "result=\"miss\"");
                double hits = sample(text, "vizsprints_answer_cache_requests_total", "result=\"hit\"")
                        + sample(text, "vizsprints_answer_cache_requests_total", "result=\"stale\"");
                assertTrue(miss >= 2, "the two /api/users and the first /api/metrics were computed: " + miss);
                assertTrue(hits + miss == 4, "every cached request is counted once: " + hits + " + " + miss);
            } finally {
                streams.close(Duration.ofSeconds(10));
                ops.close();
            }
        }
    }

    @Test
    void aliveButNotReadyBeforeRunningThenNeitherOnceStreamsStopped(@TempDir Path state) throws Exception {
        KafkaStreams streams = notStartedStreams(state);
        AtomicReference<String> reported = new AtomicReference<>("CREATED");
        StoreAccess access = new StoreAccess() {
            @Override
            public List<PartitionStores> allPartitions() {
                throw new NotReadyException("stream processing is " + reported.get());
            }

            @Override
            public StreamStatus status() {
                return new StreamStatus(reported.get(), false, null);
            }
        };
        Operations ops = new Operations().bindStores(access).bindStreams(streams);
        try (Served api = new Served(ApiServer.create(new AnalyticsQueryService(access), ApiOptions.open(), ops))) {
            ApiHarness.Reply ready = api.get("/readyz");
            assertEquals(503, ready.status());
            assertEquals("not_ready", ready.json().get("status").asText());
            assertEquals("CREATED", ready.json().get("streams_state").asText());
            assertTrue(ready.json().get("reason").asText().contains("not RUNNING"));
            ApiHarness.Reply live = api.get("/livez");
            assertEquals(200, live.status());
            assertEquals("alive", live.json().get("status").asText());
            ApiHarness.Reply health = api.get("/api/health");
            assertEquals(200, health.status());
            assertEquals("starting", health.json().get("status").asText());

            streams.close(Duration.ofSeconds(10));
            assertEquals(KafkaStreams.State.NOT_RUNNING, streams.state());
            reported.set("ERROR");

            live = api.get("/livez");
            assertEquals(503, live.status());
            assertEquals("failed", live.json().get("status").asText());
            assertEquals("NOT_RUNNING", live.json().get("streams_state").asText());
            assertEquals(503, api.get("/readyz").status());
            health = api.get("/api/health");
            assertEquals(503, health.status());
            assertEquals("failed", health.json().get("status").asText());
            for (String field : List.of("users_loaded", "events_loaded", "streams_state", "pending_records")) {
                assertTrue(health.json().has(field), "health keeps " + field);
            }
            assertTrue(api.get("/metrics").raw().body().contains("vizsprints_streams_state 4.0"), "NOT_RUNNING is state 4");
        } finally {
            ops.close();
        }
    }

    /** A real Kafka Streams client of the application's topology, created but never started (no broker needed). */
    private static KafkaStreams notStartedStreams(Path state) {
        return ProcessorApp.create(ProcessorConfig.defaults("127.0.0.1:9", state, null));
    }

    /** The value of one Prometheus sample whose labels contain {@code label}, 0 when absent. */
    static double sample(String text, String name, String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(text);
        double sum = 0;
        while (m.find()) {
            if (m.group(1).contains(label)) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    /** An ApiServer app started on a free port, with ApiHarness's client. */
    static final class Served implements AutoCloseable {
        private final Javalin app;
        private final ApiHarness client;

        Served(Javalin app) {
            this.app = app.start("127.0.0.1", 0);
            this.client = ApiHarness.client(this.app);
        }

        ApiHarness.Reply get(String pathAndQuery) throws Exception {
            return client.get(pathAndQuery);
        }

        @Override
        public void close() {
            app.stop();
        }
    }
}
