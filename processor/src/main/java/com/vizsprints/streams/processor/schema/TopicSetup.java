package com.vizsprints.streams.processor.schema;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

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
 */
public final class TopicSetup {
    public static final int DEFAULT_PARTITIONS = 3;

    private TopicSetup() {
    }

    /**
     * @return one line per topic saying what was found or created
     * @throws IllegalStateException when the input topics exist with different partition counts
     */
    public static List<String> ensureTopics(Admin admin, Topics topics, int partitions, short replicationFactor)
            throws ExecutionException, InterruptedException {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1, got " + replicationFactor);
        }
        List<String> inputs = List.of(topics.users(), topics.events());
        Set<String> existing = admin.listTopics().names().get();
        Map<String, Integer> counts = new LinkedHashMap<>(partitionCounts(admin, inputs.stream().filter(existing::contains).toList()));
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
            if (create(admin, new NewTopic(name, target, replicationFactor).configs(config))) {
                counts.put(name, target);
                notes.add("created topic " + name + " (" + target + " partitions, replication factor " + replicationFactor
                        + (name.equals(topics.users()) ? ", compacted" : "") + ")"
                        + (target != partitions ? " to match the existing input topic" : ""));
            } else {
                int count = partitionCounts(admin, List.of(name)).get(name);
                counts.put(name, count);
                notes.add("topic " + name + " exists (" + count + " partitions; created meanwhile by another client)");
            }
        }
        if (counts.values().stream().distinct().count() > 1) {
            throw new IllegalStateException("topics " + topics.users() + " (" + counts.get(topics.users()) + " partitions) and "
                    + topics.events() + " (" + counts.get(topics.events()) + " partitions) must have the same number of"
                    + " partitions to be co-partitioned; delete one of them or use other topic names");
        }
        if (!existing.contains(topics.deadLetter()) && create(admin, new NewTopic(topics.deadLetter(), 1, replicationFactor))) {
            notes.add("created topic " + topics.deadLetter() + " (dead letters)");
        }
        return notes;
    }

    /** @return false when someone else created the topic first */
    private static boolean create(Admin admin, NewTopic topic) throws ExecutionException, InterruptedException {
        try {
            admin.createTopics(List.of(topic)).all().get();
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw e;
        }
    }

    private static Map<String, Integer> partitionCounts(Admin admin, List<String> names) throws ExecutionException, InterruptedException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (names.isEmpty()) {
            return counts;
        }
        Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames().get();
        names.forEach(n -> counts.put(n, descriptions.get(n).partitions().size()));
        return counts;
    }
}
