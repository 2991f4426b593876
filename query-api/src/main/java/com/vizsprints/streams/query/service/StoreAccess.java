package com.vizsprints.streams.query.service;

import java.util.List;

/** Where the query service finds the state: every partition's stores, or a clear refusal. */
public interface StoreAccess {
    /**
     * The stores of every partition of the input topics.
     *
     * @throws NotReadyException when any partition is not queryable right now
     */
    List<PartitionStores> allPartitions();

    /** Operator facts for /api/health: stream state, records not yet processed, and so on. */
    StreamStatus status();

    record StreamStatus(String state, boolean running, Long pendingRecords) {
    }
}
