package com.vizsprints.streams.query.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vizsprints.streams.query.service.AnalyticsQueryService;
import io.javalin.Javalin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The real HTTP server on a free port over a given query service, with a small client. */
final class ApiHarness implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final Javalin app;

    ApiHarness(AnalyticsQueryService service, ApiOptions options) {
        app = ApiServer.create(service, options).start("127.0.0.1", 0);
    }

    private ApiHarness(Javalin started) {
        app = started;
    }

    /** A client of an app someone else started (and stops). */
    static ApiHarness client(Javalin started) {
        return new ApiHarness(started);
    }

    record Reply(int status, JsonNode json, HttpResponse<String> raw) {
    }

    Reply get(String pathAndQuery) throws IOException, InterruptedException {
        return send("GET", pathAndQuery, Map.of());
    }

    Reply send(String method, String pathAndQuery, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json;
        try {
            json = r.body().isEmpty() ? null : JSON.readTree(r.body());
        } catch (IOException e) {
            json = null;
        }
        return new Reply(r.statusCode(), json, r);
    }

    @Override
    public void close() {
        app.stop();
    }
}
