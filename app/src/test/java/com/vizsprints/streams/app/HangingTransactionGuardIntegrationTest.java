package com.vizsprints.streams.app;

import com.vizsprints.streams.app.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A transaction left open on a changelog partition (its producer gone without ending it, with a
 * 10-minute transaction timeout) against a real broker: the guard leaves it while it is younger
 * than its limit, then aborts it, so a read_committed reader (a restoring task) reaches the end;
 * a transaction open as long on a topic that is not one of the application's changelogs stays.
 */
@Tag("integration")
class HangingTransactionGuardIntegrationTest {
    private static final String APPLICATION_ID = "guarded-app";
    private static final TopicPartition CHANGELOG = new TopicPartition(APPLICATION_ID + "-facts-changelog", 0);
    private static final TopicPartition OTHER = new TopicPartition("not-a-changelog", 0);

    @ParameterizedTest(name = "transaction.version {0}")
    @ValueSource(shorts = {1, 2})
    void aChangelogTransactionOpenLongerThanTheLimitIsAbortedAndOthersAreLeft(short transactionVersion, @TempDir Path dir) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, dir.resolve("broker"), transactionVersion);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(CHANGELOG.topic(), 1, (short) 1), new NewTopic(OTHER.topic(), 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
            leaveATransactionOpen(broker.bootstrapServers(), "dead-thread", CHANGELOG);
            leaveATransactionOpen(broker.bootstrapServers(), "someone-else", OTHER);
            assertTrue(stableLagsEnd(admin, CHANGELOG) && stableLagsEnd(admin, OTHER), "both transactions are open");

            AtomicLong now = new AtomicLong();
            HangingTransactionGuard guard = new HangingTransactionGuard(admin, APPLICATION_ID, Duration.ofMinutes(2), now::get);
            assertEquals(List.of(), guard.check(), "first seen: younger than the limit");
            now.addAndGet(Duration.ofSeconds(119).toNanos());
            assertEquals(List.of(), guard.check(), "seen open for 119 s");
            assertTrue(stableLagsEnd(admin, CHANGELOG));

            now.addAndGet(Duration.ofSeconds(1).toNanos());
            List<HangingTransactionGuard.OpenTransaction> aborted = guard.check();

            assertEquals(1, aborted.size(), aborted.toString());
            assertEquals(CHANGELOG, aborted.get(0).partition());
            assertEquals(false, stableLagsEnd(admin, CHANGELOG), "a read_committed reader now reads the changelog to its end");
            assertTrue(stableLagsEnd(admin, OTHER), "not the application's changelog: left to its owner");
            assertEquals(List.of(), guard.check(), "nothing more to abort");
        }
    }

    @Test
    void aTransactionCountsAsHangingAfterTwoMinutesOrThreeOfTheStreamThreadsTransactionTimeouts() {
        Properties streams = new Properties();
        streams.put("application.id", APPLICATION_ID);
        streams.put("bootstrap.servers", "k:9092");
        streams.put("processing.guarantee", "exactly_once_v2");
        assertEquals(Duration.ofMinutes(2), HangingTransactionGuard.staleAfter(streams), "Kafka Streams' 10 s");
        streams.put("producer.transaction.timeout.ms", "60000");
        assertEquals(Duration.ofMinutes(3), HangingTransactionGuard.staleAfter(streams));
    }

    /** A transactional producer that sends one record in a transaction and goes away without ending it. */
    private static void leaveATransactionOpen(String bootstrap, String transactionalId, TopicPartition tp) throws Exception {
        KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) Duration.ofMinutes(10).toMillis()),
                new StringSerializer(), new StringSerializer());
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), "k", "v")).get(30, TimeUnit.SECONDS);
        producer.close(Duration.ZERO);
    }

    private static boolean stableLagsEnd(Admin admin, TopicPartition tp) throws Exception {
        long end = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get(30, TimeUnit.SECONDS).get(tp).offset();
        long stable = admin.listOffsets(Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all().get(30, TimeUnit.SECONDS).get(tp).offset();
        return stable < end;
    }
}
