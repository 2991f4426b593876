package com.vizsprints.streams.it;

import com.vizsprints.streams.app.AnalyticsApplication;
import com.vizsprints.streams.app.broker.EmbeddedKafkaBroker;
import com.vizsprints.streams.processor.config.ProcessorConfig;
import com.vizsprints.streams.processor.schema.StateStores;
import com.vizsprints.streams.query.http.ApiOptions;
import com.vizsprints.streams.query.http.PeerOptions;
import com.vizsprints.streams.replay.ReplayOptions;
import com.vizsprints.streams.replay.ReplayTool;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A running instance on a real broker: the public port serves no store entries to anyone (the
 * peer routes live on the peer port only, behind the peer secret), the instance is ready once
 * every partition is queryable, and {@code /metrics} shows the running pipeline.
 */
@Tag("integration")
class PeerTrafficIntegrationTest {
    private static final Path DATA = RepositoryData.sampleData();
    private static final String SECRET = "peer-secret-for-this-test";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Partitions of the topics this test's instance creates. */
    private static final int PARTITIONS = 3;

    @Test
    void publicClientsCannotReadStoresPeersWithTheSecretCanAndTheInstanceIsReady(@TempDir Path work) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, work.resolve("broker"))) {
            ProcessorConfig config = ProcessorConfig.defaults(broker.bootstrapServers(), work.resolve("state"), null);
            try (AnalyticsApplication app = AnalyticsApplication.start(new AnalyticsApplication.Settings(config, "127.0.0.1", null, 0, PARTITIONS,
                    ApiOptions.open(), new PeerOptions(null, 0, SECRET)))) {
                assertTrue(app.awaitRunning(Duration.ofMinutes(2)), "streams running");
                String publicUrl = "http://127.0.0.1:" + app.port();
                String peerUrl = "http://127.0.0.1:" + app.peerPort();
                assertFalse(app.port() == app.peerPort());
                ReplayTool.run(ReplayOptions.of(broker.bootstrapServers(), DATA.resolve("users.csv"), DATA.resolve("events.csv")));
                Pipeline.awaitProcessed(publicUrl, 1000, 15_862, Duration.ofMinutes(3));

                // The public port: no store entries for anyone, with or without a token or the peer secret.
                for (String store : StateStores.VIEWS) {
                    for (int p = 0; p < PARTITIONS; p++) {
                        String path = "/internal/v1/stores/" + store + "/" + p + "?op=range&limit=10";
                        for (String auth : new String[]{null, "Bearer " + SECRET}) {
                            HttpResponse<String> r = get(publicUrl + path, auth);
                            assertEquals(404, r.statusCode(), path);
                            assertFalse(r.body().contains("entries"), r.body());
                        }
                    }
                }
                assertEquals(404, get(publicUrl + "/internal/v1/ping", null).statusCode());

                // The peer port: only with the peer secret.
                String storePath = peerUrl + "/internal/v1/stores/" + StateStores.USER_STATE + "/";
                assertEquals(401, get(storePath + "0?op=range&limit=10", null).statusCode());
                assertEquals(401, get(storePath + "0?op=range&limit=10", "Bearer wrong").statusCode());
                assertEquals(401, get(peerUrl + "/internal/v1/ping", null).statusCode());
                int entries = 0;
                for (int p = 0; p < PARTITIONS; p++) {
                    HttpResponse<String> r = get(storePath + p + "?op=range&limit=10", "Bearer " + SECRET);
                    assertEquals(200, r.statusCode(), r.body());
                    entries += r.body().split("\\],\\[").length;
                }
                assertTrue(entries >= 3, "peers read user entries");
                // The peer port serves nothing public.
                assertEquals(404, get(peerUrl + "/api/metrics", "Bearer " + SECRET).statusCode());

                // Probes and metrics of the running instance.
                Pipeline.Answer ready = Pipeline.get(publicUrl, "/readyz");
                assertEquals(200, ready.status(), ready.raw());
                assertEquals("ready", ready.body().get("status").asText());
                assertEquals(PARTITIONS, ready.body().get("partitions").asInt());
                assertEquals(200, Pipeline.get(publicUrl, "/livez").status());
                Pipeline.Answer health = Pipeline.get(publicUrl, "/api/health");
                assertEquals("healthy", health.body().get("status").asText());
                String metrics = Pipeline.get(publicUrl, "/metrics").raw();
                String ours = String.join("\n", metrics.lines().filter(l -> l.startsWith("vizsprints_")).toList());
                assertTrue(metrics.contains("\nkafka_stream_thread_"), "stream thread metrics");
                assertTrue(metrics.contains("\nvizsprints_pending_records 0.0"), "pending records");
                assertTrue(metrics.contains("\nvizsprints_dead_lettered_records 0.0"), "dead-lettered records: " + ours);
                assertTrue(metrics.contains("\nvizsprints_duplicate_events 0.0"), "duplicate events: " + ours);
                assertTrue(metrics.contains("vizsprints_streams_state 2.0"), "RUNNING");
                assertTrue(metrics.contains("uri=\"/api/health\""), "health requests timed under their route");
            }
        }
    }

    private static HttpResponse<String> get(String url, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
