package com.vizsprints.streams.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vizsprints.streams.app.AnalyticsApplication;
import com.vizsprints.streams.app.broker.EmbeddedKafkaBroker;
import com.vizsprints.streams.processor.config.ProcessorConfig;
import com.vizsprints.streams.query.http.ApiOptions;
import com.vizsprints.streams.replay.ReplayOptions;
import com.vizsprints.streams.replay.ReplaySummary;
import com.vizsprints.streams.replay.ReplayTool;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.time.Duration;

/** A real pipeline for integration tests: embedded KRaft broker, the application, the replay tool. */
public final class Pipeline implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public final EmbeddedKafkaBroker broker;
    public final AnalyticsApplication app;

    private Pipeline(EmbeddedKafkaBroker broker, AnalyticsApplication app) {
        this.broker = broker;
        this.app = app;
    }

    /** An embedded broker of its own and the application. */
    public static Pipeline start(Path workDir) throws Exception {
        return start(workDir, EmbeddedKafkaBroker.DEFAULT_TRANSACTION_VERSION);
    }

    /** The same, the broker formatted with {@code transaction.version} {@code transactionVersion}. */
    public static Pipeline start(Path workDir, short transactionVersion) throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, workDir.resolve("broker"), transactionVersion);
        try {
            return new Pipeline(broker, startApp(broker.bootstrapServers(), workDir));
        } catch (Exception e) {
            broker.close();
            throw e;
        }
    }

    /** The application against a broker someone else runs (closing the pipeline leaves it alone). */
    public static Pipeline startAgainst(String bootstrapServers, Path workDir) throws Exception {
        return new Pipeline(null, startApp(bootstrapServers, workDir, 1));
    }

    /** The same, with topics (input, changelog, dead letter) replicated {@code replicationFactor} times. */
    public static Pipeline startAgainst(String bootstrapServers, Path workDir, int replicationFactor) throws Exception {
        return new Pipeline(null, startApp(bootstrapServers, workDir, replicationFactor));
    }

    private static AnalyticsApplication startApp(String bootstrapServers, Path workDir) throws Exception {
        return startApp(bootstrapServers, workDir, 1);
    }

    private static AnalyticsApplication startApp(String bootstrapServers, Path workDir, int replicationFactor) throws Exception {
        ProcessorConfig config = ProcessorConfig.defaults(bootstrapServers, workDir.resolve("state"), null)
                .withReplicationFactor(replicationFactor);
        AnalyticsApplication app = AnalyticsApplication.start(
                new AnalyticsApplication.Settings(config, "127.0.0.1", 0, 3, ApiOptions.open()));
        if (!app.awaitRunning(Duration.ofMinutes(2))) {
            app.close();
            throw new IllegalStateException("streams did not start: " + app.streams().state());
        }
        return app;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** A replay on another thread, for tests that fail something while it runs. */
    public static CompletableFuture<ReplaySummary> replayInBackground(ReplayOptions options) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return ReplayTool.run(options);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    public ReplaySummary replay(Path users, Path events) throws IOException {
        return ReplayTool.run(ReplayOptions.of(broker.bootstrapServers(), users, events));
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + app.port();
    }

    /** GET on any base URL (another process's API). */
    public static Answer get(String baseUrl, String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (IOException notJson) {
            body = null;
        }
        return new Answer(r.statusCode(), body, r.body());
    }

    public record Answer(int status, JsonNode body, String raw) {
    }

    public Answer get(String pathAndQuery) throws IOException, InterruptedException {
        return get(baseUrl(), pathAndQuery);
    }

    /** Waits until every input record is processed and the expected counts are visible. */
    public void awaitProcessed(long users, long events, Duration timeout) throws Exception {
        awaitProcessed(baseUrl(), users, events, timeout);
    }

    /** Same, for the API at {@code baseUrl}. */
    public static void awaitProcessed(String baseUrl, long users, long events, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            Answer h;
            try {
                h = get(baseUrl, "/api/health");
            } catch (IOException notUp) {
                Thread.sleep(200);
                continue;
            }
            last = h.body();
            if (h.status() == 200 && last != null && last.path("pending_records").asLong(-1) == 0
                    && last.path("users").asLong() == users && last.path("events").asLong() == events) {
                // Dashboard answers may be served for up to this long: let any answer computed
                // before the last record was processed expire.
                Thread.sleep(com.vizsprints.streams.query.http.ApiOptions.ANSWER_MAX_STALE_MILLIS + 50);
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("pipeline did not catch up within " + timeout + "; last health: " + last);
    }

    @Override
    public void close() {
        app.close();
        if (broker != null) {
            broker.close();
        }
    }
}
