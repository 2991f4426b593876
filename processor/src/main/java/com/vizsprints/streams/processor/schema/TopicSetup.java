package com.vizsprints.streams.processor.schema;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates the pipeline's topics when missing: users (compacted) and events with the same
 * partition count, so they are co-partitioned by user id, and the dead-letter topic.
 */
public final class TopicSetup {
    public static final int DEFAULT_PARTITIONS = 3;

    private TopicSetup() {
    }

    /** @return the names of the topics this call created */
    public static List<String> ensureTopics(Admin admin, Topics topics, int partitions, short replicationFactor)
            throws ExecutionException, InterruptedException {
        Set<String> existing;
        try {
            existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ExecutionException("the broker did not list its topics within 30 s", e);
        }
        int minIsr = Math.max(1, Math.min(2, replicationFactor - 1));
        List<NewTopic> missing = new ArrayList<>();
        if (!existing.contains(topics.users())) {
            missing.add(new NewTopic(topics.users(), partitions, replicationFactor).configs(Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minIsr))));
        }
        if (!existing.contains(topics.events())) {
            missing.add(new NewTopic(topics.events(), partitions, replicationFactor).configs(Map.of(
                    TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minIsr))));
        }
        if (!existing.contains(topics.deadLetter())) {
            missing.add(new NewTopic(topics.deadLetter(), 1, replicationFactor));
        }
        List<String> created = new ArrayList<>();
        for (NewTopic topic : missing) {
            try {
                admin.createTopics(List.of(topic)).all().get();
                created.add(topic.name());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        return created;
    }
}
