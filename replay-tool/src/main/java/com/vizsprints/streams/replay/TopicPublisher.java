package com.vizsprints.streams.replay;

import com.vizsprints.streams.cli.KafkaErrors;
import com.vizsprints.streams.processor.schema.TopicSetup;
import com.vizsprints.streams.processor.schema.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Sets up the users and events topics and publishes records to them. Records are keyed by
 * user_id with the producer's default partitioner, the same as Kafka Streams uses, so the two
 * topics stay co-partitioned. The producer is idempotent with acks=all and retries until its
 * delivery timeout, so a record is either acknowledged once or reported as failed.
 *
 * <p>A failure that concerns one record (too large, unserializable) is counted and publishing
 * goes on. Any other failure (broker unreachable, authorization, timeout) would fail every
 * record after it, so the next {@link #send} throws a {@link ReplayException} instead.
 */
public final class TopicPublisher implements AutoCloseable {
    static final String CLIENT_ID = "vizsprints-replay";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final Producer<String, byte[]> producer;
    private final Supplier<Admin> adminFactory;
    private final AtomicReference<String> systemicFailure = new AtomicReference<>();
    /** Records handed to the producer whose outcome the broker has not answered yet. */
    private final AtomicLong unanswered = new AtomicLong();

    TopicPublisher(String bootstrapServers, Producer<String, byte[]> producer, Supplier<Admin> adminFactory) {
        this.bootstrapServers = bootstrapServers;
        this.producer = producer;
        this.adminFactory = adminFactory;
    }

    /** A publisher to the cluster at {@code bootstrapServers} ({@code host:port[,host:port...]}). */
    public static TopicPublisher connect(String bootstrapServers) {
        return connect(bootstrapServers, Map.of());
    }

    /**
     * A publisher to the cluster at {@code bootstrapServers} whose producer and admin client also
     * get {@code clientProperties} (security.protocol, sasl.*, ssl.*, ...), which override the defaults.
     */
    public static TopicPublisher connect(String bootstrapServers, Map<String, String> clientProperties) {
        Producer<String, byte[]> producer = new KafkaProducer<>(producerConfig(bootstrapServers, clientProperties));
        return new TopicPublisher(bootstrapServers, producer, () -> Admin.create(adminConfig(bootstrapServers, clientProperties)));
    }

    /** {@link #producerConfig(String)} with {@code clientProperties} on top. */
    public static Map<String, Object> producerConfig(String bootstrapServers, Map<String, String> clientProperties) {
        Map<String, Object> config = producerConfig(bootstrapServers);
        config.putAll(clientProperties);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }

    /** {@link #adminConfig(String)} with {@code clientProperties} on top. */
    public static Map<String, Object> adminConfig(String bootstrapServers, Map<String, String> clientProperties) {
        Map<String, Object> config = adminConfig(bootstrapServers);
        config.putAll(clientProperties);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }

    /** The producer settings: idempotent, acks=all, batched and lz4-compressed. */
    public static Map<String, Object> producerConfig(String bootstrapServers) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, CLIENT_ID);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return config;
    }

    /** The admin client settings used to create topics. */
    public static Map<String, Object> adminConfig(String bootstrapServers) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, CLIENT_ID + "-admin");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        return config;
    }

    /**
     * Creates the users and events topics where they do not exist yet: {@code partitions}
     * partitions each, {@code cleanup.policy=compact} for users. When one of them already
     * exists, the other is created with the same number of partitions, since the two must be
     * co-partitioned.
     *
     * @return one line per topic saying what was found or done
     * @throws ReplayException when the cluster cannot be reached, a topic cannot be created,
     *                         or the two topics exist with different partition counts
     */
    public List<String> createMissingTopics(Topics topics, int partitions, int replicationFactor) {
        return setUpTopics(topics, partitions, replicationFactor, true);
    }

    /**
     * {@link #createMissingTopics} when {@code create}; otherwise only checks that the topics exist,
     * are co-partitioned and have leaders (for clusters whose ACLs forbid creating topics).
     */
    public List<String> setUpTopics(Topics topics, int partitions, int replicationFactor, boolean create) {
        if (replicationFactor > Short.MAX_VALUE) {
            throw new IllegalArgumentException("replication factor must be between 1 and " + Short.MAX_VALUE
                    + ", got " + replicationFactor);
        }
        try (Admin admin = adminFactory.get()) {
            return create ? TopicSetup.ensureTopics(admin, topics, partitions, (short) replicationFactor)
                    : TopicSetup.checkTopics(admin, topics, TopicSetup.DEFAULT_TIMEOUT);
        } catch (ExecutionException e) {
            throw failure("set up topics", e.getCause());
        } catch (IllegalStateException e) {
            throw new ReplayException(e.getCause() != null && KafkaErrors.isAuthFailure(e.getCause())
                    ? "cannot set up topics on Kafka at " + bootstrapServers + ": " + KafkaErrors.describe(e.getCause())
                    : e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplayException("interrupted while setting up topics", e);
        }
    }

    private ReplayException failure(String what, Throwable cause) {
        return new ReplayException("cannot " + what + " on Kafka at " + bootstrapServers + ": "
                + DeliveryTally.describe(cause), cause);
    }

    /**
     * Sends one record; its outcome is counted in {@code tally} when the broker answers.
     *
     * @throws ReplayException when an earlier send failed in a way that fails all later ones
     */
    public <T> void send(String topic, String key, T value, Serializer<T> serializer, DeliveryTally tally) {
        String failure = systemicFailure.get();
        if (failure != null) {
            throw new ReplayException("publishing stopped: a send to Kafka at " + bootstrapServers
                    + " failed with " + failure);
        }
        byte[] bytes;
        try {
            bytes = serializer.serialize(topic, value);
        } catch (SerializationException e) {
            tally.recordFailed(e);
            return;
        }
        unanswered.incrementAndGet();
        try {
            producer.send(new ProducerRecord<>(topic, key, bytes), (metadata, exception) -> {
                unanswered.decrementAndGet();
                if (exception == null) {
                    tally.recordAcknowledged();
                } else {
                    tally.recordFailed(exception);
                    if (!concernsOneRecord(exception)) {
                        systemicFailure.compareAndSet(null, DeliveryTally.describe(exception));
                    }
                }
            });
        } catch (InterruptException e) {
            unanswered.decrementAndGet();
            throw e;
        } catch (RuntimeException e) {
            unanswered.decrementAndGet();
            tally.recordFailed(e);
            if (!concernsOneRecord(e)) {
                systemicFailure.compareAndSet(null, DeliveryTally.describe(e));
            }
        }
    }

    static boolean concernsOneRecord(Exception e) {
        return e instanceof RecordTooLargeException
                || e instanceof InvalidRecordException
                || e instanceof CorruptRecordException
                || e instanceof SerializationException;
    }

    /** Records sent whose outcome the broker has not answered yet (they are not in its end offsets). */
    public long unanswered() {
        return unanswered.get();
    }

    /** A new admin client for the same cluster, with the same client properties; the caller closes it. */
    Admin newAdmin() {
        return adminFactory.get();
    }

    /** Waits until every record sent so far is acknowledged or has failed. */
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
    }
}
