package com.vizsprints.streams.app.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three combined KRaft nodes in this JVM (static voters, one cluster id): a topic with RF 3 and
 * min ISR 2 keeps accepting acks=all writes with one node down, loses nothing, and the node rejoins.
 */
@Tag("integration")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ThreeBrokerClusterTest {
    private static final String TOPIC = "replicated";
    private static final int PARTITIONS = 3;

    @TempDir
    Path tmp;

    private final EmbeddedKafkaBroker[] nodes = new EmbeddedKafkaBroker[3];

    @AfterEach
    void closeAll() throws Exception {
        closeInParallel(List.of(nodes));
    }

    @Test
    void survivesOneNodeDownWithAcksAll() throws Exception {
        List<EmbeddedKafkaBroker.ClusterNode> cluster = clusterOnFreePorts();
        long t0 = System.nanoTime();
        startInParallel(cluster);
        System.out.printf("3-node cluster started in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        String all = bootstrap(nodes[0], nodes[1], nodes[2]);

        try (Admin admin = admin(all)) {
            assertEquals(3, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
            assertEquals(cluster.get(0).clusterId(), admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS));
            Map<String, String> brokerConf = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.BROKER, "2")))
                .all().get(30, TimeUnit.SECONDS).values().iterator().next().entries().stream()
                .collect(Collectors.toMap(e -> e.name(), e -> String.valueOf(e.value())));
            assertEquals("3", brokerConf.get("default.replication.factor"));
            assertEquals("2", brokerConf.get("min.insync.replicas"));
            assertEquals("3", brokerConf.get("offsets.topic.replication.factor"));
            assertEquals("3", brokerConf.get("transaction.state.log.replication.factor"));
            assertEquals("2", brokerConf.get("transaction.state.log.min.isr"));

            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3)
                .configs(Map.of("min.insync.replicas", "2")))).all().get(30, TimeUnit.SECONDS);
            awaitIsr(admin, 3);
        }

        produce(all, range(0, 30));
        assertEquals(range(0, 30), consumeWithGroup(all, 30));
        try (Admin admin = admin(all)) {
            TopicDescription offsets = admin.describeTopics(List.of("__consumer_offsets")).allTopicNames()
                .get(30, TimeUnit.SECONDS).get("__consumer_offsets");
            offsets.partitions().forEach(p -> assertEquals(3, p.replicas().size(), "__consumer_offsets RF"));
        }

        long t1 = System.nanoTime();
        nodes[2].close();
        nodes[2] = null;
        System.out.printf("node 3 stopped in %.1f s%n", (System.nanoTime() - t1) / 1e9);
        String twoOfThree = bootstrap(nodes[0], nodes[1]);
        produce(twoOfThree, range(30, 60)); // acks=all, min ISR 2: still accepted
        try (Admin admin = admin(twoOfThree)) {
            awaitIsr(admin, 2);
        }
        assertEquals(range(0, 60), consumeAll(twoOfThree, 60));
        assertEquals(range(30, 60), consumeWithGroup(twoOfThree, 30)); // the group resumes after 30

        long t2 = System.nanoTime();
        nodes[2] = EmbeddedKafkaBroker.start(cluster.get(2));
        System.out.printf("node 3 restarted in %.1f s%n", (System.nanoTime() - t2) / 1e9);
        try (Admin admin = admin(all)) {
            assertEquals(3, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
            awaitIsr(admin, 3); // it catches up and rejoins every ISR
        }
        assertEquals(range(0, 60), consumeAll(nodes[2].bootstrapServers(), 60));
    }

    // ------------------------------------------------------------------------------------------

    private List<EmbeddedKafkaBroker.ClusterNode> clusterOnFreePorts() {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ports.add(EmbeddedKafkaBroker.freePort(ports.stream().mapToInt(Integer::intValue).toArray()));
        }
        String voters = IntStream.range(0, 3).mapToObj(i -> (i + 1) + "@127.0.0.1:" + ports.get(3 + i))
            .collect(Collectors.joining(","));
        String clusterId = EmbeddedKafkaBroker.newClusterId();
        return IntStream.range(0, 3).mapToObj(i -> new EmbeddedKafkaBroker.ClusterNode(i + 1, ports.get(i), ports.get(3 + i),
            voters, clusterId, tmp.resolve("node-" + (i + 1)))).toList();
    }

    /** Each start blocks until a quorum exists, so the nodes must start concurrently. */
    private void startInParallel(List<EmbeddedKafkaBroker.ClusterNode> cluster) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<EmbeddedKafkaBroker>> started = new ArrayList<>();
            for (EmbeddedKafkaBroker.ClusterNode node : cluster) {
                started.add(pool.submit(() -> EmbeddedKafkaBroker.start(node)));
            }
            for (int i = 0; i < 3; i++) {
                nodes[i] = started.get(i).get(90, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }
    }

    private static void closeInParallel(List<EmbeddedKafkaBroker> brokers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> closing = new ArrayList<>();
            for (EmbeddedKafkaBroker b : brokers) {
                if (b != null) {
                    closing.add(pool.submit(b::close));
                }
            }
            for (Future<?> f : closing) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }
    }

    private static String bootstrap(EmbeddedKafkaBroker... brokers) {
        return java.util.Arrays.stream(brokers).map(EmbeddedKafkaBroker::bootstrapServers).collect(Collectors.joining(","));
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /**
     * Waits until every partition of the topic has {@code size} in-sync replicas. A broker that
     * has not yet learnt of a topic just created answers that it does not know it: that is not yet
     * an answer, and the wait goes on.
     */
    private static void awaitIsr(Admin admin, int size) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
        List<Integer> isrSizes = List.of();
        while (System.nanoTime() < deadline) {
            TopicDescription d;
            try {
                d = admin.describeTopics(List.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS).get(TOPIC);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                Thread.sleep(200);
                continue;
            }
            isrSizes = d.partitions().stream().map(TopicPartitionInfo::isr).map(List::size).toList();
            if (isrSizes.stream().allMatch(s -> s == size)) {
                d.partitions().forEach(p -> assertEquals(3, p.replicas().size()));
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("ISR sizes " + isrSizes + ", expected all " + size);
    }

    private static List<String> range(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "v" + i).toList();
    }

    private static void produce(String bootstrap, List<String> values) throws Exception {
        Map<String, Object> conf = Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(conf)) {
            for (String v : values) {
                // One record per partition in turn, acknowledged by all in-sync replicas.
                int partition = Integer.parseInt(v.substring(1)) % PARTITIONS;
                producer.send(new ProducerRecord<>(TOPIC, partition, v, v)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Every record of the topic, from the beginning of each partition, in value order. */
    private static List<String> consumeAll(String bootstrap, int n) {
        Map<String, Object> conf = Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(conf)) {
            List<TopicPartition> tps = IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(TOPIC, p)).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            return poll(consumer, n);
        }
    }

    /** The next n records for group "g" (offsets committed), in value order. */
    private static List<String> consumeWithGroup(String bootstrap, int n) {
        Map<String, Object> conf = Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.GROUP_ID_CONFIG, "g",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(conf)) {
            consumer.subscribe(List.of(TOPIC));
            List<String> out = poll(consumer, n);
            consumer.commitSync(Duration.ofSeconds(30));
            return out;
        }
    }

    private static List<String> poll(KafkaConsumer<String, String> consumer, int n) {
        List<String> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (out.size() < n && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                out.add(r.value());
            }
        }
        out.sort((a, b) -> Integer.compare(Integer.parseInt(a.substring(1)), Integer.parseInt(b.substring(1))));
        assertTrue(out.size() >= n, "only " + out.size() + " of " + n + " records");
        return out;
    }
}
