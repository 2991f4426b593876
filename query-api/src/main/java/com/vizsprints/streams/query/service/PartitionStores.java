package com.vizsprints.streams.query.service;

import com.vizsprints.streams.processor.logic.UserSummary;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Read-only views of the stores of one input partition. */
public record PartitionStores(int partition,
                              ReadOnlyKeyValueStore<String, UserSummary> users,
                              ReadOnlyKeyValueStore<String, Long> aggregates,
                              ReadOnlyKeyValueStore<Bytes, byte[]> sessionRank,
                              ReadOnlyKeyValueStore<Bytes, byte[]> inputOrder,
                              ReadOnlyKeyValueStore<Bytes, byte[]> timeline) {
}
