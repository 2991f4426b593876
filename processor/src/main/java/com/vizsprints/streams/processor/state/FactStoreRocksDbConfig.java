package com.vizsprints.streams.processor.state;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.CompactionOptionsUniversal;
import org.rocksdb.Options;

import java.util.Map;

/**
 * RocksDB settings for the facts store, whose workload differs from Kafka Streams' defaults:
 * <ul>
 *   <li>Most reads ask for keys that are not there (is this event id new?), so bloom filters
 *       must answer on every level, including the last one ({@code optimize_filters_for_hits}
 *       off).</li>
 *   <li>Most writes add keys that are never written again (events and their indexes), so most
 *       of what compaction does is rewrite them: at a million users RocksDB's background threads
 *       took as much CPU as the stream threads (BENCHMARKS.md, "RocksDB compaction at a million
 *       users"). Larger memtables ({@value #WRITE_BUFFER_MB} MB instead of 16) flush fewer,
 *       larger sorted runs, and universal compaction waits for {@value #MIN_MERGE_WIDTH} of
 *       them before it merges (instead of 2) and rewrites the whole store only when the newer
 *       runs outgrow the oldest {@value #MAX_SIZE_AMPLIFICATION_PERCENT}% (instead of 200%):
 *       each entry is rewritten fewer times.</li>
 * </ul>
 */
public final class FactStoreRocksDbConfig implements RocksDBConfigSetter {
    static final long WRITE_BUFFER_MB = 64;
    static final int MIN_MERGE_WIDTH = 4;
    static final int MAX_SIZE_AMPLIFICATION_PERCENT = 400;

    private CompactionOptionsUniversal universal;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        options.setOptimizeFiltersForHits(false);
        options.setWriteBufferSize(WRITE_BUFFER_MB << 20);
        // Kafka Streams opens its stores with universal compaction; these are its options.
        universal = new CompactionOptionsUniversal();
        universal.setMinMergeWidth(MIN_MERGE_WIDTH);
        universal.setMaxSizeAmplificationPercent(MAX_SIZE_AMPLIFICATION_PERCENT);
        options.setCompactionOptionsUniversal(universal);
    }

    @Override
    public void close(String storeName, Options options) {
        if (universal != null) {
            universal.close();
            universal = null;
        }
    }
}
