package com.vizsprints.streams.query.http;

import com.vizsprints.streams.query.service.TopologyHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of generated requests with random, malformed and hostile parameters against every
 * endpoint: no answer is a 500, and every error body is JSON with an "error" field.
 */
class QueryFuzzTest {
    private static final List<String> PATHS = List.of("/api/health", "/api/users", "/api/events", "/api/metrics",
            "/api/funnel", "/api/cohorts", "/api/ab-test", "/api/user-sessions", "/api/kpi-time-series", "/api/unknown", "/");
    private static final List<String> PARAMS = List.of("limit", "offset", "sort_by", "confidence_level", "event_limit",
            "manual_n_a", "manual_conv_a", "manual_n_b", "manual_conv_b", "user_id", "event_name", "start_date", "end_date",
            "country", "device", "subscription_status", "junk");
    private static final List<String> VALUES = List.of("", "0", "-1", "1", "10", "0.5", "1e308", "-1e308", "NaN", "Infinity",
            "99999999999999999999999", "abc", "total_hours", "last_activity", "2023-06-01", "2023-06-01T00:00:00Z",
            "2023-13-45", "%00", "%E2%82%AC", "%27%20OR%201=1--", "%3Cscript%3E", "u_0001", "A", "B", "Free", "+", "%20%20",
            "1%2C2", "true", "null", "%5B%5D", "%7B%7D");

    private static TopologyHarness pipeline;
    private static ApiHarness api;

    @BeforeAll
    static void start() {
        pipeline = new TopologyHarness();
        pipeline.user("u_0001", "2023-01-01T00:00:00Z", "Premium", "A").user("u_0002", "2023-02-01T00:00:00Z", "Free", "B")
                .event("u_0001", "signup_success", "2023-01-01T00:00:00Z")
                .event("u_0001", "complete_task", "2023-03-01T00:00:00Z")
                .event("u_0002", "invite_user", "2023-02-03T00:00:00Z");
        api = new ApiHarness(pipeline.queries, ApiOptions.open());
    }

    @AfterAll
    static void stop() {
        api.close();
        pipeline.close();
    }

    @Test
    void generatedRequestsNeverGet500AndErrorsAreJson() throws Exception {
        Random random = new Random(42);
        int requests = 3000;
        List<String> failures = new ArrayList<>();
        int errors = 0;
        for (int i = 0; i < requests; i++) {
            StringBuilder url = new StringBuilder(PATHS.get(random.nextInt(PATHS.size())));
            int n = random.nextInt(5);
            for (int p = 0; p < n; p++) {
                url.append(p == 0 ? '?' : '&').append(PARAMS.get(random.nextInt(PARAMS.size())))
                        .append('=').append(VALUES.get(random.nextInt(VALUES.size())));
            }
            ApiHarness.Reply r = api.get(url.toString());
            if (r.status() >= 500) {
                failures.add(r.status() + " " + url + " " + r.raw().body());
            } else if (r.status() >= 400) {
                errors++;
                if (r.json() == null || !r.json().hasNonNull("error")) {
                    failures.add("non-JSON error " + r.status() + " " + url + " " + r.raw().body());
                }
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(errors > requests / 10, "the generator must actually produce bad requests, got " + errors);
    }

    @Test
    void malformedAndOversizedRequestLinesGetJsonErrors() throws Exception {
        for (String target : List.of("/api/metrics?limit=%ZZ", "/api/users?country=%", "/api/" + "x".repeat(20_000),
                "/api/users?country=" + "y".repeat(20_000), "/api/../../etc/passwd")) {
            String answer = rawRequest("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            String status = answer.substring(0, answer.indexOf("\r\n"));
            assertTrue(status.matches("HTTP/1.1 4\\d\\d.*"), target.substring(0, Math.min(60, target.length())) + " -> " + status);
            assertTrue(answer.contains("\"error\""), "JSON error body for " + target.substring(0, Math.min(60, target.length())) + ": " + answer);
            assertTrue(!answer.contains("at io.javalin") && !answer.contains("Exception"), "no stack trace: " + answer);
        }
    }

    private static String rawRequest(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", api.app.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
