package com.vizsprints.streams.query.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.vizsprints.streams.query.service.TopologyHarness;
import io.javalin.http.HandlerType;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /openapi.json} is a valid OpenAPI 3 document of exactly the routes the server registers, with their real bounds. */
class OpenApiDocumentTest {
    private static TopologyHarness pipeline;
    private static ApiHarness api;
    private static JsonNode doc;
    private static String raw;

    /** The ab-test simulation parameters only count when all four are given. */
    private static final String SIMULATION = "manual_n_a=100&manual_conv_a=10&manual_n_b=100&manual_conv_b=12";

    @BeforeAll
    static void start() throws Exception {
        pipeline = new TopologyHarness();
        pipeline.user("u1", "2023-01-01T00:00:00Z", "Premium", "A").event("u1", "signup_success", "2023-01-01T00:00:00Z");
        api = new ApiHarness(pipeline.queries, ApiOptions.open());
        ApiHarness.Reply reply = api.get("/openapi.json");
        assertEquals(200, reply.status());
        doc = reply.json();
        raw = reply.raw().body();
    }

    @AfterAll
    static void stop() {
        api.close();
        pipeline.close();
    }

    @Test
    void isAValidOpenApi3Document() {
        SwaggerParseResult result = new OpenAPIParser().readContents(raw, null, null);
        assertNotNull(result.getOpenAPI(), "parsed");
        assertEquals(List.of(), result.getMessages(), "validation messages");
        assertTrue(result.getOpenAPI().getOpenapi().startsWith("3."));
    }

    @Test
    void documentsEveryRegisteredRouteAndNothingElse() {
        TreeSet<String> registered = new TreeSet<>();
        api.app.unsafe.internalRouter.allHttpHandlers().forEach(parsed -> {
            HandlerType method = parsed.endpoint.method;
            if (!method.isHttpMethod()) {
                return; // before/after filters
            }
            if (method == HandlerType.OPTIONS && parsed.endpoint.path.equals("/*")) {
                return; // the CORS preflight catch-all: OpenAPI has no wildcard paths
            }
            registered.add(method.name() + " " + parsed.endpoint.path);
        });
        TreeSet<String> documented = new TreeSet<>();
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method ->
                documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey())));
        assertTrue(registered.contains("GET /api/health") && registered.contains("GET /metrics"), registered.toString());
        assertEquals(registered, documented);
        assertFalse(raw.contains("/internal/"), "peer routes are not public");
    }

    @Test
    void everyDocumentedRouteAnswersWithADocumentedStatus() throws Exception {
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            ApiHarness.Reply reply = api.get(path.getKey());
            assertTrue(path.getValue().get("get").get("responses").has(Integer.toString(reply.status())),
                    path.getKey() + " answered " + reply.status());
        }
    }

    /** Each documented bound is the server's: just outside is 400 naming the parameter, on the bound is not. */
    @Test
    void documentedBoundsAreTheValidatedBounds() throws Exception {
        List<String> checked = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            JsonNode params = path.getValue().get("get").get("parameters");
            if (params == null) {
                continue;
            }
            for (JsonNode p : params) {
                String name = p.get("name").asText();
                JsonNode schema = p.get("schema");
                String base = name.startsWith("manual_") ? SIMULATION.replaceAll(name + "=[^&]*&?", "") + "&" : "";
                for (String bound : List.of("minimum", "maximum")) {
                    if (!schema.has(bound)) {
                        continue;
                    }
                    BigDecimal value = schema.get(bound).decimalValue();
                    boolean exclusive = schema.path(bound.equals("minimum") ? "exclusiveMinimum" : "exclusiveMaximum").asBoolean(false);
                    BigDecimal step = schema.get("type").asText().equals("integer") ? BigDecimal.ONE : new BigDecimal("0.001");
                    BigDecimal outside = bound.equals("minimum") ? value.subtract(step) : value.add(step);
                    ApiHarness.Reply bad = api.get(path.getKey() + "?" + base + name + "=" + outside.toPlainString());
                    assertEquals(400, bad.status(), path.getKey() + " " + name + "=" + outside);
                    assertEquals(name, bad.json().get("parameter").asText(), path.getKey() + " " + name + "=" + outside);
                    ApiHarness.Reply onBound = api.get(path.getKey() + "?" + base + name + "=" + value.toPlainString());
                    if (exclusive) {
                        assertEquals(400, onBound.status(), path.getKey() + " " + name + "=" + value + " (exclusive)");
                    } else {
                        assertNotEquals(400, onBound.status(), path.getKey() + " " + name + "=" + value + ": " + onBound.raw().body());
                    }
                    checked.add(path.getKey() + " " + name + " " + bound);
                }
                if (schema.has("maxLength")) {
                    String tooLong = "x".repeat(schema.get("maxLength").asInt() + 1);
                    ApiHarness.Reply bad = api.get(path.getKey() + "?" + base + name + "=" + tooLong);
                    assertEquals(400, bad.status(), path.getKey() + " " + name + " too long");
                    checked.add(path.getKey() + " " + name + " maxLength");
                }
                if (schema.has("enum")) {
                    ApiHarness.Reply bad = api.get(path.getKey() + "?" + name + "=not-one-of-them");
                    assertEquals(400, bad.status(), path.getKey() + " " + name + " outside its enum");
                    for (JsonNode allowed : schema.get("enum")) {
                        assertEquals(200, api.get(path.getKey() + "?" + name + "=" + allowed.asText()).status());
                    }
                    checked.add(path.getKey() + " " + name + " enum");
                }
            }
        }
        assertTrue(checked.contains("/api/ab-test confidence_level minimum"), checked.toString());
        assertTrue(checked.contains("/api/users limit maximum"), checked.toString());
        assertTrue(checked.size() > 20, checked.toString());
    }
}
