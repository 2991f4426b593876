package com.vizsprints.streams.replay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static com.vizsprints.streams.replay.TestFiles.EVENTS_HEADER;
import static com.vizsprints.streams.replay.TestFiles.USERS_HEADER;
import static com.vizsprints.streams.replay.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line's usage errors; none of these reach Kafka. */
class ReplayAppTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ReplayApp.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path users() throws IOException {
        return write(dir, "users.csv", USERS_HEADER, "u_1,2023-01-01T00:00:00Z,Mobile,SG,Free,A");
    }

    private void assertUsageError(String message) {
        assertTrue(err().startsWith("replay: " + message + System.lineSeparator()), err());
        assertTrue(err().contains("Try 'replay --help'"), err());
    }

    @Test
    void shouldExitWithUsageErrorOnUnknownFlagNamingIt() throws IOException {
        assertEquals(2, run("--bootstrap-servers", "localhost:9092", "--users", users().toString(), "--bogus", "1"));
        assertUsageError("Unknown options: '--bogus', '1'");
    }

    @Test
    void shouldExitWithUsageErrorOnUnexpectedArgument() throws IOException {
        assertEquals(2, run("--bootstrap-servers", "localhost:9092", "--users", users().toString(), "extra"));
        assertUsageError("Unmatched argument at index 4: 'extra'");
    }

    @Test
    void shouldExitWithUsageErrorWhenUsersFileIsMissingNamingFlagAndFile() {
        String missing = dir.resolve("nope.csv").toString();
        assertEquals(2, run("--bootstrap-servers", "localhost:9092", "--users", missing));
        assertUsageError("--users file not found: " + missing);
    }

    @Test
    void shouldExitWithUsageErrorWhenEventsFileIsMissingNamingFlagAndFile() throws IOException {
        String missing = dir.resolve("nope.csv").toString();
        assertEquals(2, run("--bootstrap-servers=localhost:9092", "--users=" + users(), "--events=" + missing));
        assertUsageError("--events file not found: " + missing);
    }

    @Test
    void shouldExitWithUsageErrorWhenEventsFileIsADirectory() {
        assertEquals(2, run("--bootstrap-servers", "localhost:9092", "--events", dir.toString()));
        assertUsageError("--events is not a regular file: " + dir);
    }

    @Test
    void shouldExitWithUsageErrorWhenNoFileIsGiven() {
        assertEquals(2, run("--bootstrap-servers", "localhost:9092"));
        assertUsageError("give --users, --events or both");
    }

    @Test
    void shouldExitWithUsageErrorWhenBootstrapServersAreMissing() throws IOException {
        assertEquals(2, run("--users", users().toString()));
        assertUsageError("Missing required option: '--bootstrap-servers' (or --dry-run)");
    }

    @Test
    void shouldExitWithUsageErrorWhenAFlagHasNoValue() {
        assertEquals(2, run("--bootstrap-servers", "localhost:9092", "--users"));
        assertUsageError("Missing required parameter for option '--users' (FILE)");
    }

    @Test
    void shouldNotTakeTheNextFlagAsAValue() {
        assertEquals(2, run("--bootstrap-servers", "--users", "x.csv"));
        assertUsageError("Expected parameter for option '--bootstrap-servers' but found '--users'");
    }

    @Test
    void shouldExitWithUsageErrorWhenAFlagIsRepeated() throws IOException {
        assertEquals(2, run("--bootstrap-servers", "a:1", "--bootstrap-servers", "b:1", "--users", users().toString()));
        assertUsageError("option '--bootstrap-servers' (HOST:PORT[,...]) should be specified only once");
    }

    @Test
    void shouldExitWithUsageErrorOnBadPartitions() throws IOException {
        assertEquals(2, run("--bootstrap-servers", "localhost:9092", "--users", users().toString(), "--partitions", "0"));
        assertUsageError("--partitions must be a whole number from 1 to 2147483647, got '0'");
    }

    @Test
    void shouldExitWithUsageErrorOnBadReplicationFactor() throws IOException {
        assertEquals(2, run("--bootstrap-servers", "localhost:9092", "--users", users().toString(),
                "--replication-factor", "three"));
        assertUsageError("Invalid value for option '--replication-factor': 'three' is not an int");
    }

    @Test
    void shouldExitWithUsageErrorWhenTopicsAreTheSame() throws IOException {
        assertEquals(2, run("--bootstrap-servers", "localhost:9092", "--users", users().toString(),
                "--users-topic", "t", "--events-topic", "t"));
        assertUsageError("--users-topic and --events-topic must differ, both are t");
    }

    @Test
    void shouldExitWithUsageErrorNamingTheFileWhoseHeaderIsWrongBeforeContactingKafka() throws IOException {
        Path events = write(dir, "events.csv", USERS_HEADER);
        // Port 1 has no broker: the header check must come first.
        assertEquals(2, run("--bootstrap-servers", "localhost:1", "--users", users().toString(),
                "--events", events.toString()));
        assertEquals("error: events file " + events + ": the header is '" + USERS_HEADER + "' but must be '"
                + EVENTS_HEADER + "'" + System.lineSeparator(), err());
    }

    @Test
    void shouldPrintUsageOnHelp() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: replay"));
    }

    @Test
    void shouldParseAllFlagsIntoOptions() throws Exception {
        Path users = users();
        Path events = write(dir, "events.csv", EVENTS_HEADER);

        ReplayOptions options = ReplayCommand.parse(new String[] {"--bootstrap-servers", "k1:9092,k2:9092",
                "--users", users.toString(), "--events=" + events, "--partitions", "6", "--replication-factor", "3",
                "--users-topic", "u", "--events-topic=e", "--users-after-events"});

        assertEquals("k1:9092,k2:9092", options.bootstrapServers());
        assertTrue(options.usersAfterEvents());
        assertEquals(users, options.usersFile());
        assertEquals(events, options.eventsFile());
        assertEquals(6, options.partitions());
        assertEquals(3, options.replicationFactor());
        assertEquals("u", options.topics().users());
        assertEquals("e", options.topics().events());
    }

    @Test
    void shouldDefaultPartitionsReplicationAndTopics() throws Exception {
        ReplayOptions options = ReplayCommand.parse(new String[] {"--bootstrap-servers", "k:9092",
                "--users", users().toString()});

        assertEquals(null, options.eventsFile());
        assertEquals(com.vizsprints.streams.processor.schema.TopicSetup.DEFAULT_PARTITIONS, options.partitions());
        assertEquals(1, options.replicationFactor());
        assertEquals(com.vizsprints.streams.processor.schema.Topics.defaults(), options.topics());
        assertFalse(options.usersAfterEvents());
    }
}
