package com.vizsprints.streams.processor.config;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessorConfigTest {
    private static Map<String, Object> mainConsumer(ProcessorConfig config) {
        return new StreamsConfig(config.streamsProperties()).getMainConsumerConfigs("group", "client", 0);
    }

    @Test
    void aStreamThreadThatStopsPollingLeavesTheGroupAfterTwoMinutesMoreThanAProducerMayBlock() {
        Map<String, Object> consumer = mainConsumer(ProcessorConfig.defaults("k:9092", Path.of("state"), null));
        assertEquals(120_000, Integer.parseInt(consumer.get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG).toString()));
        long producerMaxBlockMs = (Long) ProducerConfig.configDef().defaultValues().get(ProducerConfig.MAX_BLOCK_MS_CONFIG);
        assertTrue(120_000 > producerMaxBlockMs, "Kafka Streams asks for max.poll.interval.ms > max.block.ms (" + producerMaxBlockMs + ")");
    }

    @Test
    void anOperatorOverridesItAsAnyClientProperty() {
        String key = ProcessorConfig.OVERRIDE_PREFIX + "consumer." + ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG;
        System.setProperty(key, "600000");
        try {
            Map<String, Object> consumer = mainConsumer(ProcessorConfig.defaults("k:9092", Path.of("state"), null));
            assertEquals(600_000, Integer.parseInt(consumer.get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG).toString()));
        } finally {
            System.clearProperty(key);
        }
    }
}
