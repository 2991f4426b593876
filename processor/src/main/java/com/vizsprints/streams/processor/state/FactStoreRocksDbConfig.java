package com.vizsprints.streams.processor.state;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

import java.util.Map;

/**
 * RocksDB settings for the facts store, whose workload differs from Kafka Streams' defaults:
 * most reads ask for keys that are not there (is this event id new?), so bloom filters must
 * answer on every level, including the last one ({@code optimize_filters_for_hits} off).
 */
public final class FactStoreRocksDbConfig implements RocksDBConfigSetter {
    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        options.setOptimizeFiltersForHits(false);
    }

    @Override
    public void close(String storeName, Options options) {
    }
}
