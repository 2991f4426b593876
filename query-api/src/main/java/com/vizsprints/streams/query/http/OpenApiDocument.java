package com.vizsprints.streams.query.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /openapi.json}: an OpenAPI 3 document of every public route, with the parameters'
 * types and bounds as {@link RequestParams} and {@link ApiServer} validate them and the shapes
 * of the answers. The peer endpoints ({@link PeerServer}) are not public and not documented here.
 * {@code OpenApiDocumentTest} checks that it documents exactly the routes the server registers.
 */
final class OpenApiDocument {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_INT = Integer.MAX_VALUE;
    private static final byte[] BYTES = render();

    private OpenApiDocument() {
    }

    static byte[] bytes() {
        return BYTES;
    }

    static Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.0.3");
        doc.put("info", map("title", "VizSprints Streams API",
                "version", "0.1.0",
                "description", "Real-time product analytics answered from Kafka Streams state stores, with the reference "
                        + "backend's endpoints, parameters and JSON. Bad parameters get 400 with {\"error\", \"parameter\"}; "
                        + "while state is not queryable the answer is 503 with Retry-After. Unknown parameters are ignored; "
                        + "an empty parameter counts as absent."));
        Map<String, Object> paths = new LinkedHashMap<>();
        paths.put("/api/health", get("health", "Stream state, records not yet processed, counts. 503 with status "
                        + "\"failed\" once stream processing has failed or stopped.", List.of(), false,
                responses(ok(ref("Health")), "503", response("Stream processing failed or stopped", ref("Health")))));
        paths.put("/api/users", get("users", "Users matching every given filter, ordered by user_id; total is the full "
                        + "filtered count.", List.of(text("country"), text("device"), text("subscription_status"),
                        integer("limit", 0, MAX_INT, 1000, "At most this many users"),
                        integer("offset", 0, MAX_INT, 0, "Users skipped before the first one returned"), allowPartial()),
                true, apiResponses(object(props("users", array(ref("User")), "total", integerSchema()), "users", "total"))));
        paths.put("/api/events", get("events", "The first 1000 matching events by timestamp (ties in input order); total "
                        + "counts all matches. Dates are inclusive; a bare date is midnight UTC.",
                List.of(text("user_id"), text("event_name"), instant("start_date"), instant("end_date"), allowPartial()),
                true, apiResponses(object(props("events", array(ref("Event")), "total", integerSchema()), "events", "total"))));
        paths.put("/api/metrics", get("metrics", "KPI cards.", List.of(allowPartial()), true, apiResponses(object(props(
                "total_users", integerSchema(), "active_users", integerSchema(), "conversion_rate", numberSchema(),
                "revenue", numberSchema(), "avg_events_per_user", numberSchema(), "total_events", integerSchema()),
                "total_users", "active_users", "conversion_rate", "revenue", "avg_events_per_user", "total_events"))));
        paths.put("/api/funnel", get("funnel", "Distinct users per funnel stage.", List.of(allowPartial()), true,
                apiResponses(object(props("funnel", array(object(props("stage", stringSchema(), "users", integerSchema(),
                                "conversion_from_total", numberSchema(), "conversion_from_previous", numberSchema(),
                                "drop_off", numberSchema()), "stage", "users", "conversion_from_total",
                                "conversion_from_previous", "drop_off")), "total_users", integerSchema()),
                        "funnel", "total_users"))));
        Map<String, Object> cohortRow = object(props("cohort", stringSchema("YYYY-MM"), "size", integerSchema()), "cohort", "size");
        cohortRow.put("additionalProperties", map("type", "number", "description", "month_0 .. month_{max_months}: retention in percent"));
        paths.put("/api/cohorts", get("cohorts", "Monthly retention per signup cohort.", List.of(allowPartial()), true,
                apiResponses(object(props("cohorts", array(cohortRow), "max_months", integerSchema()), "cohorts", "max_months"))));
        paths.put("/api/ab-test", get("abTest", "A/B test panel; simulation mode when all four manual_* parameters are "
                        + "given (a partial set is 400).",
                List.of(param("confidence_level", map("type", "number", "format", "double", "minimum", 0, "maximum", 1,
                                "exclusiveMinimum", true, "exclusiveMaximum", true, "default", 0.95), "Confidence level of the z-test"),
                        integer("limit", 0, Long.MAX_VALUE, null, "Only the first N users in input order (0: no limit)"),
                        integer("event_limit", 0, Long.MAX_VALUE, null, "Only the first N events in input order (0: no limit)"),
                        integer("manual_n_a", 0, MAX_INT, null, "Simulation: users in variant A"),
                        percent("manual_conv_a", "Simulation: conversion of variant A in percent"),
                        integer("manual_n_b", 0, MAX_INT, null, "Simulation: users in variant B"),
                        percent("manual_conv_b", "Simulation: conversion of variant B in percent"), allowPartial()),
                true, apiResponses(object(props("variant_A", ref("Variant"), "variant_B", ref("Variant"), "lift", numberSchema(),
                        "stats", object(props("z_score", numberSchema(), "p_value", numberSchema(), "significant", booleanSchema(),
                                "power", numberSchema(), "confidence_level", numberSchema()),
                                "z_score", "p_value", "significant", "power", "confidence_level")), "lift", "stats"))));
        paths.put("/api/user-sessions", get("userSessions", "Per-user sessions (split at gaps over 30 minutes), sorted "
                        + "descending by sort_by, ties by user_id.",
                List.of(integer("limit", 0, Long.MAX_VALUE, 100, "At most this many users"),
                        param("sort_by", map("type", "string", "enum", List.of("total_hours", "total_sessions", "last_activity"),
                                "default", "total_hours"), "Sort key"), allowPartial()),
                true, apiResponses(object(props("user_sessions", array(ref("UserSessions")), "total_users", integerSchema()),
                        "user_sessions", "total_users"))));
        paths.put("/api/kpi-time-series", get("kpiTimeSeries", "DAU and signups for every UTC date with events or signups, "
                        + "ascending.", List.of(allowPartial()), true,
                apiResponses(array(object(props("date", stringSchema("YYYY-MM-DD"), "dau", integerSchema(), "signups", integerSchema()),
                        "date", "dau", "signups")))));
        paths.put("/api/stream", get("stream", "Server-Sent Events (send Accept: text/event-stream, else 406): first the "
                        + "current answers, then one event per changed dashboard answer, named after its endpoint (metrics, funnel, "
                        + "cohorts, kpi-time-series, ab-test, user-sessions; default parameters) with the same JSON as its GET; a "
                        + "keep-alive comment every 15 s.", List.of(), true,
                responses(Map.of("description", "an event stream", "content", map("text/event-stream", map("schema", stringSchema()))),
                        "406", response("Accept is not text/event-stream", ref("Error")))));
        paths.put(OpsPaths.METRICS, get("prometheusMetrics", "Prometheus text format: kafka_stream_*, jvm_*, "
                        + "http_server_requests_seconds (per route template), vizsprints_*. No Kafka call per scrape.",
                List.of(), false, Map.of("200", map("description", "Prometheus text exposition format 0.0.4",
                        "content", map("text/plain", map("schema", stringSchema()))))));
        paths.put(OpsPaths.LIVEZ, get("livez", "Liveness: 200 while the process is sound, 503 when stream processing is "
                        + "ERROR, PENDING_ERROR or NOT_RUNNING. No Kafka call.", List.of(), false,
                responses(ok(ref("Probe")), "503", response("Stream processing failed or stopped", ref("Probe")))));
        paths.put(OpsPaths.READYZ, get("readyz", "Readiness: 200 only when stream processing is RUNNING and every partition "
                        + "is queryable (here, on a reachable owner or a standby); 503 with the reason otherwise.", List.of(), false,
                responses(ok(ref("Probe")), "503", response("Not ready", ref("Probe")))));
        paths.put(OpsPaths.OPENAPI, get("openapi", "This document.", List.of(), false,
                Map.of("200", response("OpenAPI 3 document", map("type", "object")))));
        doc.put("paths", paths);
        doc.put("components", components());
        return doc;
    }

    private static Map<String, Object> components() {
        Map<String, Object> schemas = new LinkedHashMap<>();
        schemas.put("Error", object(props("error", stringSchema(), "parameter", stringSchema("the offending parameter, when one is")), "error"));
        schemas.put("Health", object(props("status", map("type", "string", "enum", List.of("healthy", "starting", "rebalancing", "failed")),
                "users_loaded", booleanSchema(), "events_loaded", booleanSchema(), "streams_state", stringSchema(),
                "pending_records", nullable(integerSchema()), "jvm_heap_used_bytes", integerSchema(), "jvm_heap_max_bytes", integerSchema(),
                "local_partitions", array(integerSchema()), "partitions", nullable(integerSchema()), "users", integerSchema(),
                "events", integerSchema(), "duplicate_events", integerSchema(), "dead_lettered", integerSchema(), "detail", stringSchema()),
                "status", "users_loaded", "events_loaded", "streams_state"));
        schemas.put("User", object(props("user_id", stringSchema(), "joined_at", nullable(stringSchema("YYYY-MM-DDTHH:MM:SSZ")),
                "device", nullable(stringSchema()), "country", nullable(stringSchema()), "subscription_status", nullable(stringSchema()),
                "ab_variant", nullable(stringSchema())), "user_id", "joined_at", "device", "country", "subscription_status", "ab_variant"));
        schemas.put("Event", object(props("event_id", stringSchema(), "user_id", stringSchema(), "event_name", nullable(stringSchema()),
                "timestamp", stringSchema("YYYY-MM-DDTHH:MM:SSZ"), "metadata", nullable(stringSchema("the original JSON text"))),
                "event_id", "user_id", "event_name", "timestamp", "metadata"));
        schemas.put("Variant", object(props("total_users", integerSchema(), "total_events", integerSchema(),
                "avg_events_per_user", numberSchema(), "funnel", array(object(props("stage", stringSchema(), "users", integerSchema(),
                        "conversion_rate", numberSchema()), "stage", "users", "conversion_rate"))),
                "total_users", "total_events", "avg_events_per_user", "funnel"));
        schemas.put("UserSessions", object(props("user_id", stringSchema(), "total_sessions", integerSchema(), "total_hours", numberSchema(),
                "avg_session_duration", numberSchema(), "first_activity", stringSchema(), "last_activity", stringSchema(),
                "status", map("type", "string", "enum", List.of("active", "inactive"))),
                "user_id", "total_sessions", "total_hours", "avg_session_duration", "first_activity", "last_activity", "status"));
        schemas.put("Probe", object(props("status", map("type", "string", "enum", List.of("alive", "failed", "ready", "not_ready")),
                "streams_state", stringSchema(), "reason", stringSchema(), "partitions", integerSchema(),
                "missing_partitions", array(integerSchema())), "status", "streams_state"));
        return map("schemas", schemas,
                "securitySchemes", map("bearerAuth", map("type", "http", "scheme", "bearer",
                        "description", "Needed on /api/* except /api/health when the server runs with --api-token")));
    }

    // ------------------------------------------------------------------ building blocks

    private static Map<String, Object> get(String id, String summary, List<Map<String, Object>> params, boolean secured,
                                           Map<String, Object> responses) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("operationId", id);
        op.put("summary", summary);
        if (!params.isEmpty()) {
            op.put("parameters", params);
        }
        if (secured) {
            op.put("security", List.of(map("bearerAuth", List.of()), map()));
        }
        op.put("responses", responses);
        return map("get", op);
    }

    /** 200 with {@code body}, and the errors every /api query endpoint can answer. */
    private static Map<String, Object> apiResponses(Map<String, Object> body) {
        return responses(ok(body), "400", response("A bad parameter", ref("Error")),
                "401", response("Missing or wrong bearer token (only with --api-token)", ref("Error")),
                "503", response("State not queryable right now (starting, rebalancing, a partition without a reachable copy); "
                        + "Retry-After says when to ask again", ref("Error")));
    }

    private static Map<String, Object> responses(Object... pairs) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("200", pairs[0]);
        for (int i = 1; i < pairs.length; i += 2) {
            out.put((String) pairs[i], pairs[i + 1]);
        }
        return out;
    }

    private static Map<String, Object> ok(Map<String, Object> schema) {
        return response("OK", schema);
    }

    private static Map<String, Object> response(String description, Map<String, Object> schema) {
        return map("description", description, "content", map("application/json", map("schema", schema)));
    }

    private static Map<String, Object> param(String name, Map<String, Object> schema, String description) {
        return map("name", name, "in", "query", "required", false, "description", description, "schema", schema);
    }

    private static Map<String, Object> text(String name) {
        return param(name, map("type", "string", "maxLength", RequestParams.MAX_TEXT_LENGTH), "Only rows whose " + name + " equals this");
    }

    private static Map<String, Object> integer(String name, long min, long max, Integer dflt, String description) {
        Map<String, Object> schema = map("type", "integer", "format", "int64", "minimum", min, "maximum", max);
        if (dflt != null) {
            schema.put("default", dflt);
        }
        return param(name, schema, description);
    }

    private static Map<String, Object> percent(String name, String description) {
        return param(name, map("type", "number", "format", "double", "minimum", 0, "maximum", 100), description);
    }

    private static Map<String, Object> instant(String name) {
        return param(name, map("type", "string", "maxLength", RequestParams.MAX_TEXT_LENGTH,
                "description", "YYYY-MM-DD (midnight UTC) or an ISO-8601 timestamp"), "Inclusive bound on the event time");
    }

    private static Map<String, Object> allowPartial() {
        return param("allow_partial", map("type", "boolean", "default", false), "true: answer from the partitions available, "
                + "with \"partial\": true and \"missing_partitions\" (and the X-Partial-Missing-Partitions header) when some are missing");
    }

    private static Map<String, Object> object(Map<String, Object> properties, String... required) {
        Map<String, Object> o = map("type", "object", "properties", properties);
        if (required.length > 0) {
            o.put("required", List.of(required));
        }
        return o;
    }

    private static Map<String, Object> props(Object... pairs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put((String) pairs[i], pairs[i + 1]);
        }
        return out;
    }

    private static Map<String, Object> array(Map<String, Object> items) {
        return map("type", "array", "items", items);
    }

    private static Map<String, Object> ref(String schema) {
        return map("$ref", "#/components/schemas/" + schema);
    }

    private static Map<String, Object> nullable(Map<String, Object> schema) {
        Map<String, Object> copy = new LinkedHashMap<>(schema);
        copy.put("nullable", true);
        return copy;
    }

    private static Map<String, Object> stringSchema() {
        return map("type", "string");
    }

    private static Map<String, Object> stringSchema(String description) {
        return map("type", "string", "description", description);
    }

    private static Map<String, Object> integerSchema() {
        return map("type", "integer", "format", "int64");
    }

    private static Map<String, Object> numberSchema() {
        return map("type", "number");
    }

    private static Map<String, Object> booleanSchema() {
        return map("type", "boolean");
    }

    private static Map<String, Object> map(Object... pairs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put((String) pairs[i], pairs[i + 1]);
        }
        return out;
    }

    private static byte[] render() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(document());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the OpenAPI document", e);
        }
    }

    /** The documented paths, for tests. */
    static List<String> paths() {
        @SuppressWarnings("unchecked")
        Map<String, Object> paths = (Map<String, Object>) document().get("paths");
        return new ArrayList<>(paths.keySet());
    }
}
