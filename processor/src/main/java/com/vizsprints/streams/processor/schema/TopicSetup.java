package com.vizsprints.streams.processor.schema;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * Creates the pipeline's topics when missing, the one place that does (the replay tool and
 * the application both call it): users (compacted) and events with the same partition count,
 * so they are co-partitioned by user id, and the dead-letter topic. A new input topic takes
 * the partition count of an existing one; two existing input topics with different counts are
 * refused.
 *
 * <p>Made for real clusters: every Admin step is retried while Kafka calls its failure retriable
 * (a topic unknown to the broker asked right after its creation, no leader yet, a controller
 * move, a timeout), a topic created meanwhile by another instance is taken as it is, and the
 * setup returns only once every partition of the three topics has a leader known to the broker
 * answering. A failure is a {@link TopicSetupException} naming the step and the topic.
 */
public final class TopicSetup {
    /**
     * Six: divisible by one, two, three and six stream threads or instances, so the work spreads
     * evenly (with three, two stream threads took two tasks and one; BENCHMARKS.md, "Commit pacing, partitions and staging").
     */
    public static final int DEFAULT_PARTITIONS = 6;
    /** How long the setup keeps retrying before it fails. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
    /** Too few brokers registered for the replication factor: retried this long (brokers may be joining). */
    static final Duration REPLICATION_WAIT = Duration.ofSeconds(30);

    /** A topic setup step that failed; the message names the step and the topic. */
    public static final class TopicSetupException extends IllegalStateException {
        private final String step;

        public TopicSetupException(String step, String message, Throwable cause) {
            super("topic setup failed at step '" + step + "': " + message, cause);
            this.step = step;
        }

        public String step() {
            return step;
        }
    }

    private TopicSetup() {
    }

    /** As {@link #ensureTopics(Admin, Topics, int, short, Duration)} with {@link #DEFAULT_TIMEOUT}. */
    public static List<String> ensureTopics(Admin admin, Topics topics, int partitions, short replicationFactor)
            throws ExecutionException, InterruptedException {
        return ensureTopics(admin, topics, partitions, replicationFactor, DEFAULT_TIMEOUT);
    }

    /**
     * @return one line per topic saying what was found or created
     * @throws TopicSetupException when a step fails or the input topics exist with different partition counts
     */
    public static List<String> ensureTopics(Admin admin, Topics topics, int partitions, short replicationFactor, Duration timeout)
            throws ExecutionException, InterruptedException {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1, got " + replicationFactor);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> inputs = List.of(topics.users(), topics.events());
        Set<String> existing = retry("list topics", deadline, () -> admin.listTopics().names().get());
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String name : inputs) {
            if (existing.contains(name)) {
                counts.put(name, partitionCount(admin, name, deadline));
            }
        }
        int target = counts.isEmpty() ? partitions : counts.values().iterator().next();
        String minIsr = Integer.toString(Math.max(1, Math.min(2, replicationFactor - 1)));
        List<String> notes = new ArrayList<>();
        for (String name : inputs) {
            if (counts.containsKey(name)) {
                int count = counts.get(name);
                notes.add("topic " + name + " exists (" + count + " partitions"
                        + (count != partitions ? "; the " + partitions + " asked for apply only to new topics" : "") + ")");
                continue;
            }
            Map<String, String> config = new HashMap<>(Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr));
            if (name.equals(topics.users())) {
                config.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            }
            if (create(admin, new NewTopic(name, target, replicationFactor).configs(config), deadline)) {
                counts.put(name, target);
                notes.add("created topic " + name + " (" + target + " partitions, replication factor " + replicationFactor
                        + (name.equals(topics.users()) ? ", compacted" : "") + ")"
                        + (target != partitions ? " to match the existing input topic" : ""));
            } else {
                int count = partitionCount(admin, name, deadline);
                counts.put(name, count);
                notes.add("topic " + name + " exists (" + count + " partitions; created meanwhile by another client)");
            }
        }
        checkCoPartitioned(topics, counts);
        if (!existing.contains(topics.deadLetter())
                && create(admin, new NewTopic(topics.deadLetter(), 1, replicationFactor), deadline)) {
            notes.add("created topic " + topics.deadLetter() + " (dead letters)");
        }
        awaitLeaders(admin, List.of(topics.users(), topics.events(), topics.deadLetter()), deadline);
        return notes;
    }

    /**
     * For clusters where this application may not create topics: checks that the three topics
     * exist, that the input topics are co-partitioned, and that every partition has a leader.
     *
     * @return one line per topic saying what was found
     * @throws TopicSetupException naming the missing topic or the partition counts that differ
     */
    public static List<String> checkTopics(Admin admin, Topics topics, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> existing = retry("list topics", deadline, () -> admin.listTopics().names().get());
        List<String> all = List.of(topics.users(), topics.events(), topics.deadLetter());
        for (String name : all) {
            if (!existing.contains(name)) {
                throw new TopicSetupException("check topic " + name, "topic " + name + " does not exist and topic creation is"
                        + " off; create " + topics.users() + " and " + topics.events() + " with the same number of partitions"
                        + " (" + topics.users() + " compacted) and " + topics.deadLetter() + ", or allow topic creation", null);
            }
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String name : List.of(topics.users(), topics.events())) {
            counts.put(name, partitionCount(admin, name, deadline));
        }
        checkCoPartitioned(topics, counts);
        awaitLeaders(admin, all, deadline);
        List<String> notes = new ArrayList<>();
        counts.forEach((name, count) -> notes.add("topic " + name + " exists (" + count + " partitions)"));
        notes.add("topic " + topics.deadLetter() + " exists");
        return notes;
    }

    private static void checkCoPartitioned(Topics topics, Map<String, Integer> counts) {
        if (counts.values().stream().distinct().count() > 1) {
            throw new TopicSetupException("check co-partitioning of " + topics.users() + " and " + topics.events(),
                    "topics " + topics.users() + " (" + counts.get(topics.users()) + " partitions) and "
                    + topics.events() + " (" + counts.get(topics.events()) + " partitions) must have the same number of"
                    + " partitions to be co-partitioned; delete one of them or use other topic names", null);
        }
    }

    /** @return false when someone else created the topic first */
    private static boolean create(Admin admin, NewTopic topic, long deadline) throws InterruptedException {
        return retry("create topic " + topic.name(), deadline, () -> {
            try {
                admin.createTopics(List.of(topic)).all().get();
                return true;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    return false;
                }
                throw e;
            }
        });
    }

    private static int partitionCount(Admin admin, String name, long deadline) throws InterruptedException {
        TopicDescription d = retry("describe topic " + name, deadline,
                () -> admin.describeTopics(List.of(name)).allTopicNames().get().get(name));
        return d.partitions().size();
    }

    /** Waits until every partition of {@code names} has a leader known to the broker answering. */
    private static void awaitLeaders(Admin admin, List<String> names, long deadline) throws InterruptedException {
        long backoff = 50;
        while (true) {
            Map<String, TopicDescription> all = retry("wait for partition leaders of " + String.join(", ", names), deadline,
                    () -> admin.describeTopics(names).allTopicNames().get());
            String leaderless = null;
            for (String name : names) {
                TopicDescription d = all.get(name);
                for (TopicPartitionInfo p : d.partitions()) {
                    if (p.leader() == null || p.leader().isEmpty() || p.leader().id() < 0) {
                        leaderless = name + "-" + p.partition();
                        break;
                    }
                }
                if (leaderless != null) {
                    break;
                }
            }
            if (leaderless == null) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TopicSetupException("wait for partition leaders of topic " + leaderless.substring(0, leaderless.lastIndexOf('-')),
                        "partition " + leaderless + " still has no leader", null);
            }
            Thread.sleep(backoff);
            backoff = Math.min(1000, backoff * 2);
        }
    }

    @FunctionalInterface
    interface Step<T> {
        T run() throws ExecutionException, InterruptedException;
    }

    /** Runs {@code step}, retrying it while Kafka reports a retriable failure and the deadline allows. */
    static <T> T retry(String name, long deadline, Step<T> step) throws InterruptedException {
        long start = System.nanoTime();
        long backoff = 100;
        while (true) {
            Throwable failure;
            try {
                return step.run();
            } catch (ExecutionException e) {
                failure = e.getCause() != null ? e.getCause() : e;
            } catch (RetriableException e) {
                failure = e;
            }
            long now = System.nanoTime();
            boolean retriable = failure instanceof RetriableException
                    || (failure instanceof InvalidReplicationFactorException && now - start < REPLICATION_WAIT.toNanos());
            if (!retriable || now + backoff * 1_000_000 > deadline) {
                throw new TopicSetupException(name, failure.getClass().getSimpleName() + ": " + failure.getMessage()
                        + (retriable ? " (retried for " + (now - start) / 1_000_000_000 + " s)" : ""), failure);
            }
            Thread.sleep(backoff);
            backoff = Math.min(2000, backoff * 2);
        }
    }
}
