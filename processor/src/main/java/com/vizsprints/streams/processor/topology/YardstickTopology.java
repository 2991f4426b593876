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
 *
 * <p>{@link Variant#KEEPING_EVENTS} also puts every parsed event (its raw value, keyed by event
 * id) in a changelogged store without a cache: the least any design pays that keeps each event
 * it counted, so that a restore from the changelog or an aborted transaction's replay gives the
 * same answers. The analytics topology does that and derives its aggregates and indexes on top.
 */
public final class YardstickTopology {
    public static final String STORE = "yardstick-counts";
    /** The store of {@link Variant#KEEPING_EVENTS}: every event, by id. */
    public static final String EVENTS_STORE = "yardstick-events";
    /** The one counter: events parsed. */
    public static final String EVENTS = "events";
    private static final String PROCESSOR = "parse-and-count";

    private YardstickTopology() {
    }

    /** What the yardstick does with a parsed event besides counting it. */
    public enum Variant {
        /** Nothing: parsing and Kafka Streams' own costs only. */
        COUNTING,
        /** Puts the event in an uncached, changelogged store too. */
        KEEPING_EVENTS
    }

    public static Topology build(Topics topics, Variant variant) {
        Topology topology = new Topology();
        topology.addSource(AnalyticsTopology.USERS_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), topics.users());
        topology.addSource(AnalyticsTopology.EVENTS_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), topics.events());
        topology.addProcessor(PROCESSOR, () -> new ParseAndCount(topics, variant), AnalyticsTopology.USERS_SOURCE, AnalyticsTopology.EVENTS_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.Long())
                .withCachingEnabled(), PROCESSOR);
        if (variant == Variant.KEEPING_EVENTS) {
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EVENTS_STORE), Serdes.String(), Serdes.ByteArray())
                    .withCachingDisabled(), PROCESSOR);
        }
        return topology;
    }

    private static final class ParseAndCount implements Processor<String, byte[], Void, Void> {
        private final Topics topics;
        private final Variant variant;
        private ProcessorContext<Void, Void> context;
        private KeyValueStore<String, Long> counts;
        private KeyValueStore<String, byte[]> events;

        ParseAndCount(Topics topics, Variant variant) {
            this.topics = topics;
            this.variant = variant;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
            counts = context.getStateStore(STORE);
            events = variant == Variant.KEEPING_EVENTS ? context.getStateStore(EVENTS_STORE) : null;
        }

        @Override
        public void process(Record<String, byte[]> record) {
            String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
            try {
                if (topic.equals(topics.users())) {
                    InputParser.user(record.key(), record.value());
                } else {
                    InputParser.ParsedEvent event = InputParser.event(record.key(), record.value());
                    if (events != null) {
                        events.put(event.record().eventId(), record.value());
                    }
                    Long n = counts.get(EVENTS);
                    counts.put(EVENTS, n == null ? 1 : n + 1);
                }
            } catch (PoisonRecordException unparseable) {
                // a yardstick counts parsed events only
            }
        }
    }
}
