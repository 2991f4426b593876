package com.vizsprints.streams.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for the benchmark: GET and parse JSON, or GET and time. */
final class HttpProbe {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    HttpProbe(String base) {
        this.base = base;
    }

    String base() {
        return base;
    }

    /** The body of a GET answered with 200, as JSON; null otherwise (or when it is not JSON). */
    JsonNode json(String path) {
        String body = text(path);
        try {
            return body == null ? null : JSON.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }

    /** The body of a GET answered with 200, as text; null otherwise. */
    String text(String path) {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Status and server-side time ({@code Server-Timing}, nanoseconds; -1 when absent) of a GET. */
    record Timed(int status, long serverNanos) {
    }

    /** A GET whose body is read and discarded; status -1 on an I/O failure. */
    Timed timed(String path) {
        try {
            HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.discarding());
            long server = r.headers().firstValue("Server-Timing").map(v -> v.replaceAll(".*dur=", ""))
                    .map(ms -> (long) (Double.parseDouble(ms) * 1e6)).orElse(-1L);
            return new Timed(r.statusCode(), server);
        } catch (IOException e) {
            return new Timed(-1, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Timed(-1, -1);
        }
    }
}
