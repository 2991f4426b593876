package com.vizsprints.streams.it;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What a broker says about transactions still open: every partition whose last stable offset
 * (what a read_committed consumer, such as a restoring Kafka Streams task, can read up to) lies
 * below its end, with the producers holding a transaction open on it, and the transactions the
 * coordinators know. A diagnosis for a test that failed, not an assertion.
 */
final class OpenTransactions {
    private OpenTransactions() {
    }

    static String describe(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> topics = admin.listTopics().names().get(20, TimeUnit.SECONDS);
            List<TopicPartition> partitions = new ArrayList<>();
            admin.describeTopics(topics).allTopicNames().get(20, TimeUnit.SECONDS).forEach((topic, d) ->
                    d.partitions().forEach(p -> partitions.add(new TopicPartition(topic, p.partition()))));
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(20, TimeUnit.SECONDS);
            var stable = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(20, TimeUnit.SECONDS);
            Map<String, String> lines = new TreeMap<>();
            for (TopicPartition tp : partitions) {
                long end = ends.get(tp).offset();
                long lso = stable.get(tp).offset();
                if (lso < end) {
                    List<ProducerState> open = admin.describeProducers(List.of(tp)).partitionResult(tp).get(20, TimeUnit.SECONDS)
                            .activeProducers().stream().filter(p -> p.currentTransactionStartOffset().isPresent()).toList();
                    lines.put(tp.toString(), "last stable offset " + lso + " < end " + end + "; producers with an open transaction: " + open);
                }
            }
            StringBuilder out = new StringBuilder("partitions with a transaction still open (at " + java.time.Instant.now() + "):\n");
            lines.forEach((tp, line) -> out.append("  ").append(tp).append(": ").append(line).append('\n'));
            if (lines.isEmpty()) {
                out.append("  none\n");
            }
            out.append("transactions the coordinators know: ");
            out.append(admin.listTransactions().all().get(20, TimeUnit.SECONDS));
            return out.toString();
        } catch (Exception e) {
            return "could not ask the broker about open transactions: " + e;
        }
    }
}
