package com.vizsprints.streams.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vizsprints.streams.processor.model.EventRecord;
import com.vizsprints.streams.processor.model.UserRecord;
import com.vizsprints.streams.replay.EventsCsv;
import com.vizsprints.streams.replay.ReplaySummary;
import com.vizsprints.streams.replay.UsersCsv;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole pipeline against the reference's golden answers: embedded broker, replay-tool,
 * Kafka Streams, Javalin; every request of golden/sample/index.json over HTTP.
 */
@Tag("integration")
class ParityIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path GOLDENS = RepositoryData.sampleGoldens();
    private static final Path DATA = RepositoryData.sampleData();

    /** Runs every golden request; returns the failures, and prints one PASS/FAIL line per request. */
    static List<String> checkAgainstGoldens(Pipeline pipeline, Map<String, JsonNode> overrides) throws Exception {
        return checkAgainstGoldens(pipeline.baseUrl(), overrides);
    }

    /** The same against the API at {@code baseUrl}. */
    static List<String> checkAgainstGoldens(String baseUrl, Map<String, JsonNode> overrides) throws Exception {
        JsonNode index = JSON.readTree(GOLDENS.resolve("index.json").toFile());
        double tolerance = index.path("float_tolerance").asDouble(1e-9);
        List<String> failures = new ArrayList<>();
        int passed = 0;
        for (JsonNode entry : index.get("requests")) {
            String request = entry.get("request").asText();
            JsonNode golden = overrides.containsKey(request) ? overrides.get(request)
                    : JSON.readTree(GOLDENS.resolve(entry.get("file").asText()).toFile());
            Pipeline.Answer answer = Pipeline.get(baseUrl, request);
            String problem;
            if (answer.status() != entry.path("status").asInt(200)) {
                problem = "HTTP " + answer.status() + ": " + answer.raw();
            } else if (answer.body() == null) {
                problem = "body is not JSON: " + answer.raw();
            } else {
                problem = new GoldenComparator(GOLDENS, entry, tolerance).compare(golden, answer.body());
            }
            if (problem == null) {
                passed++;
                System.out.println("PASS " + request);
            } else {
                failures.add(request + ": " + problem);
                System.out.println("FAIL " + request + ": " + problem);
            }
        }
        System.out.println(passed + " passed, " + failures.size() + " failed");
        return failures;
    }

    /**
     * The whole sample was published, is processed, and every golden request answers exactly as
     * the reference.
     */
    static void assertWholeSampleAnswersExactly(String baseUrl, ReplaySummary summary, Duration processing) throws Exception {
        assertEquals(16_862, summary.published());
        Pipeline.awaitProcessed(baseUrl, 1000, 15_862, processing);
        assertEquals(List.of(), checkAgainstGoldens(baseUrl, Map.of()));
    }

    /** On the embedded broker's default transaction protocol (transaction.version 1) and on Kafka 4.x's default (2). */
    @ParameterizedTest(name = "transaction.version {0}")
    @ValueSource(shorts = {1, 2})
    void everyGoldenRequestAnswersExactlyAsTheReference(short transactionVersion, @TempDir Path work) throws Exception {
        try (Pipeline pipeline = Pipeline.start(work, transactionVersion)) {
            ReplaySummary summary = pipeline.replay(DATA.resolve("users.csv"), DATA.resolve("events.csv"));
            assertEquals(0, summary.rejected());
            assertWholeSampleAnswersExactly(pipeline.baseUrl(), summary, Duration.ofMinutes(3));
            aDashboardPollingAnIdleApplicationIsAnsweredFromTheCacheWithoutComputingAgain(pipeline.baseUrl());
        }
    }

    /**
     * Nothing changes once everything is processed, so the answer computed once stays current
     * (the cache knows the stores' version): polls further apart than the cache's 100 ms maximum
     * age are fresh hits, neither stale answers refreshed in the background nor computed again.
     */
    private static void aDashboardPollingAnIdleApplicationIsAnsweredFromTheCacheWithoutComputingAgain(String baseUrl) throws Exception {
        Pipeline.get(baseUrl, "/api/funnel");
        Map<String, Double> before = answerCacheRequests(baseUrl);
        for (int i = 0; i < 5; i++) {
            Thread.sleep(150);
            assertEquals(200, Pipeline.get(baseUrl, "/api/funnel").status());
        }
        Map<String, Double> after = answerCacheRequests(baseUrl);
        assertEquals(before.get("hit") + 5, after.get("hit"), before + " then " + after);
        assertEquals(before.get("stale"), after.get("stale"), before + " then " + after);
        assertEquals(before.get("miss"), after.get("miss"), before + " then " + after);
    }

    private static final Pattern ANSWER_CACHE_REQUESTS =
            Pattern.compile("^vizsprints_answer_cache_requests_total\\{result=\"(\\w+)\"} ([0-9.eE+-]+)$");

    /** The answer cache's outcomes so far, from the Prometheus scrape. */
    private static Map<String, Double> answerCacheRequests(String baseUrl) throws Exception {
        Map<String, Double> counts = new HashMap<>();
        for (String line : Pipeline.get(baseUrl, "/metrics").raw().split("\n")) {
            Matcher m = ANSWER_CACHE_REQUESTS.matcher(line);
            if (m.matches()) {
                counts.put(m.group(1), Double.parseDouble(m.group(2)));
            }
        }
        assertEquals(Set.of("hit", "stale", "miss"), counts.keySet(), "the answer cache's counters are scraped");
        return counts;
    }

    @Test
    void shuffledEventsAndReversedUsersGiveTheSameAnswers(@TempDir Path work) throws Exception {
        List<UserRecord> users = new ArrayList<>(UsersCsv.readAll(DATA.resolve("users.csv")).records());
        List<EventRecord> events = new ArrayList<>(EventsCsv.readAll(DATA.resolve("events.csv")).records());
        Collections.reverse(users);
        Collections.shuffle(events, new Random(20261128));
        Path usersFile = writeUsers(work.resolve("users-reversed.csv"), users);
        Path eventsFile = writeEvents(work.resolve("events-shuffled.csv"), events);

        // Requests that depend on input order must follow the reference's rule on the new files.
        JsonNode index = JSON.readTree(GOLDENS.resolve("index.json").toFile());
        Map<String, JsonNode> orderDependent = new HashMap<>();
        for (JsonNode entry : index.get("requests")) {
            String request = entry.get("request").asText();
            Map<String, String> q = query(request);
            if (request.startsWith("/api/ab-test") && (q.containsKey("limit") || q.containsKey("event_limit"))) {
                orderDependent.put(request, ReferenceAbTest.answer(users, events,
                        q.containsKey("limit") ? Integer.valueOf(q.get("limit")) : null,
                        q.containsKey("event_limit") ? Integer.valueOf(q.get("event_limit")) : null,
                        Double.parseDouble(q.getOrDefault("confidence_level", "0.95"))));
            }
        }
        assertEquals(3, orderDependent.size(), "the goldens hold three order-dependent ab-test requests");

        try (Pipeline pipeline = Pipeline.start(work.resolve("pipeline"))) {
            ReplaySummary summary = pipeline.replay(usersFile, eventsFile);
            assertEquals(0, summary.rejected());

            pipeline.awaitProcessed(1000, 15_862, Duration.ofMinutes(3));

            assertEquals(List.of(), checkAgainstGoldens(pipeline, orderDependent));
            JsonNode limited = pipeline.get("/api/ab-test?limit=500").body();
            JsonNode original = JSON.readTree(GOLDENS.resolve("ab-test__limit=500.json").toFile());
            assertTrue(!limited.get("variant_A").equals(original.get("variant_A")),
                    "the first 500 users of the reversed file are other users than in the original order");
        }
    }

    private static Map<String, String> query(String request) {
        Map<String, String> q = new HashMap<>();
        int at = request.indexOf('?');
        if (at < 0) {
            return q;
        }
        for (String pair : request.substring(at + 1).split("&")) {
            String[] kv = pair.split("=", 2);
            q.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return q;
    }

    static String csv(String... fields) {
        StringBuilder sb = new StringBuilder();
        for (String f : fields) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            if (f != null) { // a missing value (null) is a blank field
                sb.append('"').append(f.replace("\"", "\"\"")).append('"');
            }
        }
        return sb.append('\n').toString();
    }

    static Path writeUsers(Path file, List<UserRecord> users) throws Exception {
        StringBuilder sb = new StringBuilder("user_id,joined_at,device,country,subscription_status,ab_variant\n");
        users.forEach(u -> sb.append(csv(u.userId(), u.joinedAt(), u.device(), u.country(), u.subscriptionStatus(), u.abVariant())));
        return Files.writeString(file, sb);
    }

    static Path writeEvents(Path file, List<EventRecord> events) throws Exception {
        StringBuilder sb = new StringBuilder("event_id,user_id,event_name,timestamp,metadata\n");
        events.forEach(e -> sb.append(csv(e.eventId(), e.userId(), e.eventName(), e.timestamp(), e.metadata())));
        return Files.writeString(file, sb);
    }
}
