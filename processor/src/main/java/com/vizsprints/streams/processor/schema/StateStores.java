package com.vizsprints.streams.processor.schema;

import com.vizsprints.streams.processor.state.FactStoreSupplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.List;

/**
 * The processor's one state store and the names of the views the query side reads it through,
 * declared once. The store ({@link #FACTS}) is persistent (RocksDB) and changelogged, with no
 * record cache: its changelog carries only facts (user rows, events, the processor's own
 * counters), about one record per input record, and every replica derives the rest from them
 * ({@link com.vizsprints.streams.processor.state.FactStore}; key spaces in {@link FactKeys}).
 */
public final class StateStores {
    /** The physical store: facts and everything derived from them. */
    public static final String FACTS = "facts";

    /** View: user id -> {@link com.vizsprints.streams.processor.logic.UserSummary} ({@link FactKeys#SUMMARY} entries). */
    public static final String USER_STATE = "user-state";
    /** View: counter key ({@link com.vizsprints.streams.processor.logic.AggregateKeys}) -> partition-local count. */
    public static final String AGGREGATES = "aggregates";
    /** View: {@link IndexKeys#sessionRank} -> session summary: per-ordering top-N without sorting. */
    public static final String SESSION_RANK = "session-rank";
    /** View: users and events by input position, for the ab-test {@code limit} and {@code event_limit}. */
    public static final String INPUT_ORDER = "input-order";
    /** View: events by time, globally and per user, for /api/events. */
    public static final String TIMELINE = "timeline";

    public static final List<String> VIEWS = List.of(USER_STATE, AGGREGATES, SESSION_RANK, INPUT_ORDER, TIMELINE);

    private StateStores() {
    }

    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> facts() {
        return Stores.keyValueStoreBuilder(new FactStoreSupplier(FACTS), Serdes.Bytes(), Serdes.ByteArray());
    }
}
