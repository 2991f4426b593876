package com.vizsprints.streams.it;

import com.vizsprints.streams.app.HangingTransactionGuard;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a broker says about transactions still open: on every topic, the partitions whose last
 * stable offset (what a read_committed consumer, such as a restoring Kafka Streams task, can read
 * up to) lies below their end, with the producers holding a transaction open there (found as
 * {@link HangingTransactionGuard} finds them), and the transactions the coordinators know. A
 * diagnosis for a test that failed, not an assertion.
 */
final class OpenTransactions {
    private OpenTransactions() {
    }

    static String describe(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<HangingTransactionGuard.OpenTransaction> open = HangingTransactionGuard.openTransactions(admin,
                    admin.listTopics().names().get(20, TimeUnit.SECONDS));
            StringBuilder out = new StringBuilder("transactions still open on a partition (at " + Instant.now() + "):\n");
            open.forEach(t -> out.append("  ").append(t).append('\n'));
            if (open.isEmpty()) {
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
