package com.vizsprints.streams.app.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EmbeddedKafkaBrokerTest {

    @TempDir
    Path tmp;

    @Test
    void producesAndConsumesOnAFreePort() throws Exception {
        Path dir = tmp.resolve("broker");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, dir)) {
            assertNotEquals(0, broker.port());
            assertEquals("127.0.0.1:" + broker.port(), broker.bootstrapServers());
            assertTrue(Files.exists(dir.resolve("meta.properties")), "data dir formatted");
            assertEquals(1, transactionVersion(broker), "transaction.version 1 unless asked otherwise");

            createTopic(broker, "events");
            produce(broker, "events", List.of("a", "b", "c"));
            assertEquals(List.of("a", "b", "c"), consumeAll(broker, "events", 3));
            // A subscribing consumer group with offset commits exercises __consumer_offsets.
            assertEquals(List.of("a", "b", "c"), consumeWithGroup(broker, "events", "g1", 3));
            produce(broker, "events", List.of("d"));
            assertEquals(List.of("d"), consumeWithGroup(broker, "events", "g1", 1));
        }
    }

    @Test
    void restartOnSameDirAndPortKeepsData() throws Exception {
        Path dir = tmp.resolve("broker");
        int port;
        String clusterIdBefore;
        EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(0, dir);
        try {
            port = first.port();
            clusterIdBefore = clusterId(first);
            createTopic(first, "durable");
            produce(first, "durable", List.of("one", "two", "three"));
        } finally {
            first.close();
        }
        first.close(); // idempotent

        try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.start(port, dir)) {
            assertEquals(port, second.port());
            assertEquals(clusterIdBefore, clusterId(second), "cluster id survives a restart");
            try (Admin admin = admin(second)) {
                assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("durable"));
            }
            assertEquals(List.of("one", "two", "three"), consumeAll(second, "durable", 3));
            produce(second, "durable", List.of("four"));
            assertEquals(List.of("one", "two", "three", "four"), consumeAll(second, "durable", 4));
        }
    }

    @ParameterizedTest(name = "transaction.version {0}")
    @ValueSource(shorts = {1, 2})
    void transactionalProducerCanCommit(short transactionVersion) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, tmp.resolve("broker"), transactionVersion)) {
            assertEquals(transactionVersion, transactionVersion(broker));
            createTopic(broker, "tx-out");
            Map<String, Object> conf = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-broker-test-tx",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(conf)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("tx-out", "k", "committed-1"));
                producer.send(new ProducerRecord<>("tx-out", "k", "committed-2"));
                producer.commitTransaction();

                producer.beginTransaction();
                producer.send(new ProducerRecord<>("tx-out", "k", "aborted"));
                producer.abortTransaction();
            }
            // read_committed sees exactly the committed records, not the aborted one.
            assertEquals(List.of("committed-1", "committed-2"), consumeAll(broker, "tx-out", 2));
        }
    }

    // ------------------------------------------------------------------------------------------

    private static Admin admin(EmbeddedKafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    /** The finalized {@code transaction.version} feature level of the cluster. */
    private static short transactionVersion(EmbeddedKafkaBroker broker) throws Exception {
        try (Admin admin = admin(broker)) {
            return admin.describeFeatures().featureMetadata().get(30, TimeUnit.SECONDS).finalizedFeatures()
                .get(EmbeddedKafkaBroker.TRANSACTION_VERSION_FEATURE).maxVersionLevel();
        }
    }

    private static String clusterId(EmbeddedKafkaBroker broker) throws Exception {
        try (Admin admin = admin(broker)) {
            return admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        }
    }

    private static void createTopic(EmbeddedKafkaBroker broker, String topic) throws Exception {
        try (Admin admin = admin(broker)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static void produce(EmbeddedKafkaBroker broker, String topic, List<String> values) throws Exception {
        Map<String, Object> conf = Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(conf)) {
            for (String v : values) {
                producer.send(new ProducerRecord<>(topic, "key", v)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Subscribes with a consumer group, reads n records and commits the offsets. */
    private static List<String> consumeWithGroup(EmbeddedKafkaBroker broker, String topic, String group, int n) {
        Map<String, Object> conf = Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, group,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(conf)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (out.size() < n && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
            consumer.commitSync(Duration.ofSeconds(30));
        }
        return out;
    }

    /** Reads the topic (partition 0) from the beginning, read_committed, until n records arrived. */
    private static List<String> consumeAll(EmbeddedKafkaBroker broker, String topic, int n) {
        Map<String, Object> conf = Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(conf)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(Set.of(tp));
            consumer.seekToBeginning(Set.of(tp));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (out.size() < n && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
            // Give a little time for unexpected extra records to show up.
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                out.add(r.value());
            }
        }
        return out;
    }
}
