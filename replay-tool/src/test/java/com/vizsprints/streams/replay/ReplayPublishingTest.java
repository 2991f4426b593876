package com.vizsprints.streams.replay;

import com.vizsprints.streams.processor.model.EventRecord;
import com.vizsprints.streams.processor.model.UserRecord;
import com.vizsprints.streams.processor.schema.JsonSerdes;
import com.vizsprints.streams.processor.schema.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static com.vizsprints.streams.replay.TestFiles.EVENTS_HEADER;
import static com.vizsprints.streams.replay.TestFiles.USERS_HEADER;
import static com.vizsprints.streams.replay.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Publishing through a mock producer: what is sent, and how outcomes are counted. No broker needed. */
class ReplayPublishingTest {
    private static final Supplier<Admin> NO_ADMIN = () -> {
        throw new AssertionError("no admin client in this test");
    };

    @TempDir
    Path dir;

    private static MockProducer<String, byte[]> producer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new StringSerializer(), new ByteArraySerializer());
    }

    @Test
    void shouldPublishUsersThenEventsKeyedByUserIdAsJson() throws IOException {
        Path users = write(dir, "users.csv", USERS_HEADER,
                "u_1,2023-01-01T00:00:00Z,Mobile,SG,Free,A",
                "u_2,2023-01-02T00:00:00Z,Desktop,US,Gold,B",
                "u_3,2023-01-03T00:00:00Z,Desktop,US,Premium,B");
        Path events = write(dir, "events.csv", EVENTS_HEADER,
                "e_1,u_3,signup_success,2023-01-04T00:00:00Z,\"{\"\"source\"\": \"\"ads\"\"}\"",
                "e_2,u_1,view_dashboard,2023-01-05T00:00:00Z,\"{}\"");
        MockProducer<String, byte[]> producer = producer(true);
        List<RejectedRow> heard = new ArrayList<>();
        ReplayOptions options = ReplayOptions.of("mock:9092", users, events)
                .withTopics(new Topics("users-t", "events-t", "dlq-t"));

        ReplaySummary summary;
        try (TopicPublisher publisher = new TopicPublisher("mock:9092", producer, NO_ADMIN)) {
            summary = ReplayTool.publish(options, publisher, new ReplayListener() {
                @Override
                public void rejected(RejectedRow row) {
                    heard.add(row);
                }
            });
        }

        List<ProducerRecord<String, byte[]>> sent = producer.history();
        assertEquals(List.of("users-t", "users-t", "events-t", "events-t"), sent.stream().map(ProducerRecord::topic).toList());
        assertEquals(List.of("u_1", "u_3", "u_3", "u_1"), sent.stream().map(ProducerRecord::key).toList());
        assertEquals(new UserRecord("u_3", "2023-01-03T00:00:00Z", "Desktop", "US", "Premium", "B", 1),
                JsonSerdes.user().deserializer().deserialize("users-t", sent.get(1).value()));
        assertEquals(new EventRecord("e_1", "u_3", "signup_success", "2023-01-04T00:00:00Z", "{\"source\": \"ads\"}", 0),
                JsonSerdes.event().deserializer().deserialize("events-t", sent.get(2).value()));

        assertEquals(new FileSummary("users", users.toString(), "users-t", 3, 2, 1, 0, null, true), summary.users());
        assertEquals(new FileSummary("events", events.toString(), "events-t", 2, 2, 0, 0, null, true), summary.events());
        RejectedRow gold = new RejectedRow(users.toString(), 3,
                "unknown subscription_status 'Gold' (must be Free, Premium or Enterprise)");
        assertEquals(List.of(gold), heard);
        assertEquals(List.of(gold), summary.rejectedRows());
        assertEquals(4, summary.published());
        assertFalse(summary.clean());
        assertNull(summary.abortReason());
        assertTrue(summary.report().get(0).equals("users " + users + ": 3 rows read, 2 published, 1 rejected, 0 failed"),
                summary.report().toString());
    }

    @Test
    void shouldPublishBlankFieldsAsJsonNull() throws IOException {
        Path users = write(dir, "users.csv", USERS_HEADER, "u_1,,Mobile,,Premium,");
        Path events = write(dir, "events.csv", EVENTS_HEADER, "e_1,u_1,,2023-01-04T00:00:00Z,");
        MockProducer<String, byte[]> producer = producer(true);

        ReplaySummary summary;
        try (TopicPublisher publisher = new TopicPublisher("mock:9092", producer, NO_ADMIN)) {
            summary = ReplayTool.publish(ReplayOptions.of("mock:9092", users, events), publisher, new ReplayListener() {
            });
        }

        assertEquals(2, summary.published());
        assertEquals(List.of(), summary.rejectedRows());
        String user = new String(producer.history().get(0).value(), java.nio.charset.StandardCharsets.UTF_8);
        String event = new String(producer.history().get(1).value(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(user.contains("\"joined_at\":null") && user.contains("\"country\":null")
                && user.contains("\"ab_variant\":null") && user.contains("\"device\":\"Mobile\""), user);
        assertTrue(event.contains("\"event_name\":null") && event.contains("\"metadata\":null"), event);
    }

    @Test
    void shouldPublishEventsFirstWhenUsersAreAskedToComeAfterEvents() throws IOException {
        Path users = write(dir, "users.csv", USERS_HEADER, "u_1,2023-01-01T00:00:00Z,Mobile,SG,Free,A");
        Path events = write(dir, "events.csv", EVENTS_HEADER,
                "e_1,u_1,signup_success,2023-01-04T00:00:00Z,\"{}\"",
                "e_2,u_1,view_dashboard,2023-01-05T00:00:00Z,\"{}\"");
        MockProducer<String, byte[]> producer = producer(true);
        ReplayOptions options = ReplayOptions.of("mock:9092", users, events)
                .withTopics(new Topics("users-t", "events-t", "dlq-t")).withUsersAfterEvents(true);

        ReplaySummary summary;
        try (TopicPublisher publisher = new TopicPublisher("mock:9092", producer, NO_ADMIN)) {
            summary = ReplayTool.publish(options, publisher, new ReplayListener() {
            });
        }

        assertEquals(List.of("events-t", "events-t", "users-t"), producer.history().stream().map(ProducerRecord::topic).toList());
        assertEquals(1, summary.users().published());
        assertEquals(2, summary.events().published());
        assertTrue(summary.clean());
    }

    @Test
    void shouldCountOnlyAcknowledgedRecordsAsPublished() {
        MockProducer<String, byte[]> producer = producer(false);
        DeliveryTally tally = new DeliveryTally();
        try (TopicPublisher publisher = new TopicPublisher("mock:9092", producer, NO_ADMIN)) {
            for (int i = 0; i < 4; i++) {
                publisher.send("t", "k" + i, "v" + i, new StringSerializer(), tally);
            }
            assertEquals(0, tally.acknowledged());

            producer.completeNext();
            producer.errorNext(new RecordTooLargeException("too big"));

            assertEquals(1, tally.acknowledged());
            assertEquals(1, tally.failed());
            assertEquals("RecordTooLargeException: too big", tally.firstFailure().orElseThrow());

            // A failure of one record does not stop publishing.
            publisher.send("t", "k4", "v4", new StringSerializer(), tally);
            publisher.flush();
            assertEquals(4, tally.acknowledged());
            assertEquals(1, tally.failed());
        }
    }

    @Test
    void shouldStopPublishingAfterAFailureThatWouldFailEveryRecord() {
        MockProducer<String, byte[]> producer = producer(false);
        DeliveryTally tally = new DeliveryTally();
        try (TopicPublisher publisher = new TopicPublisher("mock:9092", producer, NO_ADMIN)) {
            publisher.send("t", "k0", "v0", new StringSerializer(), tally);
            producer.errorNext(new TimeoutException("Topic t not present in metadata after 60000 ms."));

            ReplayException e = assertThrows(ReplayException.class,
                    () -> publisher.send("t", "k1", "v1", new StringSerializer(), tally));

            assertEquals("publishing stopped: a send to Kafka at mock:9092 failed with TimeoutException:"
                    + " Topic t not present in metadata after 60000 ms.", e.getMessage());
            assertEquals(1, tally.failed());
            assertEquals(0, tally.acknowledged());
        }
    }

    @Test
    void shouldConfigureAnIdempotentProducerThatWaitsForAllReplicas() {
        Map<String, Object> config = TopicPublisher.producerConfig("k:9092");

        assertEquals("k:9092", config.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        assertEquals(true, config.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
        assertEquals("all", config.get(ProducerConfig.ACKS_CONFIG));
        assertEquals(Integer.MAX_VALUE, config.get(ProducerConfig.RETRIES_CONFIG));
        assertEquals(256 * 1024, config.get(ProducerConfig.BATCH_SIZE_CONFIG));
        assertEquals("lz4", config.get(ProducerConfig.COMPRESSION_TYPE_CONFIG));
        // The settings are ones a real producer accepts (it does not connect until it sends).
        new KafkaProducer<String, byte[]>(TopicPublisher.producerConfig("localhost:9092")).close(Duration.ZERO);
    }
}
