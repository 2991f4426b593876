package com.vizsprints.streams.processor;

import com.vizsprints.streams.processor.config.ProcessorConfig;
import com.vizsprints.streams.processor.topology.AnalyticsTopology;
import org.apache.kafka.streams.KafkaStreams;

/** Builds the streams application from its settings: config -> topology -> KafkaStreams. */
public final class ProcessorApp {
    private ProcessorApp() {
    }

    /** A not yet started KafkaStreams running the analytics topology. */
    public static KafkaStreams create(ProcessorConfig config) {
        return new KafkaStreams(AnalyticsTopology.build(config.topics()), config.streamsProperties());
    }
}
