package com.vizsprints.streams.app.bench;

import com.vizsprints.streams.processor.config.ProcessorConfig;
import com.vizsprints.streams.processor.schema.Topics;
import com.vizsprints.streams.processor.topology.YardstickTopology;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Child-JVM entry point of the benchmark's Kafka Streams yardstick ({@link YardstickTopology})
 * with the application's settings; prints {@code YARDSTICK <events/s>} measured as the
 * application's processing rate is: from RUNNING until every event is counted.
 * Arguments: bootstrap users-topic events-topic dead-letter-topic application-id state-dir expected-events
 * variant ({@link YardstickTopology.Variant}).
 */
public final class StreamsYardstick {
    public static final String RESULT_MARKER = "YARDSTICK ";

    private StreamsYardstick() {
    }

    public static void main(String[] args) throws Exception {
        Topics topics = new Topics(args[1], args[2], args[3]);
        long expected = Long.parseLong(args[6]);
        YardstickTopology.Variant variant = YardstickTopology.Variant.valueOf(args[7]);
        ProcessorConfig config = ProcessorConfig.defaults(args[0], Path.of(args[5]), null).withApplicationId(args[4]).withTopics(topics);
        try (KafkaStreams streams = new KafkaStreams(YardstickTopology.build(topics, variant), config.streamsProperties())) {
            streams.start();
            while (streams.state() != KafkaStreams.State.RUNNING) {
                Thread.sleep(20);
            }
            long start = System.nanoTime();
            while (counted(streams) < expected) {
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.println(RESULT_MARKER + Math.round(expected / seconds));
            streams.close(Duration.ofSeconds(30));
        }
    }

    private static long counted(KafkaStreams streams) {
        try {
            ReadOnlyKeyValueStore<String, Long> store = streams.store(
                    StoreQueryParameters.fromNameAndType(YardstickTopology.STORE, QueryableStoreTypes.keyValueStore()));
            long total = 0;
            try (KeyValueIterator<String, Long> all = store.all()) {
                while (all.hasNext()) {
                    KeyValue<String, Long> kv = all.next();
                    if (kv.key.equals(YardstickTopology.EVENTS)) {
                        total += kv.value;
                    }
                }
            }
            return total;
        } catch (InvalidStateStoreException rebalancing) {
            return 0;
        }
    }
}
