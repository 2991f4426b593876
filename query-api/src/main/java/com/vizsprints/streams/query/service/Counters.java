package com.vizsprints.streams.query.service;

import com.vizsprints.streams.processor.logic.AggregateKeys;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.util.List;
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
        return withPrefix(AggregateKeys.EVENT_DAY_PREFIX).values().stream().mapToLong(Long::longValue).sum();
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
        SortedMap<String, Long> sums = new TreeMap<>();
        StringSerializer serializer = new StringSerializer();
        for (PartitionStores p : partitions) {
            try (KeyValueIterator<String, Long> it = p.aggregates().prefixScan(prefix, serializer)) {
                while (it.hasNext()) {
                    KeyValue<String, Long> kv = it.next();
                    sums.merge(kv.key.substring(prefix.length()), kv.value, Long::sum);
                }
            }
        }
        return sums;
    }
}
