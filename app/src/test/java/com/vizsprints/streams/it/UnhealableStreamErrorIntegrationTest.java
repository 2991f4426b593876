package com.vizsprints.streams.it;

import com.vizsprints.streams.app.ChildJvm;
import com.vizsprints.streams.app.StreamErrorPolicy;
import com.vizsprints.streams.app.broker.EmbeddedKafkaBroker;
import com.vizsprints.streams.replay.ReplayOptions;
import com.vizsprints.streams.replay.ReplayTool;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An error that cannot heal: every changelog record larger than the producer may send
 * ({@code max.request.size}, a configuration error) fails the same way however often it is
 * retried. Stream processing stops instead of replacing threads forever, and {@code serve}
 * exits with a non-zero status instead of answering 503 for good.
 */
@Tag("integration")
class UnhealableStreamErrorIntegrationTest {
    private static final Path DATA = RepositoryData.sampleData();

    @Test
    void anErrorThatCannotHealStopsProcessingAndServeExitsNonZero(@TempDir Path work) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, work.resolve("broker"))) {
            int port = EmbeddedKafkaBroker.freePort();
            try (ChildJvm app = LauncherJvm.start(work.resolve("app.log"), List.of("-Dvizsprints.streams.producer.max.request.size=200"),
                    "serve", "--bootstrap-servers", broker.bootstrapServers(), "--port", Integer.toString(port),
                    "--state-dir", work.resolve("state").toString())) {
                app.awaitLine("VizSprints Streams API at", Duration.ofMinutes(2));
                ReplayTool.run(ReplayOptions.of(broker.bootstrapServers(), DATA.resolve("users.csv"), DATA.resolve("events.csv")));

                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                while (app.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                String log = Files.readString(app.log());
                assertFalse(app.isAlive(), "serve exits by itself");
                assertEquals(3, app.exitValue(), "the exit status for 'stream processing stopped by itself'");
                assertTrue(log.contains(StreamErrorPolicy.STOPPING), "the policy judged the error unable to heal");
                assertTrue(log.contains("RecordTooLargeException"), "the error is the one provoked");
                assertTrue(log.contains("stream processing stopped by itself (state ERROR)"), "serve said why it exits");
                assertFalse(log.contains(StreamErrorPolicy.REPLACING), "a configuration error is not retried by replacing threads");
            }
        }
    }
}
