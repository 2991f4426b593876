package com.vizsprints.streams.query.service;

import com.vizsprints.streams.processor.config.ProcessorConfig;
import com.vizsprints.streams.processor.model.EventRecord;
import com.vizsprints.streams.processor.model.UserRecord;
import com.vizsprints.streams.processor.schema.JsonSerdes;
import com.vizsprints.streams.processor.schema.StateStores;
import com.vizsprints.streams.processor.schema.Topics;
import com.vizsprints.streams.processor.topology.AnalyticsTopology;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * The real topology in a TopologyTestDriver, with the query service reading its stores:
 * pipe CSV-like rows in, ask the endpoints' questions.
 */
public final class TopologyHarness implements AutoCloseable {
    final Topics topics = Topics.defaults();
    final TopologyTestDriver driver;
    public final AnalyticsQueryService queries;
    private final TestInputTopic<String, byte[]> users;
    private final TestInputTopic<String, byte[]> events;
    private final Path stateDir;
    private long userPosition;
    private long eventPosition;

    private final java.util.function.BiFunction<TopologyTestDriver, Integer, PartitionStores> stores;
    private final java.util.Map<Integer, PartitionStores> resolved = new java.util.concurrent.ConcurrentHashMap<>();

    public TopologyHarness() {
        this(AnalyticsTopology::build, (driver, partition) ->
                FactViews.of(partition, driver.<Bytes, byte[]>getKeyValueStore(StateStores.FACTS)));
    }

    /**
     * @param topology the topology under test
     * @param stores   how the query service finds its stores in the driver
     */
    public TopologyHarness(java.util.function.Function<Topics, org.apache.kafka.streams.Topology> topology,
                           java.util.function.BiFunction<TopologyTestDriver, Integer, PartitionStores> stores) {
        this.stores = stores;
        try {
            stateDir = Files.createTempDirectory("vizsprints-ttd-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Properties props = ProcessorConfig.defaults("unused:9092", stateDir, null).streamsProperties();
        driver = new TopologyTestDriver(topology.apply(topics), props);
        users = driver.createInputTopic(topics.users(), new StringSerializer(), new ByteArraySerializer());
        events = driver.createInputTopic(topics.events(), new StringSerializer(), new ByteArraySerializer());
        stores(0);
        queries = new AnalyticsQueryService(new StoreAccess() {
            @Override
            public List<PartitionStores> allPartitions() {
                return List.of(stores(0));
            }

            @Override
            public StreamStatus status() {
                return new StreamStatus("RUNNING", true, 0L);
            }
        });
    }

    /**
     * This driver's stores, presented as partition {@code partition}. Looked up once: the driver
     * resets its task's record context on every lookup, which would race with a record being
     * processed on the test's thread while a query thread asks.
     */
    public PartitionStores stores(int partition) {
        return resolved.computeIfAbsent(partition, p -> stores.apply(driver, p));
    }

    /** A users.csv row; its position is the next in the file. */
    public TopologyHarness user(String userId, String joinedAt, String plan, String variant) {
        return user(userId, joinedAt, "Mobile", "US", plan, variant);
    }

    TopologyHarness user(String userId, String joinedAt, String device, String country, String plan, String variant) {
        return userAt(userPosition++, userId, joinedAt, device, country, plan, variant);
    }

    public TopologyHarness userAt(long position, String userId, String joinedAt, String device, String country, String plan, String variant) {
        UserRecord u = new UserRecord(userId, joinedAt, device, country, plan, variant, position);
        users.pipeInput(userId, JsonSerdes.user().serializer().serialize(topics.users(), u));
        return this;
    }

    /** An events.csv row with a generated id; its position is the next in the file. */
    public TopologyHarness event(String userId, String name, String timestamp) {
        long pos = eventPosition++;
        return eventAt(pos, "e_" + pos, userId, name, timestamp);
    }

    public TopologyHarness eventAt(long position, String eventId, String userId, String name, String timestamp) {
        EventRecord e = new EventRecord(eventId, userId, name, timestamp, "{\"k\": \"v, w\"}", position);
        events.pipeInput(userId, JsonSerdes.event().serializer().serialize(topics.events(), e));
        return this;
    }

    /** A users.csv row exactly as the replay tool parsed it (blank fields are null). */
    public TopologyHarness user(UserRecord u) {
        users.pipeInput(u.userId(), JsonSerdes.user().serializer().serialize(topics.users(), u));
        return this;
    }

    /** An events.csv row exactly as the replay tool parsed it (blank fields are null). */
    public TopologyHarness event(EventRecord e) {
        events.pipeInput(e.userId(), JsonSerdes.event().serializer().serialize(topics.events(), e));
        return this;
    }

    void rawEvent(String key, String value) {
        events.pipeInput(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    void rawUser(String key, String value) {
        users.pipeInput(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    TestOutputTopic<byte[], byte[]> deadLetters() {
        return driver.createOutputTopic(topics.deadLetter(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void close() {
        driver.close();
        try {
            org.apache.kafka.common.utils.Utils.delete(stateDir.toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
