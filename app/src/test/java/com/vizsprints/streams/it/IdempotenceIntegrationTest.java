package com.vizsprints.streams.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vizsprints.streams.processor.model.EventRecord;
import com.vizsprints.streams.processor.model.UserRecord;
import com.vizsprints.streams.processor.schema.Topics;
import com.vizsprints.streams.processor.topology.AnalyticsTopology;
import com.vizsprints.streams.replay.EventsCsv;
import com.vizsprints.streams.replay.ReplaySummary;
import com.vizsprints.streams.replay.UsersCsv;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Nothing lost, nothing counted twice: replays, duplicates, updated rows and poison records on a real broker. */
@Tag("integration")
class IdempotenceIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DATA = RepositoryData.sampleData();

    @Test
    void replayingTheSampleTwiceLeavesEveryAnswerUnchanged(@TempDir Path work) throws Exception {
        try (Pipeline pipeline = Pipeline.start(work)) {
            pipeline.replay(DATA.resolve("users.csv"), DATA.resolve("events.csv"));
            ReplaySummary second = pipeline.replay(DATA.resolve("users.csv"), DATA.resolve("events.csv"));
            assertEquals(16_862, second.published(), "the second replay really published everything again");

            pipeline.awaitProcessed(1000, 15_862, Duration.ofMinutes(3));

            assertEquals(15_862, pipeline.get("/api/health").body().get("duplicate_events").asLong());
            assertEquals(List.of(), ParityIntegrationTest.checkAgainstGoldens(pipeline, Map.of()));
        }
    }

    @Test
    void duplicatedEventRowsCountOnceAndAnUpdatedUserRowMovesEveryFigure(@TempDir Path work) throws Exception {
        List<UserRecord> users = new ArrayList<>(UsersCsv.readAll(DATA.resolve("users.csv")).records());
        List<EventRecord> events = UsersAndEvents.events();
        UserRecord before = users.get(0);
        assertEquals("Free", before.subscriptionStatus());
        assertEquals("A", before.abVariant());
        UserRecord updated = new UserRecord(before.userId(), before.joinedAt(), before.device(), before.country(),
                "Enterprise", "B", users.size());
        List<UserRecord> usersFile = new ArrayList<>(users);
        usersFile.add(updated);
        List<EventRecord> eventsFile = new ArrayList<>(events);
        eventsFile.addAll(events.subList(0, 2000));

        List<UserRecord> current = new ArrayList<>(users.subList(1, users.size()));
        current.add(updated);

        try (Pipeline pipeline = Pipeline.start(work)) {
            pipeline.replay(ParityIntegrationTest.writeUsers(work.resolve("users.csv"), usersFile),
                    ParityIntegrationTest.writeEvents(work.resolve("events.csv"), eventsFile));

            pipeline.awaitProcessed(1000, 15_862, Duration.ofMinutes(3));

            JsonNode metrics = pipeline.get("/api/metrics").body();
            assertEquals(12_953 + 99, metrics.get("revenue").asLong(), "Free -> Enterprise moves revenue by 99");
            assertEquals(15_862, metrics.get("total_events").asLong(), "2000 duplicated rows are not counted");
            assertEquals(2000, pipeline.get("/api/health").body().get("duplicate_events").asLong());
            for (String request : List.of("", "?limit=500", "?event_limit=5000", "?limit=300&event_limit=4000")) {
                Map<String, String> q = query(request);
                JsonNode expected = normalise(ReferenceAbTest.answer(current, events,
                        q.containsKey("limit") ? Integer.valueOf(q.get("limit")) : null,
                        q.containsKey("event_limit") ? Integer.valueOf(q.get("event_limit")) : null, 0.95));
                assertEquals(expected, normalise(pipeline.get("/api/ab-test" + request).body()), "/api/ab-test" + request);
            }
            JsonNode ab = pipeline.get("/api/ab-test").body();
            assertEquals(511, ab.get("variant_A").get("total_users").asInt());
            assertEquals(489, ab.get("variant_B").get("total_users").asInt());
            JsonNode row = pipeline.get("/api/users?country=" + before.country() + "&device=" + before.device()
                    + "&subscription_status=Enterprise").body().get("users");
            assertTrue(row.toString().contains("\"user_id\":\"" + before.userId() + "\""), row.toString());
        }
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicWithHeadersAndTheGoldensStillHold(@TempDir Path work) throws Exception {
        Topics topics = Topics.defaults();
        try (Pipeline pipeline = Pipeline.start(work)) {
            try (KafkaProducer<String, String> raw = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.broker.bootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
                raw.send(new ProducerRecord<>(topics.events(), "u_0001", "not json at all")).get();
                raw.send(new ProducerRecord<>(topics.events(), "u_0001",
                        "{\"event_id\":\"bad-1\",\"event_name\":\"login\",\"timestamp\":\"2023-01-01T00:00:00Z\"}")).get();
                raw.send(new ProducerRecord<>(topics.events(), "u_0001",
                        "{\"event_id\":\"bad-2\",\"user_id\":\"u_0001\",\"event_name\":\"login\",\"timestamp\":\"31/12/2023\"}")).get();
                // a user row with blank fields is valid (missing values); a malformed timestamp is not
                raw.send(new ProducerRecord<>(topics.users(), "u_0001", "{\"user_id\":\"u_0001\",\"joined_at\":\"yesterday\"}")).get();
            }
            pipeline.replay(DATA.resolve("users.csv"), DATA.resolve("events.csv"));

            pipeline.awaitProcessed(1000, 15_862, Duration.ofMinutes(3));

            assertEquals(4, pipeline.get("/api/health").body().get("dead_lettered").asLong());
            List<ConsumerRecord<String, String>> dead = readAll(pipeline.broker.bootstrapServers(), topics.deadLetter(), 4);
            assertEquals(4, dead.size());
            for (ConsumerRecord<String, String> r : dead) {
                assertTrue(header(r, AnalyticsTopology.HEADER_REASON).length() > 5);
                assertTrue(List.of(topics.events(), topics.users()).contains(header(r, AnalyticsTopology.HEADER_TOPIC)));
                Integer.parseInt(header(r, AnalyticsTopology.HEADER_PARTITION));
                Long.parseLong(header(r, AnalyticsTopology.HEADER_OFFSET));
            }
            assertEquals(List.of(), ParityIntegrationTest.checkAgainstGoldens(pipeline, Map.of()));
        }
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    static List<ConsumerRecord<String, String>> readAll(String bootstrap, String topic, int expected) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            c.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (out.size() < expected && System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(500)).forEach(out::add);
            }
            c.poll(Duration.ofMillis(1000)).forEach(out::add);
        }
        return out;
    }

    private static JsonNode normalise(Object answer) throws Exception {
        return JSON.readTree(JSON.writeValueAsString(answer));
    }

    private static Map<String, String> query(String request) {
        Map<String, String> q = new java.util.HashMap<>();
        if (request.isEmpty()) {
            return q;
        }
        for (String pair : request.substring(1).split("&")) {
            String[] kv = pair.split("=", 2);
            q.put(kv[0], kv[1]);
        }
        return q;
    }

    /** The sample's events, parsed once. */
    static final class UsersAndEvents {
        private static List<EventRecord> events;

        static synchronized List<EventRecord> events() throws java.io.IOException {
            if (events == null) {
                events = EventsCsv.readAll(DATA.resolve("events.csv")).records();
            }
            return events;
        }
    }
}
