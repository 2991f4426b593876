package com.vizsprints.streams.app;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The production logging configuration (src/main/resources/logback.xml): the console of
 * {@code demo}, {@code serve} and {@code broker} carries the application's own log lines only,
 * never Kafka's INFO chatter; Kafka, broker and library logs go to the log file, Kafka's at WARN
 * but for the lines on rebalances and recoveries (Kafka Streams' client and thread states); JSON
 * lines on request.
 */
class LoggingConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void consoleCarriesOnlyTheApplicationsLinesAndTheFileKafkaAtWarnButForRebalancesAndRecoveries() throws Exception {
        Path file = dir.resolve("logs").resolve("vizsprints.log");
        String console = logSamples(Map.of(LogFile.FILE_PROPERTY, file.toString()));

        List<String> consoleLines = console.lines().toList();
        assertEquals(2, consoleLines.size(), console);
        assertTrue(consoleLines.get(0).contains("INFO") && consoleLines.get(0).endsWith("app-info"), console);
        assertTrue(consoleLines.get(1).contains("WARN") && consoleLines.get(1).endsWith("app-warn"), console);
        assertFalse(console.contains("org.apache.kafka") || console.contains("kafka-") || console.contains("broker-"), console);

        String logged = Files.readString(file, StandardCharsets.UTF_8);
        for (String expected : List.of("kafka-warn", "kafka-error", "streams-info", "broker-warn", "javalin-info", "app-info", "app-warn")) {
            assertTrue(logged.contains(expected), expected + " is in the file:\n" + logged);
        }
        for (String quiet : List.of("kafka-info", "broker-info", "state-change-info", "zookeeper-info", "jetty-info")) {
            assertFalse(logged.contains(quiet), quiet + " is not logged:\n" + logged);
        }
        assertTrue(logged.lines().anyMatch(l -> l.contains(" WARN ") && l.contains("org.apache.kafka.clients.NetworkClient")
            && l.endsWith("kafka-warn")), "the file names level and logger:\n" + logged);
    }

    @Test
    void jsonOnRequestOneObjectPerLineOnConsoleAndInTheFile() throws Exception {
        Path file = dir.resolve("json.log");
        String console = logSamples(Map.of(LogFile.FILE_PROPERTY, file.toString(), LogFile.FORMAT_PROPERTY, "json"));

        List<JsonNode> consoleEvents = parseLines(console);
        assertEquals(List.of("app-info", "app-warn"), consoleEvents.stream().map(e -> e.path("formattedMessage").asText()).toList());
        List<JsonNode> fileEvents = parseLines(Files.readString(file, StandardCharsets.UTF_8));
        JsonNode kafkaWarn = fileEvents.stream().filter(e -> e.path("formattedMessage").asText().equals("kafka-warn")).findFirst().orElseThrow();
        assertEquals("WARN", kafkaWarn.path("level").asText());
        assertEquals("org.apache.kafka.clients.NetworkClient", kafkaWarn.path("loggerName").asText());
        assertTrue(kafkaWarn.path("timestamp").isNumber(), kafkaWarn.toString());
        assertTrue(fileEvents.stream().noneMatch(e -> e.path("formattedMessage").asText().equals("kafka-info")));
    }

    @Test
    void thisJvmRunsTheProductionConfigurationWithTheLogFileTheTestsAskFor() {
        // The root pom points vizsprints.log.file into target/ for every test JVM; the same
        // logback.xml as in production is in force (there is no logback-test.xml).
        Path expected = Path.of(System.getProperty(LogFile.FILE_PROPERTY)).toAbsolutePath().normalize();
        assertEquals(expected, LogFile.current().orElseThrow());
        assertEquals("Kafka and broker logs: " + expected, LogFile.consoleLine());
        assertEquals(null, LoggingConfigTest.class.getResource("/logback-test.xml"));
    }

    @Test
    void aChildJvmsLogFileLiesBesideItsConsoleLog() {
        assertEquals(dir.resolve("logs").resolve("broker-1.kafka.log"), LogFile.besideConsoleLog(dir.resolve("logs").resolve("broker-1.log")));
        assertEquals(dir.resolve("app.out.kafka.log"), LogFile.besideConsoleLog(dir.resolve("app.out")));
    }

    /** Configures a fresh logger context from logback.xml with {@code properties}, logs samples, returns what reached stderr. */
    private static String logSamples(Map<String, String> properties) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        properties.forEach(context::putProperty);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(LoggingConfigTest.class.getResource("/logback.xml"));
            assertNoProblems(context, "configuring");
            context.getLogger("org.apache.kafka.clients.NetworkClient").info("kafka-info");
            context.getLogger("org.apache.kafka.clients.NetworkClient").warn("kafka-warn");
            context.getLogger("org.apache.kafka.streams.KafkaStreams").info("streams-info");
            context.getLogger("org.apache.kafka.streams.KafkaStreams").error("kafka-error");
            context.getLogger("kafka.server.BrokerServer").info("broker-info");
            context.getLogger("kafka.server.BrokerServer").warn("broker-warn");
            context.getLogger("state.change.logger").info("state-change-info");
            context.getLogger("org.apache.zookeeper.ZooKeeper").info("zookeeper-info");
            context.getLogger("org.eclipse.jetty.server.Server").info("jetty-info");
            context.getLogger("io.javalin.Javalin").info("javalin-info");
            context.getLogger("com.vizsprints.streams.app.AnalyticsApplication").debug("app-debug");
            context.getLogger("com.vizsprints.streams.app.AnalyticsApplication").info("app-info");
            context.getLogger("com.vizsprints.streams.processor.topology.AnalyticsProcessor").warn("app-warn");
            assertNoProblems(context, "logging");
        } finally {
            context.stop();
            System.setErr(original);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    private static void assertNoProblems(LoggerContext context, String when) {
        List<Status> problems = context.getStatusManager().getCopyOfStatusList().stream()
            .filter(s -> s.getLevel() >= Status.WARN).toList();
        if (!problems.isEmpty()) {
            throw new AssertionError("logback.xml: warnings or errors while " + when + ": " + problems.stream()
                .map(s -> s.getMessage() + (s.getThrowable() == null ? "" : " (" + s.getThrowable() + ")")).toList());
        }
    }

    private static List<JsonNode> parseLines(String text) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String line : text.lines().filter(l -> !l.isBlank()).toList()) {
            events.add(JSON.readTree(line));
        }
        return events;
    }
}
