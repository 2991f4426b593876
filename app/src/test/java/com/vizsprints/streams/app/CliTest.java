package com.vizsprints.streams.app;

import com.vizsprints.streams.cli.Cli;
import com.vizsprints.streams.cli.VersionProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher's command line: help, version, usage errors, environment and config-file precedence, dry runs. */
class CliTest {
    private static final String USERS_HEADER = "user_id,joined_at,device,country,subscription_status,ab_variant";
    private static final String EVENTS_HEADER = "event_id,user_id,event_name,timestamp,metadata";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        out.reset();
        err.reset();
        return Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private int run(String... args) {
        return run(Map.of(), args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "demo", "broker", "cluster", "serve", "bench", "replay", "replay generate"})
    void everyCommandExplainsItselfWithHelp(String command) {
        List<String> args = new java.util.ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
        args.add("--help");
        assertEquals(0, run(args.toArray(String[]::new)), err());
        String expected = "Usage: vizsprints" + (command.isEmpty() ? "" : " " + command);
        assertTrue(out().startsWith(expected), out());
        assertTrue(out().contains("--help") && out().contains("--version"), out());
        if (!command.isEmpty()) {
            assertTrue(out().contains("--config"), command + " takes --config: " + out());
        }
    }

    @Test
    void theTopLevelHelpListsEveryCommand() {
        assertEquals(0, run("--help"));
        for (String c : List.of("demo", "broker", "cluster", "serve", "bench", "replay")) {
            assertTrue(out().contains("  " + c), c + " in " + out());
        }
        assertTrue(out().replaceAll("\\s+", " ").contains("command line > environment (VIZSPRINTS_<OPTION>) > --config file > default"), out());
    }

    @Test
    void helpCommandKeepsWorking() {
        assertEquals(0, run("help"));
        assertTrue(out().startsWith("Usage: vizsprints"), out());
        assertEquals(0, run("help", "serve"));
        assertTrue(out().startsWith("Usage: vizsprints serve"), out());
    }

    @Test
    void aRepeatedServeOptionTakesItsLastValueAsBefore() {
        AnalyticsApplication.Settings s = serveSettings(Map.of(), "--bootstrap-servers", "a:1", "--port", "1", "--port", "2");
        assertEquals(2, s.port());
    }

    @Test
    void theHttpServerRunsTwoThreadsAndOnePerCoreAtLeastFourUnlessTold() {
        assertEquals(Math.max(4, 2 + Runtime.getRuntime().availableProcessors()), serveSettings(Map.of(), "--bootstrap-servers", "a:1").api().requestThreads());
        assertEquals(9, serveSettings(Map.of(), "--bootstrap-servers", "a:1", "--http-threads", "9").api().requestThreads());
    }

    @Test
    void versionIsTheProjectVersion() {
        assertEquals(0, run("--version"));
        assertEquals("vizsprints " + VersionProvider.version(), out().trim());
        assertTrue(VersionProvider.version().matches("\\d+\\.\\d+\\.\\d+.*"), VersionProvider.version());
        assertEquals(0, run("serve", "--version"));
        assertTrue(out().contains(VersionProvider.version()), out());
    }

    @Test
    void usageErrorsExitTwoAndNameTheOption() {
        assertUsage("--port", "serve", "--bootstrap-servers", "k:9092", "--port", "abc");
        assertUsage("--bootstrap-servers", "serve");
        assertUsage("--processing-guarantee", "serve", "--bootstrap-servers", "k:9092", "--processing-guarantee", "maybe");
        assertUsage("--brokers", "cluster", "--brokers", "0");
        assertUsage("--http-port", "cluster", "--http-port", "65535", "--instances", "2");
        assertUsage("--http-threads", "serve", "--bootstrap-servers", "k:9092", "--http-threads", "2");
        assertUsage("--bogus", "demo", "--bogus", "1");
        assertUsage("--data", "demo", "--data", dir.resolve("nowhere").toString());
        assertUsage("--port", "broker", "--port", "70000");
        assertUsage("--node-id", "broker", "--node-id", "1");
        assertUsage("--users", "bench", "--users", "ten");
        assertUsage("--bootstrap-servers", "replay", "--users", "x.csv");
        assertUsage("--users", "replay", "generate", "--out", dir.toString());
        assertUsage("nope", "nope");
        assertUsage("--config", "serve", "--config", dir.resolve("missing.properties").toString());
        assertUsage("--kafka-config", "serve", "--bootstrap-servers", "k:9092", "--kafka-config", dir.resolve("missing").toString());
        assertEquals(2, run());
        assertTrue(err().contains("Missing required subcommand"), err());
    }

    private void assertUsage(String option, String... args) {
        assertEquals(2, run(args), String.join(" ", args) + ": " + err());
        assertTrue(err().contains(option), String.join(" ", args) + " names " + option + ": " + err());
        assertFalse(err().contains("\tat "), "no stack trace: " + err());
    }

    /** Parses {@code serve} as the launcher would, without starting it. */
    private AnalyticsApplication.Settings serveSettings(Map<String, String> env, String... args) {
        PrintStream nowhere = new PrintStream(PrintStream.nullOutputStream());
        String[] full = new String[args.length + 1];
        full[0] = "serve";
        System.arraycopy(args, 0, full, 1, args.length);
        CommandLine cl = Cli.withDefaults(Cli.commandLine(Main.commandLine(env, nowhere, nowhere), env, nowhere, nowhere), full, env);
        CommandLine.ParseResult parsed = cl.parseArgs(full);
        return ((ServeCommand) parsed.subcommand().commandSpec().userObject()).settings();
    }

    @Test
    void commandLineBeatsEnvironmentBeatsConfigFileBeatsDefault() throws IOException {
        Path config = Files.writeString(dir.resolve("vizsprints.properties"), String.join("\n",
                "bootstrap-servers=from-file:9092", "port=7001", "serve.host=0.0.0.0", "partitions=9",
                "kafka.security.protocol=SASL_SSL", "kafka.sasl.mechanism=PLAIN", "kafka.client.id=from-config"));
        Path kafka = Files.writeString(dir.resolve("client.properties"), "sasl.mechanism=SCRAM-SHA-512\n");
        Map<String, String> env = Map.of("VIZSPRINTS_PORT", "7002", "VIZSPRINTS_CONFIG", config.toString(),
                "VIZSPRINTS_KAFKA_CONFIG", kafka.toString());

        AnalyticsApplication.Settings s = serveSettings(env, "--port", "7003");
        assertEquals(7003, s.port(), "command line first");
        assertEquals("from-file:9092", s.processor().bootstrapServers(), "config file");
        assertEquals("0.0.0.0", s.host(), "command-scoped config key");
        assertEquals(9, s.partitions());
        assertEquals(1, s.processor().replicationFactor(), "default");

        s = serveSettings(env);
        assertEquals(7002, s.port(), "environment before the config file");

        s = serveSettings(Map.of("VIZSPRINTS_CONFIG", config.toString()));
        assertEquals(7001, s.port(), "config file before the default");
        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "client.id", "from-config"),
                s.processor().clientProperties(), "kafka.* keys of the config file");

        s = serveSettings(env, "--bootstrap-servers", "cli:9092");
        assertEquals("cli:9092", s.processor().bootstrapServers());
        assertEquals("SCRAM-SHA-512", s.processor().clientProperties().get("sasl.mechanism"), "--kafka-config overrides kafka.*");
        Properties streams = s.processor().streamsProperties();
        assertEquals("SASL_SSL", streams.get("security.protocol"), "Kafka Streams gets the client properties");
        assertEquals("SCRAM-SHA-512", streams.get("sasl.mechanism"));
        assertEquals("SASL_SSL", s.processor().adminProperties().get("security.protocol"), "the Admin client too");
        assertEquals("cli:9092", s.processor().adminProperties().get("bootstrap.servers"));
        assertTrue(s.createTopics());

        s = serveSettings(Map.of("VIZSPRINTS_NO_CREATE_TOPICS", "true"), "--bootstrap-servers", "k:1");
        assertFalse(s.createTopics(), "switches from the environment");
        s = serveSettings(Map.of(), "--bootstrap-servers", "k:1", "--no-create-topics");
        assertFalse(s.createTopics());
    }

    @Test
    void serveFlagsListIsTheRealOptions() {
        TreeSet<String> real = new TreeSet<>();
        for (OptionSpec o : ServeCommand.specOf().options()) {
            if (o.arity().max() > 0 && !o.usageHelp() && !o.versionHelp()) {
                real.add(o.longestName().substring(2));
            }
        }
        assertEquals(real, new TreeSet<>(ServeCommand.FLAGS));
    }

    @Test
    void childJvmsStartThisLauncher() {
        assertEquals(Main.class.getName(), ChildJvm.LAUNCHER_MAIN);
    }

    @Test
    void dryRunValidatesWithoutABrokerAndExitsByWhatItFound() throws IOException {
        Path users = Files.writeString(dir.resolve("users.csv"), USERS_HEADER + "\nu_1,2023-01-01T00:00:00Z,Mobile,SG,Free,A\n");
        Path events = Files.writeString(dir.resolve("events.csv"), EVENTS_HEADER
                + "\ne_1,u_1,login,2023-01-02T00:00:00Z,{}\n");
        assertEquals(0, run("replay", "--dry-run", "--users", users.toString(), "--events", events.toString()), err());
        assertTrue(out().contains("every row is valid"), out());

        Path bad = Files.writeString(dir.resolve("bad-events.csv"), EVENTS_HEADER
                + "\ne_1,u_1,login,2023-01-02T00:00:00Z,{}\ne_2,u_1,login,not-a-time,{}\n");
        assertEquals(1, run("replay", "--dry-run", "--users", users.toString(), "--events", bad.toString()), err());
        assertTrue(err().startsWith(bad + ":3: "), "file:line: reason, got " + err());
        assertTrue(out().contains("1 rows rejected"), out());

        assertEquals(2, run("replay", "--dry-run"), err());
        assertTrue(err().contains("--users"), err());
        assertEquals(2, run("replay", "--dry-run", "--events", dir.resolve("none.csv").toString()), err());
        assertTrue(err().contains("--events"), err());
        assertEquals(2, run("replay", "--dry-run", "--events", users.toString()), err());
        assertTrue(err().contains("header"), err());
    }

    @Test
    void replayOptionsComeFromTheEnvironmentAndTheConfigFile() throws IOException {
        Path users = Files.writeString(dir.resolve("users.csv"), USERS_HEADER + "\nu_1,2023-01-01T00:00:00Z,Mobile,SG,Free,A\n");
        Path config = Files.writeString(dir.resolve("replay.properties"), "replay.users=" + users.toString().replace("\\", "\\\\")
                + "\ndry-run=true\n");
        assertEquals(0, run(Map.of("VIZSPRINTS_CONFIG", config.toString()), "replay"), err());
        assertTrue(out().contains(users + ": 1 rows, 1 valid, 0 rejected"), out());
        assertEquals(0, run(Map.of("VIZSPRINTS_USERS", users.toString(), "VIZSPRINTS_DRY_RUN", "true"), "replay"), err());
        assertTrue(out().contains("1 valid"), out());
    }
}
