package com.vizsprints.streams.query.service;

import com.vizsprints.streams.processor.logic.UserState;
import com.vizsprints.streams.processor.schema.StateStores;
import com.vizsprints.streams.processor.schema.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Store access for an instance that owns every partition itself: reads the local stores of
 * the KafkaStreams it hosts, and refuses (503) while any partition is not local and queryable.
 */
public final class LocalStoreAccess implements StoreAccess {
    private final KafkaStreams streams;
    private final Topics topics;
    private final Admin admin;
    private final String applicationId;

    public LocalStoreAccess(KafkaStreams streams, Topics topics, Admin admin, String applicationId) {
        this.streams = streams;
        this.topics = topics;
        this.admin = admin;
        this.applicationId = applicationId;
    }

    @Override
    public List<PartitionStores> allPartitions() {
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING) {
            throw new NotReadyException("stream processing is " + state + ", not RUNNING");
        }
        Set<Integer> all = new TreeSet<>();
        for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
            m.topicPartitions().stream().filter(tp -> tp.topic().equals(topics.events())).forEach(tp -> all.add(tp.partition()));
        }
        Set<Integer> local = new TreeSet<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                task.topicPartitions().stream().filter(tp -> tp.topic().equals(topics.events())).forEach(tp -> local.add(tp.partition()));
            }
        }
        if (all.isEmpty()) {
            throw new NotReadyException("no partition of topic '" + topics.events() + "' is assigned yet");
        }
        if (!local.containsAll(all)) {
            Set<Integer> missing = new TreeSet<>(all);
            missing.removeAll(local);
            throw new NotReadyException("partitions " + missing + " are not available on this instance");
        }
        List<PartitionStores> out = new ArrayList<>();
        try {
            for (int p : local) {
                out.add(new PartitionStores(p,
                        this.<String, UserState>store(StateStores.USER_STATE, p),
                        this.<String, Long>store(StateStores.AGGREGATES, p),
                        this.<Bytes, byte[]>store(StateStores.SESSION_RANK, p),
                        this.<Bytes, byte[]>store(StateStores.INPUT_ORDER, p),
                        this.<Bytes, byte[]>store(StateStores.TIMELINE, p)));
            }
        } catch (InvalidStateStoreException e) {
            throw new NotReadyException("state stores are migrating: " + e.getMessage());
        }
        return out;
    }

    private <K, V> ReadOnlyKeyValueStore<K, V> store(String name, int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<K, V>keyValueStore())
                .withPartition(partition));
    }

    @Override
    public StreamStatus status() {
        KafkaStreams.State state = streams.state();
        return new StreamStatus(state.name(), state == KafkaStreams.State.RUNNING, pendingRecords());
    }

    /**
     * Input records not yet processed: the input topics' end offsets minus the offsets the
     * application committed. Null when the broker cannot be asked right now.
     */
    private Long pendingRecords() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (String topic : List.of(topics.users(), topics.events())) {
                admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic).partitions()
                        .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(request).all().get(5, TimeUnit.SECONDS);
            long pending = 0;
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : ends.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                long done = c == null ? 0 : c.offset();
                pending += Math.max(0, e.getValue().offset() - done);
            }
            return pending;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return null;
        }
    }
}
