package com.vizsprints.streams.bench;

import com.vizsprints.streams.processor.config.ProcessorConfig;
import com.vizsprints.streams.processor.model.EventRecord;
import com.vizsprints.streams.processor.model.UserRecord;
import com.vizsprints.streams.processor.schema.JsonSerdes;
import com.vizsprints.streams.processor.schema.Topics;
import com.vizsprints.streams.processor.topology.AnalyticsTopology;
import com.vizsprints.streams.processor.topology.LegacyTopology;
import org.apache.kafka.common.serialization.*;
import org.apache.kafka.streams.*;
import java.nio.file.*;
import java.time.Instant;
import java.util.*;


/**
 * Events per second through a TopologyTestDriver (no broker) when N events in time order are spread over U users: shows
 * how the per-event cost grows with a user's history. Run (after {@code mvn -B -DskipTests test-compile package}):
 * {@code java -cp "app/target/test-classes:query-api/target/test-classes:app/target/lib/*:$HOME/.m2/repository/org/apache/kafka/kafka-streams-test-utils/4.3.1/kafka-streams-test-utils-4.3.1.jar" com.vizsprints.streams.bench.HistoryLengthBenchmark legacy|new USERS EVENTS}
 */
public final class HistoryLengthBenchmark {
    public static void main(String[] a) throws Exception {
        String which = a[0];
        int users = Integer.parseInt(a[1]);
        int events = Integer.parseInt(a[2]);
        Topics topics = Topics.defaults();
        Properties props = ProcessorConfig.defaults("unused:9092", Files.createTempDirectory("hu"), null).streamsProperties();
        Topology t = which.equals("legacy") ? LegacyTopology.build(topics) : AnalyticsTopology.build(topics);
        try (TopologyTestDriver d = new TopologyTestDriver(t, props)) {
            var ut = d.createInputTopic(topics.users(), new StringSerializer(), new ByteArraySerializer());
            var et = d.createInputTopic(topics.events(), new StringSerializer(), new ByteArraySerializer());
            for (int u = 0; u < users; u++) {
                ut.pipeInput("u" + u, JsonSerdes.user().serializer().serialize("u", new UserRecord("u" + u, "2023-01-01T00:00:00Z", "Mobile", "US", "Free", "A", u)));
            }
            long base = Instant.parse("2023-01-01T00:00:00Z").getEpochSecond();
            List<byte[]> vals = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                String ts = Instant.ofEpochSecond(base + i * 60L).toString();
                vals.add(JsonSerdes.event().serializer().serialize("e", new EventRecord("e" + i, "u" + (i % users), "view_dashboard", ts, "{}", i)));
            }
            long t0 = System.nanoTime();
            int warm = events / 5;
            for (int i = 0; i < events; i++) {
                if (i == warm) t0 = System.nanoTime();
                et.pipeInput("u" + (i % users), vals.get(i));
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%s: %d users, %d events: %.0f events/s (last 80%%)%n", which, users, events, (events - warm) / s);
        }
    }
}
