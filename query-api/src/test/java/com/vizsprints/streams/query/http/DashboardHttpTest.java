package com.vizsprints.streams.query.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.vizsprints.streams.query.service.TopologyHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's HTTP side over a topology test driver: the page, the stream, ETags, the token. */
class DashboardHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> STREAMED = List.of("metrics", "funnel", "cohorts", "kpi-time-series", "ab-test", "user-sessions");
    private static TopologyHarness pipeline;
    private static ApiHarness api;

    @BeforeAll
    static void start() {
        pipeline = new TopologyHarness();
        pipeline.user("u1", "2023-01-01T00:00:00Z", "Premium", "A").user("u2", "2023-01-02T00:00:00Z", "Free", "B")
                .event("u1", "signup_success", "2023-01-01T00:00:00Z")
                .event("u2", "complete_task", "2023-01-03T00:00:00Z");
        api = new ApiHarness(pipeline.queries, ApiOptions.open());
    }

    @AfterAll
    static void stop() {
        api.close();
        pipeline.close();
    }

    private static String base() {
        return "http://127.0.0.1:" + api.app.port();
    }

    @Test
    void thePageAndTheChartLibraryAreServedFromTheClasspath() throws Exception {
        ApiHarness.Reply page = api.get("/");
        assertEquals(200, page.status());
        assertTrue(page.raw().headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.raw().body().contains("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js"), "page loads uPlot from its webjar");
        for (String asset : List.of("/dashboard.js", "/dashboard.css", "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js",
                "/webjars/uplot/1.6.30/dist/uPlot.min.css")) {
            ApiHarness.Reply r = api.get(asset);
            assertEquals(200, r.status(), asset);
            assertTrue(r.raw().body().length() > 500, asset);
        }
        assertFalse(page.raw().body().contains("http://") || page.raw().body().contains("https://"), "no CDN");
    }

    @Test
    void everyGetAnswerHasAnEtagAndIfNoneMatchGives304() throws Exception {
        for (String path : List.of("/api/metrics", "/api/funnel", "/api/cohorts", "/api/kpi-time-series", "/api/ab-test",
                "/api/user-sessions?sort_by=last_activity", "/api/users", "/api/events?user_id=u1", "/api/health")) {
            ApiHarness.Reply first = api.get(path);
            assertEquals(200, first.status(), path);
            String etag = first.raw().headers().firstValue("ETag").orElse(null);
            assertNotNull(etag, path + " has an ETag");
            assertTrue(etag.startsWith("\"") && etag.endsWith("\""), etag);
            if (path.equals("/api/health")) {
                continue; // its figures (lag) move on their own
            }
            ApiHarness.Reply again = api.send("GET", path, Map.of("If-None-Match", etag));
            assertEquals(304, again.status(), path);
            assertEquals("", again.raw().body(), path);
            ApiHarness.Reply other = api.send("GET", path, Map.of("If-None-Match", "\"something-else\""));
            assertEquals(200, other.status(), path);
            assertEquals(first.raw().body(), other.raw().body(), path);
        }
        assertNotEquals(DashboardRoutes.etag("{\"a\":1}".getBytes()), DashboardRoutes.etag("{\"a\":2}".getBytes()));
        assertTrue(api.get("/api/ab-test?limit=x").raw().headers().firstValue("ETag").isEmpty(), "a 400 carries no ETag");
    }

    @Test
    void streamSendsTheCurrentAnswersFirstThenOnlyChangesThenKeepsQuiet() throws Exception {
        try (SseReader stream = new SseReader(base() + DashboardRoutes.STREAM_PATH, null)) {
            assertEquals(200, stream.status);
            assertTrue(stream.response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            Map<String, String> initial = new HashMap<>();
            while (initial.size() < STREAMED.size()) {
                SseReader.Event e = stream.nextEvent(Duration.ofSeconds(10));
                assertNotNull(e, "initial answers missing: got only " + initial.keySet());
                assertFalse(initial.containsKey(e.name()), "answer sent twice before any change: " + e.name());
                initial.put(e.name(), e.data());
            }
            assertEquals(Set.copyOf(STREAMED), initial.keySet());
            assertEquals(api.get("/api/metrics").raw().body(), initial.get("metrics"), "same JSON as the GET");
            assertEquals(api.get("/api/ab-test").raw().body(), initial.get("ab-test"));
            assertEquals(api.get("/api/user-sessions").raw().body(), initial.get("user-sessions"));

            // Nothing changes: no event (several commit intervals).
            List<SseReader.Event> quiet = stream.drain(Duration.ofMillis(1500));
            assertTrue(quiet.stream().allMatch(SseReader.Event::isComment), "events without a change: " + quiet);

            // A new user: the answers that change are pushed, once each.
            synchronized (pipeline) {
                pipeline.user("u3", "2023-01-05T00:00:00Z", "Premium", "A").event("u3", "signup_success", "2023-01-05T00:00:00Z");
            }
            // (The test driver's stores are read while it writes, so an intermediate answer, e.g. the user without
            // the event, may be pushed first: wait for the push of the final answer, which the GET gives now.)
            // The GET may serve the cached answer for a moment too: ask until it shows the user and the event.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            var expected = JSON.readTree(api.get("/api/metrics").raw().body());
            while (expected.get("total_events").asInt() != 3 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                expected = JSON.readTree(api.get("/api/metrics").raw().body());
            }
            assertEquals(3, expected.get("total_users").asInt());
            assertEquals(3, expected.get("total_events").asInt());
            SseReader.Event metrics = null;
            while (metrics == null || !JSON.readTree(metrics.data()).equals(expected)) {
                SseReader.Event e = stream.nextEvent(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                assertNotNull(e, "no metrics push with the third user; last: " + metrics);
                if (e.name().equals("metrics")) {
                    metrics = e;
                }
            }
            assertEquals(JSON.readTree(api.get("/api/metrics").raw().body()), JSON.readTree(metrics.data()));
            List<SseReader.Event> after = stream.drain(Duration.ofMillis(1500));
            assertTrue(after.stream().noneMatch(e -> "metrics".equals(e.name())), "metrics pushed twice for one change: " + after);
        }
    }

    @Test
    void aServerWithOneThreadForRequestsQueuesConcurrentOnesAndOpenStreamsDoNotHoldIt() throws Exception {
        try (ApiHarness narrow = new ApiHarness(pipeline.queries, ApiOptions.open().withRequestThreads(ApiOptions.MIN_REQUEST_THREADS))) {
            assertEquals(ApiOptions.MIN_REQUEST_THREADS,
                    ((org.eclipse.jetty.util.thread.QueuedThreadPool) narrow.app.jettyServer().threadPool()).getMaxThreads());
            String url = "http://127.0.0.1:" + narrow.app.port() + DashboardRoutes.STREAM_PATH;
            try (SseReader first = new SseReader(url, null); SseReader second = new SseReader(url, null)) {
                assertNotNull(first.nextEvent(Duration.ofSeconds(10)));
                assertNotNull(second.nextEvent(Duration.ofSeconds(10)));
                java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(20);
                try {
                    List<java.util.concurrent.Future<Integer>> replies = new java.util.ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        String path = i % 2 == 0 ? "/api/metrics" : "/api/funnel";
                        replies.add(clients.submit(() -> narrow.get(path).status()));
                    }
                    for (java.util.concurrent.Future<Integer> reply : replies) {
                        assertEquals(200, reply.get(30, java.util.concurrent.TimeUnit.SECONDS), "queued, then answered");
                    }
                } finally {
                    clients.shutdownNow();
                }
            }
        }
    }

    @Test
    void streamNeedsTheEventStreamAcceptHeader() throws Exception {
        ApiHarness.Reply r = api.get(DashboardRoutes.STREAM_PATH);
        assertEquals(406, r.status());
        assertTrue(r.json().get("error").asText().contains("text/event-stream"));
    }

    @Test
    void theTokenGuardsTheStreamAsEveryApiEndpoint() throws Exception {
        try (ApiHarness locked = new ApiHarness(pipeline.queries, new ApiOptions(List.of("*"), "s3cret"))) {
            String url = "http://127.0.0.1:" + locked.app.port() + DashboardRoutes.STREAM_PATH;
            try (SseReader none = new SseReader(url, null)) {
                assertEquals(401, none.status);
            }
            try (SseReader wrong = new SseReader(url, "nope")) {
                assertEquals(401, wrong.status);
            }
            try (SseReader right = new SseReader(url, "s3cret")) {
                assertEquals(200, right.status);
                SseReader.Event e = right.nextEvent(Duration.ofSeconds(10));
                assertNotNull(e);
                assertEquals("metrics", e.name());
            }
            assertEquals(200, locked.get("/").status(), "the page itself is public; its data is not");
        }
    }
}
