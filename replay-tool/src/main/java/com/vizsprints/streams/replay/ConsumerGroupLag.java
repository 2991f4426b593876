package com.vizsprints.streams.replay;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * How many records of some topics a consumer group has yet to consume, as the broker sees it: the
 * end offsets minus the group's committed offsets, summed over the topics' partitions. A partition
 * where the group has committed nothing counts from its earliest offset. A Kafka Streams
 * application commits its input offsets with each transaction, so this is what it has processed
 * and made visible.
 */
final class ConsumerGroupLag implements LagGate.LagSource {
    private final Admin admin;
    private final String groupId;
    private final List<TopicPartition> partitions;

    private ConsumerGroupLag(Admin admin, String groupId, List<TopicPartition> partitions) {
        this.admin = admin;
        this.groupId = groupId;
        this.partitions = partitions;
    }

    /** The lag of {@code groupId} on every partition of {@code topics}, which must exist. */
    static ConsumerGroupLag of(Admin admin, String groupId, Collection<String> topics) {
        Map<String, TopicDescription> described = get(admin.describeTopics(topics).allTopicNames(), "describe topics " + topics);
        List<TopicPartition> partitions = new ArrayList<>();
        described.values().forEach(t -> t.partitions().forEach(p -> partitions.add(new TopicPartition(t.name(), p.partition()))));
        return new ConsumerGroupLag(admin, groupId, List.copyOf(partitions));
    }

    /**
     * @throws ReplayException when the broker cannot answer
     */
    @Override
    public LagGate.Reading read() {
        Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata(),
                "read the committed offsets of group '" + groupId + "'");
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        Map<TopicPartition, OffsetSpec> starts = new HashMap<>();
        for (TopicPartition p : partitions) {
            ends.put(p, OffsetSpec.latest());
            if (committed.get(p) == null) {
                starts.put(p, OffsetSpec.earliest());
            }
        }
        Map<TopicPartition, ListOffsetsResultInfo> end = get(admin.listOffsets(ends).all(), "read end offsets");
        Map<TopicPartition, ListOffsetsResultInfo> start = starts.isEmpty() ? Map.of() : get(admin.listOffsets(starts).all(), "read start offsets");
        long lag = 0;
        long processed = 0;
        for (TopicPartition p : partitions) {
            OffsetAndMetadata c = committed.get(p);
            long from = c != null ? c.offset() : start.get(p).offset();
            lag += Math.max(0, end.get(p).offset() - from);
            processed += from;
        }
        return new LagGate.Reading(lag, processed);
    }

    private static <T> T get(KafkaFuture<T> future, String what) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new ReplayException("cannot " + what + ": " + DeliveryTally.describe(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplayException("replay interrupted");
        }
    }
}
