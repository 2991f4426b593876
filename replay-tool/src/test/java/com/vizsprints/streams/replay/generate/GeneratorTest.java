package com.vizsprints.streams.replay.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vizsprints.streams.processor.model.EventRecord;
import com.vizsprints.streams.processor.model.UserRecord;
import com.vizsprints.streams.replay.CsvContents;
import com.vizsprints.streams.replay.EventsCsv;
import com.vizsprints.streams.replay.ReplayApp;
import com.vizsprints.streams.replay.UsersCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The synthetic data generator: format, determinism, ordering and the shape of the data. */
class GeneratorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FUNNEL = DataGenerator.FUNNEL;

    @TempDir
    Path dir;

    private DataGenerator.Result generate(String name, int users, long seed, boolean shuffle) throws IOException {
        return DataGenerator.generate(new GeneratorOptions(users, seed, dir.resolve(name), shuffle));
    }

    private static byte[] bytes(Path file) throws IOException {
        return Files.readAllBytes(file);
    }

    private static CsvContents<UserRecord> users(DataGenerator.Result result) throws IOException {
        CsvContents<UserRecord> users = UsersCsv.readAll(result.usersFile());
        assertEquals(List.of(), users.rejected());
        return users;
    }

    private static CsvContents<EventRecord> events(DataGenerator.Result result) throws IOException {
        CsvContents<EventRecord> events = EventsCsv.readAll(result.eventsFile());
        assertEquals(List.of(), events.rejected());
        return events;
    }

    @Test
    void shouldWriteIdenticalBytesForTheSameSeedAndDifferentOnesForAnotherSeed() throws IOException {
        DataGenerator.Result first = generate("a", 2_000, 7, false);
        DataGenerator.Result again = generate("b", 2_000, 7, false);
        DataGenerator.Result other = generate("c", 2_000, 8, false);
        assertArrayEquals(bytes(first.usersFile()), bytes(again.usersFile()));
        assertArrayEquals(bytes(first.eventsFile()), bytes(again.eventsFile()));
        assertFalse(Arrays.equals(bytes(first.usersFile()), bytes(other.usersFile())));
        assertFalse(Arrays.equals(bytes(first.eventsFile()), bytes(other.eventsFile())));

        DataGenerator.Result shuffled = generate("d", 2_000, 7, true);
        DataGenerator.Result shuffledAgain = generate("e", 2_000, 7, true);
        assertArrayEquals(bytes(shuffled.eventsFile()), bytes(shuffledAgain.eventsFile()));
    }

    @Test
    void shouldWriteTheSampleFormatThatTheProjectsReadersAccept() throws IOException {
        DataGenerator.Result result = generate("out", 3_000, 1, false);
        List<String> userLines = Files.readAllLines(result.usersFile());
        List<String> eventLines = Files.readAllLines(result.eventsFile());
        assertEquals("user_id,joined_at,device,country,subscription_status,ab_variant", userLines.get(0));
        assertEquals("event_id,user_id,event_name,timestamp,metadata", eventLines.get(0));
        assertTrue(userLines.get(1).matches("u_0001,2023-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ,"
                + "(Mobile|Desktop|Tablet),[A-Z]{2},(Free|Premium|Enterprise),[AB]"), userLines.get(1));
        assertTrue(eventLines.get(1).matches("e_1,u_\\d{4},[a-z_]+,2023-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ,"
                + "\"\\{\"\".*\"\"\\}\""), eventLines.get(1));

        List<UserRecord> users = users(result).records();
        List<EventRecord> events = events(result).records();
        assertEquals(3_000, users.size());
        assertEquals(result.events(), events.size());
        assertEquals(3_000, result.users());

        Map<String, UserRecord> byId = new HashMap<>();
        for (UserRecord user : users) {
            assertTrue(user.userId().matches("u_\\d{4}"), user.userId());
            assertEquals(null, byId.put(user.userId(), user), "duplicate " + user.userId());
            Instant.parse(user.joinedAt());
        }
        Set<String> eventIds = new HashSet<>();
        Set<String> names = new TreeSet<>();
        for (int i = 0; i < events.size(); i++) {
            EventRecord event = events.get(i);
            assertEquals("e_" + (i + 1), event.eventId());
            assertTrue(eventIds.add(event.eventId()), "duplicate " + event.eventId());
            UserRecord user = byId.get(event.userId());
            assertNotNull(user, "unknown user " + event.userId());
            names.add(event.eventName());
            JsonNode metadata = JSON.readTree(event.metadata());
            assertEquals(user.abVariant(), metadata.path("variant").asText(), event.toString());
            Set<String> keys = new TreeSet<>();
            metadata.fieldNames().forEachRemaining(keys::add);
            assertTrue(expectedKeys(event.eventName()).contains(keys), event.toString());
        }
        assertEquals(new TreeSet<>(DataGenerator.EVENT_NAMES), names);
    }

    private static List<Set<String>> expectedKeys(String name) {
        switch (name) {
            case "signup_success":
                return List.of(Set.of("source", "variant"));
            case "view_dashboard":
            case "start_project":
            case "complete_task":
            case "invite_user":
                return List.of(Set.of("variant"), Set.of("funnel_stage", "variant"));
            case "upgrade_subscription":
                return List.of(Set.of("plan", "variant"));
            case "export_data":
                return List.of(Set.of("format", "variant"));
            case "create_chart":
                return List.of(Set.of("chart_type", "variant"));
            default:
                return List.of(Set.of("variant"));
        }
    }

    @Test
    void shouldWriteEventsInTimeOrderByDefaultAndTheSameRowsShuffledOnRequest() throws IOException {
        DataGenerator.Result ordered = generate("ordered", 2_000, 3, false);
        DataGenerator.Result shuffled = generate("shuffled", 2_000, 3, true);
        assertArrayEquals(bytes(ordered.usersFile()), bytes(shuffled.usersFile()));
        assertEquals(ordered.events(), shuffled.events());

        List<EventRecord> inOrder = events(ordered).records();
        List<EventRecord> inShuffle = events(shuffled).records();
        assertTrue(nonDecreasing(inOrder), "default output must be in time order");
        assertFalse(nonDecreasing(inShuffle), "--shuffle output must not be in time order");

        List<String> orderedLines = Files.readAllLines(ordered.eventsFile());
        List<String> shuffledLines = Files.readAllLines(shuffled.eventsFile());
        assertEquals(orderedLines.get(0), shuffledLines.get(0));
        List<String> a = new ArrayList<>(orderedLines.subList(1, orderedLines.size()));
        List<String> b = new ArrayList<>(shuffledLines.subList(1, shuffledLines.size()));
        assertFalse(a.equals(b));
        a.sort(null);
        b.sort(null);
        assertEquals(a, b);
    }

    private static boolean nonDecreasing(List<EventRecord> events) {
        for (int i = 1; i < events.size(); i++) {
            if (events.get(i).timestamp().compareTo(events.get(i - 1).timestamp()) < 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void shouldLookLikeTheSampleData() throws IOException {
        DataGenerator.Result result = generate("shape", 5_000, 11, false);
        List<UserRecord> users = users(result).records();
        List<EventRecord> events = events(result).records();
        Map<String, UserRecord> byId = new HashMap<>();
        users.forEach(u -> byId.put(u.userId(), u));

        // time: within 2023, never before joining; joins spread over the year
        Set<String> joinMonths = new TreeSet<>();
        users.forEach(u -> joinMonths.add(u.joinedAt().substring(0, 7)));
        assertEquals(12, joinMonths.size());
        Map<String, List<EventRecord>> perUser = new TreeMap<>();
        for (EventRecord event : events) {
            assertTrue(event.timestamp().startsWith("2023-"), event.toString());
            assertTrue(event.timestamp().compareTo(byId.get(event.userId()).joinedAt()) >= 0,
                    "event before its user joined: " + event);
            perUser.computeIfAbsent(event.userId(), k -> new ArrayList<>()).add(event);
        }

        // about 15 events per user
        double eventsPerUser = (double) events.size() / users.size();
        assertTrue(eventsPerUser >= 10 && eventsPerUser <= 20, "events per user " + eventsPerUser);

        // funnel: counts never increase; each user's first stage events come in funnel order;
        // variant B reaches complete_task more often than A
        int[] stageUsers = new int[FUNNEL.size()];
        Map<String, int[]> completeByVariant = new HashMap<>(); // variant -> {users, reached complete_task}
        users.forEach(u -> completeByVariant.computeIfAbsent(u.abVariant(), k -> new int[2])[0]++);
        int sessions = 0;
        int multiEventSessions = 0;
        for (Map.Entry<String, List<EventRecord>> entry : perUser.entrySet()) {
            String[] firstSeen = new String[FUNNEL.size()];
            long previous = Long.MIN_VALUE;
            int sessionSize = 0;
            for (EventRecord event : entry.getValue()) {
                int stage = FUNNEL.indexOf(event.eventName());
                if (stage >= 0 && firstSeen[stage] == null) {
                    firstSeen[stage] = event.timestamp();
                }
                long now = Instant.parse(event.timestamp()).getEpochSecond();
                if (previous == Long.MIN_VALUE || now - previous > 30 * 60) {
                    if (sessionSize > 1) {
                        multiEventSessions++;
                    }
                    sessions++;
                    sessionSize = 0;
                }
                sessionSize++;
                previous = now;
            }
            if (sessionSize > 1) {
                multiEventSessions++;
            }
            assertNotNull(firstSeen[0], entry.getKey() + " has no signup_success");
            stageUsers[0]++;
            for (int s = 1; s < FUNNEL.size(); s++) {
                if (firstSeen[s] != null) {
                    stageUsers[s]++;
                    assertNotNull(firstSeen[s - 1], entry.getKey() + " skipped a funnel stage");
                    assertTrue(firstSeen[s].compareTo(firstSeen[s - 1]) > 0,
                            entry.getKey() + " reached " + FUNNEL.get(s) + " before " + FUNNEL.get(s - 1));
                }
            }
            if (firstSeen[3] != null) {
                completeByVariant.get(byId.get(entry.getKey()).abVariant())[1]++;
            }
        }
        for (int s = 1; s < FUNNEL.size(); s++) {
            assertTrue(stageUsers[s] <= stageUsers[s - 1], "funnel " + Arrays.toString(stageUsers));
        }
        assertTrue(stageUsers[FUNNEL.size() - 1] < stageUsers[0] * 0.8, "drop-off " + Arrays.toString(stageUsers));
        double shareA = (double) completeByVariant.get("A")[1] / completeByVariant.get("A")[0];
        double shareB = (double) completeByVariant.get("B")[1] / completeByVariant.get("B")[0];
        assertTrue(shareB > shareA, "complete_task share A " + shareA + " B " + shareB);

        // sessions: bursts of events within 30 minutes, several sessions per user
        assertTrue(multiEventSessions > sessions / 5, multiEventSessions + " of " + sessions + " sessions");
        assertTrue((double) sessions / perUser.size() > 3, sessions + " sessions of " + perUser.size() + " users");

        // plans and devices roughly like the sample
        Map<String, Integer> plans = new HashMap<>();
        users.forEach(u -> plans.merge(u.subscriptionStatus(), 1, Integer::sum));
        assertTrue(plans.get("Free") > plans.get("Premium") && plans.get("Premium") > plans.get("Enterprise"),
                plans.toString());
    }

    @Test
    void shouldPadUserIdsToTheWidthOfTheUserCount() throws IOException {
        DataGenerator.Result result = generate("wide", 12_345, 1, false);
        List<UserRecord> users = users(result).records();
        assertEquals("u_00001", users.get(0).userId());
        assertEquals("u_00002", users.get(1).userId());
        assertEquals("u_12345", users.get(users.size() - 1).userId());
    }

    // --------------------------------------------------------------------- command line

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return GenerateApp.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void shouldGenerateFromTheCommandLineAndPrintASummary() throws IOException {
        Path target = dir.resolve("new").resolve("dir");
        assertEquals(0, run("--users", "100", "--seed", "5", "--out", target.toString()));
        String summary = out.toString(StandardCharsets.UTF_8).trim();
        assertTrue(summary.matches("generated 100 users and \\d+ events in " + java.util.regex.Pattern.quote(
                target.toString()) + " \\(\\d+\\.\\d s\\)"), summary);
        assertTrue(Files.isRegularFile(target.resolve("users.csv")));
        assertTrue(Files.isRegularFile(target.resolve("events.csv")));
        try (var files = Files.list(target)) {
            assertEquals(2, files.count(), "temporary files must be removed");
        }
        DataGenerator.Result library = DataGenerator.generate(new GeneratorOptions(100, 5, dir.resolve("lib"), false));
        assertArrayEquals(bytes(library.eventsFile()), bytes(target.resolve("events.csv")));
    }

    @Test
    void shouldBeReachableAsTheGenerateSubcommandOfReplay() {
        Path target = dir.resolve("sub");
        int status = ReplayApp.run(new String[]{"generate", "--users=50", "--out=" + target, "--shuffle"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("generated 50 users and "));
        assertTrue(Files.isRegularFile(target.resolve("events.csv")));
    }

    @Test
    void shouldExitWithUsageErrorsNamingTheFlag() throws IOException {
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        String outDir = dir.resolve("o").toString();
        assertUsage("Missing required option: '--users'", "--out", outDir);
        assertUsage("Missing required option: '--out'", "--users", "10");
        assertUsage("Invalid value for option '--users': 'ten' is not an int", "--users", "ten", "--out", outDir);
        assertUsage("--users must be a whole number", "--users", "0", "--out", outDir);
        assertUsage("Expected parameter for option '--users' but found '--out'", "--users", "--out", outDir);
        assertUsage("Invalid value for option '--seed': 'x' is not a long", "--users", "10", "--seed", "x", "--out", outDir);
        assertUsage("--out is not a directory", "--users", "10", "--out", file.toString());
        assertUsage("Unknown option: '--users-last'", "--users", "10", "--out", outDir, "--users-last");
        assertUsage("Invalid value for option '--shuffle': 'yes' is not a boolean", "--users", "10", "--out", outDir, "--shuffle=yes");
        assertUsage("option '--users' (N) should be specified only once", "--users", "10", "--users", "20", "--out", outDir);
        assertUsage("Unmatched argument at index 5: 'extra'", "--users", "10", "--out", outDir, "extra");
        assertFalse(Files.exists(dir.resolve("o")));
    }

    private void assertUsage(String message, String... args) {
        out.reset();
        err.reset();
        assertEquals(2, run(args), String.join(" ", args));
        String error = err.toString(StandardCharsets.UTF_8);
        assertTrue(error.startsWith("replay generate: " + message), error);
        assertTrue(error.contains("Try 'replay generate --help'"), error);
    }

    @Test
    void shouldPrintUsageOnHelp() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: replay generate"));
    }
}
