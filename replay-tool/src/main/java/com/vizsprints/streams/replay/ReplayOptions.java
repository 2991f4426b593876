package com.vizsprints.streams.replay;

import com.vizsprints.streams.processor.schema.TopicSetup;
import com.vizsprints.streams.processor.schema.Topics;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What to replay and where.
 *
 * @param bootstrapServers  Kafka bootstrap servers, {@code host:port[,host:port...]}
 * @param usersFile         users.csv to publish, or null for none
 * @param eventsFile        events.csv to publish, or null for none (not both null)
 * @param partitions        partitions of each topic the tool creates
 * @param replicationFactor replication factor of each topic the tool creates
 * @param topics            topic names
 * @param ratePerSecond     at most this many records per second (0: as fast as the broker takes them);
 *                          for steady replays into live dashboards and for freshness measurements
 * @param usersAfterEvents  publish events.csv before users.csv (every event arrives before its
 *                          user row: the processor's results must not depend on it)
 * @param clientProperties  Kafka client properties (security.protocol, sasl.*, ssl.*, ...) for the producer and the admin
 * @param createTopics      create missing topics (false: only check that they exist and are co-partitioned)
 * @param speed             replay events in event time this many times faster than real time, keeping
 *                          the gaps between events (0: no event-time pacing)
 * @param backpressure      hold the replay back while the application it feeds is far behind
 *                          ({@link Backpressure#NONE}: never)
 */
public record ReplayOptions(String bootstrapServers, Path usersFile, Path eventsFile, int partitions,
                            int replicationFactor, Topics topics, int ratePerSecond, boolean usersAfterEvents,
                            Map<String, String> clientProperties, boolean createTopics, double speed,
                            Backpressure backpressure) {
    public static final int DEFAULT_PARTITIONS = TopicSetup.DEFAULT_PARTITIONS;
    public static final int DEFAULT_REPLICATION_FACTOR = 1;

    public ReplayOptions {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers are required");
        }
        if (usersFile == null && eventsFile == null) {
            throw new IllegalArgumentException("a users file, an events file or both are required");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        if (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE) {
            throw new IllegalArgumentException("replication factor must be between 1 and " + Short.MAX_VALUE
                    + ", got " + replicationFactor);
        }
        Objects.requireNonNull(topics, "topics");
        if (topics.users() == null || topics.users().isBlank() || topics.events() == null || topics.events().isBlank()) {
            throw new IllegalArgumentException("topic names must not be empty");
        }
        if (topics.users().equals(topics.events())) {
            throw new IllegalArgumentException("the users and events topics must differ, both are " + topics.users());
        }
        if (ratePerSecond < 0) {
            throw new IllegalArgumentException("rate must be 0 (unlimited) or positive, got " + ratePerSecond);
        }
        if (!(speed >= 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be 0 (no event-time pacing) or positive, got " + speed);
        }
        clientProperties = clientProperties == null ? Map.of() : Map.copyOf(clientProperties);
        backpressure = backpressure == null ? Backpressure.NONE : backpressure;
    }

    public ReplayOptions(String bootstrapServers, Path usersFile, Path eventsFile, int partitions,
                         int replicationFactor, Topics topics, int ratePerSecond, boolean usersAfterEvents) {
        this(bootstrapServers, usersFile, eventsFile, partitions, replicationFactor, topics, ratePerSecond, usersAfterEvents,
                Map.of(), true, 0, Backpressure.NONE);
    }

    public ReplayOptions(String bootstrapServers, Path usersFile, Path eventsFile, int partitions,
                         int replicationFactor, Topics topics) {
        this(bootstrapServers, usersFile, eventsFile, partitions, replicationFactor, topics, 0, false);
    }

    /** Options with the default partitions, replication factor and topic names. */
    public static ReplayOptions of(String bootstrapServers, Path usersFile, Path eventsFile) {
        return new ReplayOptions(bootstrapServers, usersFile, eventsFile, DEFAULT_PARTITIONS,
                DEFAULT_REPLICATION_FACTOR, Topics.defaults());
    }

    public ReplayOptions withClientProperties(Map<String, String> properties) {
        return new ReplayOptions(bootstrapServers, usersFile, eventsFile, partitions, replicationFactor, topics, ratePerSecond,
                usersAfterEvents, properties, createTopics, speed, backpressure);
    }

    public ReplayOptions withCreateTopics(boolean create) {
        return new ReplayOptions(bootstrapServers, usersFile, eventsFile, partitions, replicationFactor, topics, ratePerSecond,
                usersAfterEvents, clientProperties, create, speed, backpressure);
    }

    public ReplayOptions withSpeed(double x) {
        return new ReplayOptions(bootstrapServers, usersFile, eventsFile, partitions, replicationFactor, topics, ratePerSecond,
                usersAfterEvents, clientProperties, createTopics, x, backpressure);
    }

    public ReplayOptions withPartitions(int partitions) {
        return new ReplayOptions(bootstrapServers, usersFile, eventsFile, partitions, replicationFactor, topics, ratePerSecond, usersAfterEvents, clientProperties, createTopics, speed, backpressure);
    }

    public ReplayOptions withReplicationFactor(int replicationFactor) {
        return new ReplayOptions(bootstrapServers, usersFile, eventsFile, partitions, replicationFactor, topics, ratePerSecond, usersAfterEvents, clientProperties, createTopics, speed, backpressure);
    }

    public ReplayOptions withTopics(Topics topics) {
        return new ReplayOptions(bootstrapServers, usersFile, eventsFile, partitions, replicationFactor, topics, ratePerSecond, usersAfterEvents, clientProperties, createTopics, speed, backpressure);
    }

    public ReplayOptions withRatePerSecond(int rate) {
        return new ReplayOptions(bootstrapServers, usersFile, eventsFile, partitions, replicationFactor, topics, rate, usersAfterEvents, clientProperties, createTopics, speed, backpressure);
    }

    public ReplayOptions withBackpressure(Backpressure b) {
        return new ReplayOptions(bootstrapServers, usersFile, eventsFile, partitions, replicationFactor, topics, ratePerSecond, usersAfterEvents, clientProperties, createTopics, speed, b);
    }

    public ReplayOptions withUsersAfterEvents(boolean after) {
        return new ReplayOptions(bootstrapServers, usersFile, eventsFile, partitions, replicationFactor, topics, ratePerSecond, after, clientProperties, createTopics, speed, backpressure);
    }
}
