package com.vizsprints.streams.query.http;

import com.vizsprints.streams.query.service.TopologyHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiValidationTest {
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

    @ParameterizedTest(name = "{0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
            "/api/user-sessions?limit=abc                 | limit",
            "/api/user-sessions?limit=-1                  | limit",
            "/api/user-sessions?limit=99999999999999999999 | limit",
            "/api/user-sessions?sort_by=age               | sort_by",
            "/api/ab-test?confidence_level=1.5            | confidence_level",
            "/api/ab-test?confidence_level=0              | confidence_level",
            "/api/ab-test?confidence_level=NaN            | confidence_level",
            "/api/ab-test?limit=ten                       | limit",
            "/api/ab-test?event_limit=-5                  | event_limit",
            "/api/ab-test?manual_n_a=100&manual_conv_a=10 | manual_n_b",
            "/api/ab-test?manual_n_a=1.5&manual_conv_a=10&manual_n_b=100&manual_conv_b=12 | manual_n_a",
            "/api/ab-test?manual_n_a=100&manual_conv_a=101&manual_n_b=100&manual_conv_b=12 | manual_conv_a",
            "/api/events?start_date=yesterday             | start_date",
            "/api/events?end_date=2023-02-30              | end_date",
            "/api/users?limit=x                           | limit",
            "/api/users?offset=-1                         | offset",
    })
    void badParametersGet400WithAJsonErrorNamingTheParameter(String request, String parameter) throws Exception {
        ApiHarness.Reply r = api.get(request);

        assertEquals(400, r.status(), r.raw().body());
        assertEquals(parameter, r.json().get("parameter").asText());
        assertTrue(r.json().get("error").asText().contains(parameter), r.json().toString());
        assertTrue(r.raw().headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    @Test
    void unknownParametersAreIgnoredAsTheReferenceDoes() throws Exception {
        assertEquals(api.get("/api/metrics").json(), api.get("/api/metrics?colour=blue").json());
    }

    @Test
    void aTooLongFilterValueGets400() throws Exception {
        ApiHarness.Reply r = api.get("/api/users?country=" + "x".repeat(300));

        assertEquals(400, r.status());
        assertEquals("country", r.json().get("parameter").asText());
    }

    @Test
    void unknownPathsAndWrongMethodsGetJsonErrors() throws Exception {
        ApiHarness.Reply missing = api.get("/api/nope");
        ApiHarness.Reply post = api.send("POST", "/api/metrics", Map.of());

        assertEquals(404, missing.status());
        assertTrue(missing.json().get("error").asText().contains("/api/nope"));
        assertTrue(post.status() == 404 || post.status() == 405, "got " + post.status());
        assertTrue(post.json().has("error"));
    }

    @Test
    void everyAnswerCarriesAnOpenCorsHeaderAsTheReference() throws Exception {
        ApiHarness.Reply r = api.send("GET", "/api/funnel", Map.of("Origin", "http://dashboard.example"));
        ApiHarness.Reply preflight = api.send("OPTIONS", "/api/funnel", Map.of("Origin", "http://dashboard.example",
                "Access-Control-Request-Method", "GET"));

        assertEquals("*", r.raw().headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(preflight.status() < 300, "preflight status " + preflight.status());
        assertEquals("*", preflight.raw().headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    }

    @Test
    void aBareDateMeansMidnightUtc() throws Exception {
        assertEquals(api.get("/api/events?end_date=2023-01-03T00:00:00Z").json(), api.get("/api/events?end_date=2023-01-03").json());
        assertEquals(2, api.get("/api/events?end_date=2023-01-03").json().get("total").asInt());
        assertEquals(1, api.get("/api/events?end_date=2023-01-02").json().get("total").asInt());
    }

    @Test
    void aConfiguredTokenIsRequiredExceptForHealth() throws Exception {
        try (ApiHarness locked = new ApiHarness(pipeline.queries, new ApiOptions(java.util.List.of("*"), "s3cret"))) {
            assertEquals(401, locked.get("/api/metrics").status());
            assertEquals(401, locked.send("GET", "/api/metrics", Map.of("Authorization", "Bearer wrong")).status());
            assertEquals(200, locked.send("GET", "/api/metrics", Map.of("Authorization", "Bearer s3cret")).status());
            assertEquals(200, locked.get("/api/health").status());
            assertFalse(locked.get("/api/metrics").json().get("error").asText().isEmpty());
        }
    }
}
