package com.vizsprints.streams.processor.topology;

import com.vizsprints.streams.processor.schema.StateStores;
import com.vizsprints.streams.processor.schema.Topics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.Topology;

/**
 * Wiring only: both input topics (co-partitioned by user id) feed one processor that writes
 * facts to the one state store; unprocessable records leave through the dead-letter sink.
 */
public final class AnalyticsTopology {
    public static final String USERS_SOURCE = "users-source";
    public static final String EVENTS_SOURCE = "events-source";
    public static final String PROCESSOR = "analytics";
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";

    public static final String HEADER_REASON = AnalyticsProcessor.HEADER_REASON;
    public static final String HEADER_TOPIC = AnalyticsProcessor.HEADER_TOPIC;
    public static final String HEADER_PARTITION = AnalyticsProcessor.HEADER_PARTITION;
    public static final String HEADER_OFFSET = AnalyticsProcessor.HEADER_OFFSET;

    private AnalyticsTopology() {
    }

    public static Topology build(Topics topics) {
        Topology topology = new Topology();
        topology.addSource(USERS_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), topics.users());
        topology.addSource(EVENTS_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), topics.events());
        topology.addProcessor(PROCESSOR, () -> new AnalyticsProcessor(topics), USERS_SOURCE, EVENTS_SOURCE);
        topology.addStateStore(StateStores.facts(), PROCESSOR);
        topology.addSink(DEAD_LETTER_SINK, topics.deadLetter(), new ByteArraySerializer(), new ByteArraySerializer(), PROCESSOR);
        return topology;
    }
}
