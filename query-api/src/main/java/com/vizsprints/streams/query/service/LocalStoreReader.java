package com.vizsprints.streams.query.service;

import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Opens this instance's own store of one partition: the active copy, or a standby copy when {@code stale}. */
public interface LocalStoreReader {
    <K, V> ReadOnlyKeyValueStore<K, V> open(String store, int partition, boolean stale);
}
