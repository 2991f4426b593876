package com.vizsprints.streams.processor.topology;

import com.vizsprints.streams.processor.schema.StoreValues;
import com.vizsprints.streams.processor.schema.Topics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The topology as it was before the facts store: one processor, six changelogged stores
 * (per-user state with every event time, event ids, counters, session rankings, input order,
 * timeline). Test oracle only.
 */
public final class LegacyTopology {
    public static final String USER_STATE = "user-state";
    public static final String EVENT_IDS = "event-ids";
    public static final String AGGREGATES = "aggregates";
    public static final String SESSION_RANK = "session-rank";
    public static final String INPUT_ORDER = "input-order";
    public static final String TIMELINE = "timeline";

    private LegacyTopology() {
    }

    public static Topology build(Topics topics) {
        Topology topology = new Topology();
        topology.addSource(AnalyticsTopology.USERS_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), topics.users());
        topology.addSource(AnalyticsTopology.EVENTS_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), topics.events());
        topology.addProcessor(AnalyticsTopology.PROCESSOR, () -> new LegacyAnalyticsProcessor(topics),
                AnalyticsTopology.USERS_SOURCE, AnalyticsTopology.EVENTS_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(USER_STATE), Serdes.String(),
                StoreValues.userState()), AnalyticsTopology.PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EVENT_IDS), Serdes.String(),
                Serdes.ByteArray()), AnalyticsTopology.PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(AGGREGATES), Serdes.String(),
                Serdes.Long()).withCachingEnabled(), AnalyticsTopology.PROCESSOR);
        for (String name : new String[]{SESSION_RANK, INPUT_ORDER, TIMELINE}) {
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(),
                    Serdes.ByteArray()), AnalyticsTopology.PROCESSOR);
        }
        topology.addSink(AnalyticsTopology.DEAD_LETTER_SINK, topics.deadLetter(), new ByteArraySerializer(),
                new ByteArraySerializer(), AnalyticsTopology.PROCESSOR);
        return topology;
    }
}
