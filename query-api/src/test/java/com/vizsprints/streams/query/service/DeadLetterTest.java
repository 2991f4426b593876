package com.vizsprints.streams.query.service;

import com.vizsprints.streams.processor.topology.AnalyticsTopology;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadLetterTest {

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldDeadLetterPoisonRecordsWithTheReasonAndKeepProcessing() {
        try (TopologyHarness h = new TopologyHarness()) {
            h.rawEvent("u1", "this is not json");
            h.rawEvent("u1", "{\"event_id\":\"e1\",\"event_name\":\"login\",\"timestamp\":\"2023-01-01T00:00:00Z\"}");
            h.rawEvent("u1", "{\"event_id\":\"e2\",\"user_id\":\"u1\",\"event_name\":\"login\",\"timestamp\":\"yesterday\"}");
            h.rawUser("u9", "{\"user_id\":\"u9\",\"joined_at\":\"2023-13-45\",\"subscription_status\":\"Free\",\"ab_variant\":\"A\"}");
            h.event("u1", "login", "2023-01-01T00:00:00Z");

            List<TestRecord<byte[], byte[]>> dead = h.deadLetters().readRecordsToList();

            assertEquals(4, dead.size());
            assertTrue(header(dead.get(0), AnalyticsTopology.HEADER_REASON).startsWith("not a JSON object"));
            assertEquals("missing required field 'user_id'", header(dead.get(1), AnalyticsTopology.HEADER_REASON));
            assertTrue(header(dead.get(2), AnalyticsTopology.HEADER_REASON).contains("timestamp"));
            assertEquals(h.topics.events(), header(dead.get(2), AnalyticsTopology.HEADER_TOPIC));
            assertEquals("2", header(dead.get(2), AnalyticsTopology.HEADER_OFFSET));
            assertEquals("0", header(dead.get(2), AnalyticsTopology.HEADER_PARTITION));
            assertEquals(h.topics.users(), header(dead.get(3), AnalyticsTopology.HEADER_TOPIC));
            assertEquals("this is not json", new String(dead.get(0).value(), StandardCharsets.UTF_8), "the original value is kept");
            assertEquals(4L, h.queries.health().get("dead_lettered"));
            assertEquals(1L, h.queries.metrics().get("total_events"), "the good event after them went through");
        }
    }
}
