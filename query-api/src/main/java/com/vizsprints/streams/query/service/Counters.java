package com.vizsprints.streams.query.service;

import com.vizsprints.streams.processor.logic.AggregateKeys;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The partition-local counters of the aggregates store, summed over all partitions. Inputs are
 * co-partitioned by user id, so every sum is exact.
 */
final class Counters {
    private final List<PartitionStores> partitions;

    Counters(List<PartitionStores> partitions) {
        this.partitions = partitions;
    }

    long get(String key) {
        long sum = 0;
        for (PartitionStores p : partitions) {
            Long v = p.aggregates().get(key);
            if (v != null) {
                sum += v;
            }
        }
        return sum;
    }

    /** All distinct events: the sum of the per-day counters. */
    long totalEvents() {
        return sumWithPrefix(AggregateKeys.EVENT_DAY_PREFIX);
    }

    /** The sum of every counter whose key starts with {@code prefix}, over all partitions. */
    long sumWithPrefix(String prefix) {
        long sum = 0;
        StringSerializer serializer = new StringSerializer();
        for (PartitionStores p : partitions) {
            try (KeyValueIterator<String, Long> it = p.aggregates().prefixScan(prefix, serializer)) {
                sum += sum(it);
            }
        }
        return sum;
    }

    /**
     * The sum of the counters from {@code prefix + fromSuffix} (inclusive) to the end of the
     * prefix, over all partitions: e.g. the days of a dated prefix from one day on.
     */
    long sumWithPrefixFrom(String prefix, String fromSuffix) {
        long sum = 0;
        for (PartitionStores p : partitions) {
            try (KeyValueIterator<String, Long> it = p.aggregates().range(prefix + fromSuffix, AggregateKeys.prefixEnd(prefix))) {
                sum += sum(it);
            }
        }
        return sum;
    }

    private static long sum(KeyValueIterator<String, Long> it) {
        long sum = 0;
        while (it.hasNext()) {
            sum += it.next().value;
        }
        return sum;
    }

    /** Distinct events of one name, per day ({@code YYYY-MM-DD} -> count). */
    SortedMap<String, Long> eventsPerDayNamed(String name) {
        SortedMap<String, Long> perDay = new TreeMap<>();
        String suffix = AggregateKeys.SEP + name;
        withPrefix(AggregateKeys.EVENT_DAY_NAME_PREFIX).forEach((k, v) -> {
            if (k.length() == 10 + suffix.length() && k.endsWith(suffix)) {
                perDay.put(k.substring(0, 10), v);
            }
        });
        return perDay;
    }

    /** Largest event time over all partitions, or null when no event was seen. */
    Long maxEventNanos() {
        Long max = null;
        for (PartitionStores p : partitions) {
            Long v = p.aggregates().get(AggregateKeys.MAX_EVENT_NANOS);
            if (v != null && (max == null || v > max)) {
                max = v;
            }
        }
        return max;
    }

    /** Every counter whose key starts with {@code prefix}, summed, keyed by the rest of the key, in key order. */
    SortedMap<String, Long> withPrefix(String prefix) {
        StringSerializer serializer = new StringSerializer();
        Map<String, long[]> sums = new HashMap<>();
        for (PartitionStores p : partitions) {
            try (KeyValueIterator<String, Long> it = p.aggregates().prefixScan(prefix, serializer)) {
                addTo(sums, it, prefix.length());
            }
        }
        return sorted(sums);
    }

    /** Sums per key summed in a hash map, sorted once: one partition's keys come in order, but not all partitions'. */
    private static void addTo(Map<String, long[]> sums, KeyValueIterator<String, Long> it, int prefixLength) {
        while (it.hasNext()) {
            KeyValue<String, Long> kv = it.next();
            sums.computeIfAbsent(kv.key.substring(prefixLength), k -> new long[1])[0] += kv.value;
        }
    }

    private static SortedMap<String, Long> sorted(Map<String, long[]> sums) {
        SortedMap<String, Long> out = new TreeMap<>();
        sums.forEach((k, v) -> out.put(k, v[0]));
        return out;
    }
}
