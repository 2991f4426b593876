package com.vizsprints.streams.query.service;

import com.vizsprints.streams.processor.schema.FactKeys;
import com.vizsprints.streams.processor.schema.StateStores;
import com.vizsprints.streams.processor.schema.StoreValues;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The query side's stores ({@link StateStores#VIEWS}) as views of one partition's facts store:
 * user summaries and counters are key spaces of it; the rankings, input-order and time indexes
 * use the store's keys as they are (their key layouts start with their own bytes).
 */
public final class FactViews {
    private FactViews() {
    }

    /** All views of one partition. */
    public static PartitionStores of(int partition, ReadOnlyKeyValueStore<Bytes, byte[]> facts) {
        return new PartitionStores(partition, view(StateStores.USER_STATE, facts), view(StateStores.AGGREGATES, facts),
                facts, facts, facts);
    }

    /** The view named {@code name}, or null when there is no such view. */
    @SuppressWarnings("unchecked")
    public static <K, V> ReadOnlyKeyValueStore<K, V> view(String name, ReadOnlyKeyValueStore<Bytes, byte[]> facts) {
        Object view = switch (name) {
            case StateStores.USER_STATE -> new KeySpaceView<>(facts, FactKeys.SUMMARY, Serdes.String(), StoreValues.userSummary());
            case StateStores.AGGREGATES -> new KeySpaceView<>(facts, FactKeys.COUNTER, Serdes.String(), Serdes.Long());
            case StateStores.SESSION_RANK, StateStores.INPUT_ORDER, StateStores.TIMELINE -> facts;
            default -> null;
        };
        return (ReadOnlyKeyValueStore<K, V>) view;
    }
}
