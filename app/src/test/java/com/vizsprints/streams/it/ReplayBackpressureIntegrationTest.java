package com.vizsprints.streams.it;

import com.vizsprints.streams.app.broker.EmbeddedKafkaBroker;
import com.vizsprints.streams.processor.schema.Topics;
import com.vizsprints.streams.replay.Backpressure;
import com.vizsprints.streams.replay.ReplayOptions;
import com.vizsprints.streams.replay.ReplaySummary;
import com.vizsprints.streams.replay.ReplayTool;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replay with backpressure ({@code replay --max-lag}) against a real broker: it stops at the
 * limit while the application's consumer group does not consume, goes on as the group commits,
 * stays within the limit throughout, and publishes every row in the end. The application here is
 * a plain consumer committing under the application's group id, which is all the replay watches.
 */
@Tag("integration")
class ReplayBackpressureIntegrationTest {
    private static final String GROUP = "backpressure-app";
    private static final int MAX_LAG = 2_000;

    @TempDir
    static Path dir;
    static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.start(0, dir.resolve("broker"));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void aReplayWaitsForTheApplicationAndNeverGetsMoreThanMaxLagRecordsAhead() throws Exception {
        Topics topics = new Topics("bp.users", "bp.events", "bp.dead-letter");
        Path sample = RepositoryData.sampleData();
        ReplayOptions options = new ReplayOptions(broker.bootstrapServers(), sample.resolve("users.csv"), sample.resolve("events.csv"),
                3, 1, topics).withBackpressure(Backpressure.parse(GROUP, Integer.toString(MAX_LAG)));
        AtomicReference<ReplaySummary> summary = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread replay = new Thread(() -> {
            try {
                summary.set(ReplayTool.run(options));
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "backpressured-replay");
        replay.start();
        try (KafkaConsumer<String, byte[]> app = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, GROUP,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            long published = awaitSteadyTotal(app, topics);
            assertTrue(replay.isAlive(), "the replay waits while the application consumes nothing");
            assertTrue(published <= MAX_LAG, "published " + published + " records with nothing consumed");
            assertTrue(published >= MAX_LAG / 2, "published up to about the limit first: " + published);

            app.subscribe(List.of(topics.users(), topics.events()));
            long consumed = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while ((replay.isAlive() || consumed < published(app, topics)) && System.nanoTime() < deadline) {
                ConsumerRecords<String, byte[]> records = app.poll(Duration.ofMillis(100));
                consumed += records.count();
                app.commitSync();
                long ahead = published(app, topics) - committed(app, topics);
                assertTrue(ahead <= MAX_LAG, "the replay got " + ahead + " records ahead of the application");
            }
            replay.join(10_000);
            assertFalse(replay.isAlive(), "the replay finished once the application consumed");
            assertNull(failure.get());
            ReplaySummary s = summary.get();
            assertTrue(s.clean(), String.join("\n", s.report()));
            assertEquals(s.published(), consumed, "every published record reached the application once");
            assertEquals(s.published(), published(app, topics));
            assertTrue(s.published() > 4 * MAX_LAG, "the replay went far past the limit in all: " + s.published());
        }
    }

    /** The records in the topics once their number has not changed for 1.5 s. */
    private static long awaitSteadyTotal(KafkaConsumer<?, ?> consumer, Topics topics) throws InterruptedException {
        long last = -1;
        long steadySince = System.nanoTime();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            long now = published(consumer, topics);
            if (now != last || now == 0) {
                last = now;
                steadySince = System.nanoTime();
            } else if (System.nanoTime() - steadySince > Duration.ofMillis(1_500).toNanos()) {
                return now;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the number of published records never settled: " + last);
    }

    private static Set<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, Topics topics) {
        return java.util.stream.Stream.of(topics.users(), topics.events())
                .flatMap(t -> consumer.partitionsFor(t).stream().map(p -> new TopicPartition(t, p.partition())))
                .collect(java.util.stream.Collectors.toSet());
    }

    private static long published(KafkaConsumer<?, ?> consumer, Topics topics) {
        return consumer.endOffsets(partitions(consumer, topics)).values().stream().mapToLong(Long::longValue).sum();
    }

    private static long committed(KafkaConsumer<?, ?> consumer, Topics topics) {
        return consumer.committed(partitions(consumer, topics)).values().stream()
                .mapToLong(o -> o == null ? 0 : ((OffsetAndMetadata) o).offset()).sum();
    }
}
