package com.vizsprints.streams.query.service;

import com.vizsprints.streams.processor.logic.UserSummary;
import com.vizsprints.streams.processor.schema.StateStores;
import com.vizsprints.streams.processor.schema.Topics;
import com.vizsprints.streams.processor.state.StoreChanges;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Store access for one instance among any number sharing an application id. For every input
 * partition it finds the active owner in Kafka Streams metadata ({@code application.server} is
 * each instance's HTTP address): its own partitions are read locally, the others through the
 * owners' internal endpoint, falling back to standby replicas. A partition nobody can serve
 * makes the answer a 503 ({@link NotReadyException}), unless partial answers were asked for.
 */
public final class ClusterStoreAccess implements StoreAccess, LocalStoreReader {
    private final KafkaStreams streams;
    private final Topics topics;
    private final Admin admin;
    private final String applicationId;
    private final HostInfo self;
    private final PeerClient peers;
    private volatile List<TopicPartition> inputPartitions;

    public ClusterStoreAccess(KafkaStreams streams, Topics topics, Admin admin, String applicationId, HostInfo self, PeerClient peers) {
        this.streams = streams;
        this.topics = topics;
        this.admin = admin;
        this.applicationId = applicationId;
        this.self = self;
        this.peers = peers;
    }

    @Override
    public List<PartitionStores> allPartitions() {
        PartitionSet set = partitions();
        if (!set.missing().isEmpty()) {
            throw new NotReadyException("partitions " + set.missing() + " have no reachable owner or standby right now");
        }
        return set.available();
    }

    @Override
    public PartitionSet partitions() {
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
            throw new NotReadyException("stream processing is " + state);
        }
        int count = partitionCount();
        Map<Integer, HostInfo> active = new HashMap<>();
        Map<Integer, List<HostInfo>> standbys = new HashMap<>();
        for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
            m.topicPartitions().stream().filter(tp -> tp.topic().equals(topics.events()))
                    .forEach(tp -> active.put(tp.partition(), m.hostInfo()));
            m.standbyTopicPartitions().stream().filter(tp -> tp.topic().equals(topics.events()))
                    .forEach(tp -> standbys.computeIfAbsent(tp.partition(), x -> new ArrayList<>()).add(m.hostInfo()));
        }
        List<PartitionStores> available = new ArrayList<>();
        List<Integer> missing = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            PartitionStores stores = storesOf(p, active.get(p), standbys.getOrDefault(p, List.of()));
            if (stores == null) {
                missing.add(p);
            } else {
                available.add(stores);
            }
        }
        return new PartitionSet(available, missing);
    }

    /**
     * The stores to read partition {@code p} from, in this order of preference: this instance's
     * active copy; the reachable active owner; this instance's standby copy; reachable standby
     * replicas elsewhere. Null when none of them can serve it.
     */
    private PartitionStores storesOf(int p, HostInfo owner, List<HostInfo> standbyHosts) {
        if (self.equals(owner)) {
            try {
                return local(p, false);
            } catch (InvalidStateStoreException migrating) {
                owner = null;
            }
        }
        if (owner != null && peers.isReachable(owner)) {
            return remote(p, List.of(new RemoteKeyValueStore.Replica(owner, false)));
        }
        if (standbyHosts.contains(self)) {
            try {
                return local(p, true);
            } catch (InvalidStateStoreException notYet) {
                // fall through to remote standbys
            }
        }
        List<RemoteKeyValueStore.Replica> replicas = new ArrayList<>();
        standbyHosts.stream().filter(h -> !h.equals(self) && peers.isReachable(h))
                .forEach(h -> replicas.add(new RemoteKeyValueStore.Replica(h, true)));
        return replicas.isEmpty() ? null : remote(p, replicas);
    }

    private PartitionStores remote(int p, List<RemoteKeyValueStore.Replica> replicas) {
        return new PartitionStores(p,
                new RemoteKeyValueStore<>(peers, StoreCodec.USER_STATE, p, replicas),
                new RemoteKeyValueStore<>(peers, StoreCodec.AGGREGATES, p, replicas),
                new RemoteKeyValueStore<>(peers, StoreCodec.SESSION_RANK, p, replicas),
                new RemoteKeyValueStore<>(peers, StoreCodec.INPUT_ORDER, p, replicas),
                new RemoteKeyValueStore<>(peers, StoreCodec.TIMELINE, p, replicas));
    }

    private PartitionStores local(int p, boolean stale) {
        return FactViews.of(p, facts(p, stale));
    }

    /** A view ({@link StateStores#VIEWS}) of this instance's facts store of one partition. */
    @Override
    public <K, V> ReadOnlyKeyValueStore<K, V> open(String view, int partition, boolean stale) {
        return FactViews.view(view, facts(partition, stale));
    }

    private ReadOnlyKeyValueStore<Bytes, byte[]> facts(int partition, boolean stale) {
        StoreQueryParameters<ReadOnlyKeyValueStore<Bytes, byte[]>> params = StoreQueryParameters
                .fromNameAndType(StateStores.FACTS, QueryableStoreTypes.<Bytes, byte[]>keyValueStore()).withPartition(partition);
        return streams.store(stale ? params.enableStaleStores() : params);
    }

    /** The input partition holding a user, as the producers' default partitioner places keyed records. */
    @Override
    public int partitionOf(String userId) {
        return Utils.toPositive(Utils.murmur2(userId.getBytes(StandardCharsets.UTF_8))) % partitionCount();
    }

    private int partitionCount() {
        List<TopicPartition> known = inputPartitions;
        if (known == null) {
            try {
                known = new ArrayList<>();
                for (var p : admin.describeTopics(List.of(topics.events())).allTopicNames().get(10, TimeUnit.SECONDS)
                        .get(topics.events()).partitions()) {
                    known.add(new TopicPartition(topics.events(), p.partition()));
                }
                inputPartitions = known;
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new NotReadyException("cannot describe topic " + topics.events() + ": " + e.getClass().getSimpleName());
            }
        }
        return known.size();
    }

    @Override
    public StreamStatus status() {
        KafkaStreams.State state = streams.state();
        return new StreamStatus(state.name(), state == KafkaStreams.State.RUNNING, pendingRecords(),
                List.copyOf(localPartitions()), inputPartitions == null ? null : inputPartitions.size());
    }

    /**
     * The facts stores' {@link StoreChanges#version()} while this instance is {@code RUNNING} with
     * every input partition active here: then every answer is read from its own stores.
     */
    @Override
    public OptionalLong dataVersion() {
        long version = StoreChanges.version();
        List<TopicPartition> known = inputPartitions;
        try {
            if (known == null || streams.state() != KafkaStreams.State.RUNNING || localPartitions().size() != known.size()) {
                return OptionalLong.empty();
            }
        } catch (RuntimeException leftRunningMeanwhile) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(version);
    }

    /** How old a pending-records figure may be: pollers and probes share one Kafka round trip per period. */
    static final long PENDING_MAX_AGE_NANOS = 200_000_000L;
    private long pendingAt = Long.MIN_VALUE;
    private Long pending;

    /** {@link #pendingRecordsNow()}, at most {@link #PENDING_MAX_AGE_NANOS} old. */
    private synchronized Long pendingRecords() {
        long now = System.nanoTime();
        if (pendingAt == Long.MIN_VALUE || now - pendingAt > PENDING_MAX_AGE_NANOS) {
            pending = pendingRecordsNow();
            pendingAt = System.nanoTime();
        }
        return pending;
    }

    /**
     * Input records not yet processed: the input topics' end offsets minus the offsets the
     * application committed. Null when the broker cannot be asked right now.
     */
    private Long pendingRecordsNow() {
        try {
            var committed = admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            int count = partitionCount();
            for (String topic : List.of(topics.users(), topics.events())) {
                for (int p = 0; p < count; p++) {
                    request.put(new TopicPartition(topic, p), OffsetSpec.latest());
                }
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(request).all().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> done = committed.get(5, TimeUnit.SECONDS);
            long pending = 0;
            for (var e : ends.entrySet()) {
                OffsetAndMetadata c = done.get(e.getKey());
                pending += Math.max(0, e.getValue().offset() - (c == null ? 0 : c.offset()));
            }
            return pending;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return null;
        }
    }

    /** Partitions that are owned by this instance right now (active). */
    public TreeSet<Integer> localPartitions() {
        TreeSet<Integer> local = new TreeSet<>();
        streams.metadataForLocalThreads().forEach(t -> t.activeTasks().forEach(task -> task.topicPartitions().stream()
                .filter(tp -> tp.topic().equals(topics.events())).forEach(tp -> local.add(tp.partition()))));
        return local;
    }
}
