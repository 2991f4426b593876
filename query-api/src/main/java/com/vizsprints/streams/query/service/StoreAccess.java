package com.vizsprints.streams.query.service;

import java.util.List;
import java.util.OptionalLong;

/** Where the query service finds the state: every partition's stores, or a clear refusal. */
public interface StoreAccess {
    /**
     * The stores of every partition of the input topics.
     *
     * @throws NotReadyException when any partition is not queryable right now
     */
    List<PartitionStores> allPartitions();

    /** What can be served right now, and which partitions cannot (for answers that accept being partial). */
    default PartitionSet partitions() {
        return new PartitionSet(allPartitions(), List.of());
    }

    /** The partition that holds everything about one user. */
    default int partitionOf(String userId) {
        return 0;
    }

    /** Operator facts for /api/health: stream state, records not yet processed, and so on. */
    StreamStatus status();

    /**
     * A number that changes whenever data an answer reads may have changed, while every answer is
     * read from this instance's own stores; empty while answers read other instances' stores (or
     * when that is not known), whose writes this instance does not see. Read it before the stores.
     */
    default OptionalLong dataVersion() {
        return OptionalLong.empty();
    }

    /**
     * @param localPartitions input partitions this instance processes itself (null: unknown)
     * @param partitionCount  partitions of the input topics (null: unknown)
     */
    record StreamStatus(String state, boolean running, Long pendingRecords, List<Integer> localPartitions, Integer partitionCount) {
        public StreamStatus(String state, boolean running, Long pendingRecords) {
            this(state, running, pendingRecords, null, null);
        }
    }

    record PartitionSet(List<PartitionStores> available, List<Integer> missing) {
    }
}
