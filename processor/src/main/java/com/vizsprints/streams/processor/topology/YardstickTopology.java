package com.vizsprints.streams.processor.topology;

import com.vizsprints.streams.processor.schema.Topics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * A benchmark yardstick, not part of the application: the analytics topology's two sources and
 * its parse step, followed by a single cached, changelogged counter instead of the analytics
 * state. Run with the application's own settings, it shows what Kafka Streams, the broker and
 * the input format cost on a machine before any analytics work is done.
 */
public final class YardstickTopology {
    public static final String STORE = "yardstick-counts";
    /** The one counter: events parsed. */
    public static final String EVENTS = "events";
    private static final String PROCESSOR = "parse-and-count";

    private YardstickTopology() {
    }

    public static Topology build(Topics topics) {
        Topology topology = new Topology();
        topology.addSource(AnalyticsTopology.USERS_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), topics.users());
        topology.addSource(AnalyticsTopology.EVENTS_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), topics.events());
        topology.addProcessor(PROCESSOR, () -> new ParseAndCount(topics), AnalyticsTopology.USERS_SOURCE, AnalyticsTopology.EVENTS_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.Long())
                .withCachingEnabled(), PROCESSOR);
        return topology;
    }

    private static final class ParseAndCount implements Processor<String, byte[], Void, Void> {
        private final Topics topics;
        private ProcessorContext<Void, Void> context;
        private KeyValueStore<String, Long> counts;

        ParseAndCount(Topics topics) {
            this.topics = topics;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
            counts = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
            try {
                if (topic.equals(topics.users())) {
                    InputParser.user(record.key(), record.value());
                } else {
                    InputParser.event(record.key(), record.value());
                    Long n = counts.get(EVENTS);
                    counts.put(EVENTS, n == null ? 1 : n + 1);
                }
            } catch (PoisonRecordException unparseable) {
                // a yardstick counts parsed events only
            }
        }
    }
}
