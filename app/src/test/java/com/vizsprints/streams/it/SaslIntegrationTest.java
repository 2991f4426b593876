package com.vizsprints.streams.it;

import com.vizsprints.streams.app.AnalyticsApplication;
import com.vizsprints.streams.app.ChildJvm;
import com.vizsprints.streams.app.ServeCommand;
import com.vizsprints.streams.app.broker.EmbeddedKafkaBroker;
import com.vizsprints.streams.replay.ReplayApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broker whose client listener requires SASL/PLAIN authentication. With the right credentials,
 * given as a user gives them (a --kafka-config client properties file), the replay and the
 * application work and the whole sample answers as the goldens say; with wrong ones, replay and
 * serve fail within seconds with an authentication error, not a hang or a bare stack trace.
 */
@Tag("integration")
class SaslIntegrationTest {
    private static final Path DATA = RepositoryData.sampleData();
    private static final String USER = "vizsprints";
    private static final String PASSWORD = "right-secret";
    private static final Duration FAIL_FAST = Duration.ofSeconds(45);

    @TempDir
    static Path work;
    static EmbeddedKafkaBroker broker;
    static Path rightCredentials;
    static Path wrongCredentials;

    @BeforeAll
    static void startBroker() throws IOException {
        broker = EmbeddedKafkaBroker.startWithSasl(work.resolve("broker"), Map.of(USER, PASSWORD, "other", "other-secret"));
        rightCredentials = clientProperties("right.properties", PASSWORD);
        wrongCredentials = clientProperties("wrong.properties", "wrong-secret");
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static Path clientProperties(String name, String password) throws IOException {
        Properties p = new Properties();
        p.putAll(EmbeddedKafkaBroker.saslClientProperties(USER, password));
        Path file = work.resolve(name);
        try (var w = Files.newBufferedWriter(file)) {
            p.store(w, "Kafka client properties");
        }
        return file;
    }

    private record Run(int status, String out, String err, Duration took) {
    }

    private static Run replay(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long t = System.nanoTime();
        int status = ReplayApp.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                Duration.ofNanos(System.nanoTime() - t));
    }

    @Test
    void rightCredentialsReplayServeAndAnswerAsTheGoldens() throws Exception {
        AnalyticsApplication.Settings settings = ServeCommand.parse("--bootstrap-servers", broker.saslBootstrapServers(),
                "--kafka-config", rightCredentials.toString(), "--port", "0", "--state-dir", work.resolve("state").toString());
        assertEquals("SASL_PLAINTEXT", settings.processor().streamsProperties().get("security.protocol"));
        try (AnalyticsApplication app = AnalyticsApplication.start(settings)) {
            assertTrue(app.awaitRunning(Duration.ofMinutes(2)), "streams running over SASL: " + app.streams().state());
            Run run = replay("--bootstrap-servers", broker.saslBootstrapServers(), "--kafka-config", rightCredentials.toString(),
                    "--users", DATA.resolve("users.csv").toString(), "--events", DATA.resolve("events.csv").toString());
            assertEquals(0, run.status(), run.err());
            assertEquals(16_862, publishedCount(run.out()), run.out());
            String baseUrl = "http://127.0.0.1:" + app.port();
            Pipeline.awaitProcessed(baseUrl, 1000, 15_862, Duration.ofMinutes(3));
            assertEquals(List.of(), ParityIntegrationTest.checkAgainstGoldens(baseUrl, Map.of()));
        }
    }

    /** The sum of the "N published" counts of the replay's summary lines. */
    private static long publishedCount(String out) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(": (\\d+) rows read, (\\d+) published, 0 rejected, 0 failed").matcher(out);
        long sum = 0;
        while (m.find()) {
            sum += Long.parseLong(m.group(2));
        }
        return sum;
    }

    @Test
    void wrongCredentialsFailTheReplayFastWithAnAuthenticationError() {
        Run run = replay("--bootstrap-servers", broker.saslBootstrapServers(), "--kafka-config", wrongCredentials.toString(),
                "--users", DATA.resolve("users.csv").toString(), "--events", DATA.resolve("events.csv").toString());
        assertEquals(1, run.status(), run.err());
        assertTrue(run.took().compareTo(FAIL_FAST) < 0, "failed after " + run.took());
        assertTrue(run.err().contains("Kafka authentication failed"), run.err());
        assertTrue(run.err().contains("sasl.jaas.config"), "the message says what to check: " + run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
    }

    @Test
    void wrongCredentialsFailServeFastWithAnAuthenticationError() throws Exception {
        AnalyticsApplication.Settings settings = ServeCommand.parse("--bootstrap-servers", broker.saslBootstrapServers(),
                "--kafka-config", wrongCredentials.toString(), "--port", "0", "--state-dir", work.resolve("state-wrong").toString());
        long t = System.nanoTime();
        Exception e = assertThrows(Exception.class, () -> AnalyticsApplication.start(settings).close());
        assertTrue(Duration.ofNanos(System.nanoTime() - t).compareTo(FAIL_FAST) < 0, "in-process serve failed fast");
        assertTrue(com.vizsprints.streams.cli.KafkaErrors.describe(e).startsWith("Kafka authentication failed"), e.toString());

        // As a user runs it: the launcher exits non-zero with one clear line.
        Path log = work.resolve("serve-wrong.log");
        ChildJvm serve = ChildJvm.start("serve-wrong", log, List.of("-Xmx256m"), ChildJvm.LAUNCHER_MAIN, List.of("serve",
                "--bootstrap-servers", broker.saslBootstrapServers(), "--kafka-config", wrongCredentials.toString(),
                "--port", "0", "--state-dir", work.resolve("state-wrong-2").toString()));
        try {
            long deadline = System.nanoTime() + FAIL_FAST.toNanos();
            while (serve.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertFalse(serve.isAlive(), "serve with wrong credentials must exit, not hang");
            assertEquals(1, serve.exitValue());
            String output = Files.readString(log);
            assertTrue(output.contains("vizsprints serve failed: Kafka authentication failed"), output);
            assertFalse(output.contains("\tat "), "no stack trace: " + output);
        } finally {
            serve.kill();
        }
    }

    @Test
    void noCreateTopicsNamesTheMissingTopic() {
        Run run = replay("--bootstrap-servers", broker.saslBootstrapServers(), "--kafka-config", rightCredentials.toString(),
                "--users-topic", "absent-users", "--events-topic", "absent-events", "--no-create-topics",
                "--users", DATA.resolve("users.csv").toString());
        assertEquals(1, run.status(), run.err());
        assertTrue(run.err().contains("topic absent-users does not exist"), run.err());
        assertTrue(run.err().contains("check topic absent-users"), "names the step: " + run.err());
    }

    @Test
    void replayProgressIsReported() {
        // a covered detail of the operator replay: the final progress line on stderr (not a terminal)
        Run run = replay("--bootstrap-servers", broker.saslBootstrapServers(), "--kafka-config", rightCredentials.toString(),
                "--users-topic", "progress-users", "--events-topic", "progress-events",
                "--users", DATA.resolve("users.csv").toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.err().contains("replay: 1,000 rows read, 1,000 acknowledged, 0 rejected"), run.err());
        assertTrue(run.err().contains("100.0%"), run.err());
    }
}
