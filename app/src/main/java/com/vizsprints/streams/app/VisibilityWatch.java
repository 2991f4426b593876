package com.vizsprints.streams.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * Watches an instance's {@code /api/health} after a replay until every published record is
 * visible in its answers (users, distinct events, duplicates and dead letters all count) and
 * nothing is pending, printing progress on the way: what an operator waits for after a replay.
 */
final class VisibilityWatch {
    private static final ObjectMapper JSON = new ObjectMapper();

    private VisibilityWatch() {
    }

    /**
     * @param published records the replay published
     * @return seconds from the call until everything was visible, or -1 on timeout
     */
    static double await(String baseUrl, long published, Duration timeout, PrintStream out) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl + "/api/health")).timeout(Duration.ofSeconds(5)).build();
        long start = System.nanoTime();
        long lastReport = start;
        while (System.nanoTime() - start < timeout.toNanos()) {
            long visible = -1;
            long pending = -1;
            try {
                JsonNode h = JSON.readTree(http.send(health, HttpResponse.BodyHandlers.ofString()).body());
                visible = h.path("users").asLong() + h.path("events").asLong() + h.path("duplicate_events").asLong()
                        + h.path("dead_lettered").asLong();
                pending = h.path("pending_records").asLong(-1);
            } catch (java.io.IOException notYet) {
                // the instance is busy or restarting: ask again
            }
            long now = System.nanoTime();
            if (visible >= published && pending == 0) {
                double seconds = (now - start) / 1e9;
                out.printf(Locale.ROOT, "all %,d records visible %.1f s after the replay finished%n", published, seconds);
                return seconds;
            }
            if (now - lastReport >= 1_000_000_000L) {
                out.printf(Locale.ROOT, "%,d/%,d records visible%n", Math.max(0, visible), published);
                lastReport = now;
            }
            Thread.sleep(100);
        }
        out.printf(Locale.ROOT, "not every record was visible after %d s; see /api/health%n", timeout.toSeconds());
        return -1;
    }
}
