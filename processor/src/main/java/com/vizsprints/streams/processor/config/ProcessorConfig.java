package com.vizsprints.streams.processor.config;

import com.vizsprints.streams.processor.schema.Topics;
import com.vizsprints.streams.processor.state.FactStoreRocksDbConfig;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Settings of the streams application, with their defaults, in one place.
 *
 * @param applicationId      Kafka Streams application.id, shared by all instances of one deployment
 * @param bootstrapServers   Kafka bootstrap servers
 * @param stateDir           where RocksDB state lives
 * @param applicationServer  this instance's HTTP host:port, advertised to the other instances
 * @param processingGuarantee {@code exactly_once_v2} (default) or {@code at_least_once}
 * @param standbyReplicas    num.standby.replicas
 * @param commitIntervalMs   commit.interval.ms: how often a task commits while it works through a backlog (a task
 *                           that keeps up with its input commits every 100 ms, see {@code CommitPacer}); a result
 *                           becomes visible at the commit after it is processed
 * @param clientProperties   Kafka client properties for every client (security.protocol, sasl.*, ssl.*, ...):
 *                           given to Kafka Streams and to every Admin client ({@link #adminProperties()})
 */
public record ProcessorConfig(String applicationId, String bootstrapServers, Path stateDir, String applicationServer,
                              String processingGuarantee, int standbyReplicas, long commitIntervalMs,
                              int replicationFactor, Topics topics, Map<String, String> clientProperties) {
    public ProcessorConfig {
        clientProperties = clientProperties == null ? Map.of() : Map.copyOf(clientProperties);
    }

    public ProcessorConfig(String applicationId, String bootstrapServers, Path stateDir, String applicationServer,
                           String processingGuarantee, int standbyReplicas, long commitIntervalMs,
                           int replicationFactor, Topics topics) {
        this(applicationId, bootstrapServers, stateDir, applicationServer, processingGuarantee, standbyReplicas,
                commitIntervalMs, replicationFactor, topics, Map.of());
    }

    public static final String DEFAULT_APPLICATION_ID = "vizsprints-streams";
    public static final String DEFAULT_PROCESSING_GUARANTEE = StreamsConfig.EXACTLY_ONCE_V2;
    /**
     * Under load: each commit is a transaction whose broker work does not depend on its size, so
     * fewer, larger ones leave more of the machine to processing (BENCHMARKS.md, "Commit pacing, partitions and staging").
     */
    public static final long DEFAULT_COMMIT_INTERVAL_MS = 300;
    /** First back-off of the Streams producer's retries (transactional requests retried while the previous commit completes). */
    public static final long PRODUCER_RETRY_BACKOFF_MS = 10;
    /** How often a stream thread that keeps up with its input commits (the topology's commit pacer asks for it). */
    public static final long KEEPING_UP_COMMIT_INTERVAL_MS = 100;
    /** One standby per partition: free with a single instance (nowhere to place it), a warm copy with several. */
    public static final int DEFAULT_STANDBY_REPLICAS = 1;
    /** How soon a silently dead instance (SIGKILL, lost host) is noticed and its partitions move. */
    public static final int DEFAULT_SESSION_TIMEOUT_MS = 10_000;
    /** System property prefix for overriding any Kafka Streams or client property. */
    public static final String OVERRIDE_PREFIX = "vizsprints.streams.";

    public static ProcessorConfig defaults(String bootstrapServers, Path stateDir, String applicationServer) {
        return new ProcessorConfig(DEFAULT_APPLICATION_ID, bootstrapServers, stateDir, applicationServer,
                DEFAULT_PROCESSING_GUARANTEE, DEFAULT_STANDBY_REPLICAS, DEFAULT_COMMIT_INTERVAL_MS, 1, Topics.defaults());
    }

    public ProcessorConfig withApplicationId(String id) {
        return new ProcessorConfig(id, bootstrapServers, stateDir, applicationServer, processingGuarantee, standbyReplicas,
                commitIntervalMs, replicationFactor, topics, clientProperties);
    }

    public ProcessorConfig withProcessingGuarantee(String guarantee) {
        return new ProcessorConfig(applicationId, bootstrapServers, stateDir, applicationServer, guarantee, standbyReplicas,
                commitIntervalMs, replicationFactor, topics, clientProperties);
    }

    public ProcessorConfig withStandbyReplicas(int n) {
        return new ProcessorConfig(applicationId, bootstrapServers, stateDir, applicationServer, processingGuarantee, n,
                commitIntervalMs, replicationFactor, topics, clientProperties);
    }

    public ProcessorConfig withReplicationFactor(int n) {
        return new ProcessorConfig(applicationId, bootstrapServers, stateDir, applicationServer, processingGuarantee,
                standbyReplicas, commitIntervalMs, n, topics, clientProperties);
    }

    public ProcessorConfig withTopics(Topics t) {
        return new ProcessorConfig(applicationId, bootstrapServers, stateDir, applicationServer, processingGuarantee,
                standbyReplicas, commitIntervalMs, replicationFactor, t, clientProperties);
    }

    public ProcessorConfig withClientProperties(Map<String, String> properties) {
        return new ProcessorConfig(applicationId, bootstrapServers, stateDir, applicationServer, processingGuarantee,
                standbyReplicas, commitIntervalMs, replicationFactor, topics, properties);
    }

    public ProcessorConfig withApplicationServer(String server) {
        return new ProcessorConfig(applicationId, bootstrapServers, stateDir, server, processingGuarantee,
                standbyReplicas, commitIntervalMs, replicationFactor, topics, clientProperties);
    }

    /** The settings of an Admin client of this application: the bootstrap servers and the client properties. */
    public Map<String, Object> adminProperties() {
        Map<String, Object> p = new HashMap<>(clientProperties);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }

    /** The Kafka Streams properties these settings stand for. */
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        if (applicationServer != null) {
            p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        }
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
        // The one store has no record cache (its changelog carries facts, each written once).
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, FactStoreRocksDbConfig.class);
        // Results do not depend on arrival order, so a task never waits for its other input
        // partition to have data (the default would wait one fetch per poll on an idle users topic).
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        // Processing is CPU-bound per stream thread (profiled with JFR): one thread per core.
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Math.max(1, Runtime.getRuntime().availableProcessors()));
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // Changelog records leave in batches of up to 100 ms (every commit sends what is left):
        // fewer, larger produce requests. Queries read the stores, so this delays no answer.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 100);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        // Back-to-back transactions: the next commit's offsets often reach the transaction
        // coordinator while it still completes the previous commit, and the producer retries
        // after its back-off (100 ms by default), with the stream thread blocked. Retrying from
        // 10 ms (doubling up to retry.backoff.max.ms, 1 s) cut the freshness p99 at 2,000
        // events/s from 320-337 ms to 219-222 ms (BENCHMARKS.md, "Freshness ... taken apart").
        p.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), PRODUCER_RETRY_BACKOFF_MS);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), DEFAULT_SESSION_TIMEOUT_MS);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), DEFAULT_SESSION_TIMEOUT_MS / 5);
        // The client properties (security, timeouts, ...) reach every client Kafka Streams creates.
        p.putAll(clientProperties);
        // Any Kafka Streams/client property can be overridden with -Dvizsprints.streams.<property>=<value>.
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith(OVERRIDE_PREFIX))
                .forEach(k -> p.put(k.substring(OVERRIDE_PREFIX.length()), System.getProperty(k)));
        return p;
    }
}
