package com.vizsprints.streams.app;

import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Aborts a transaction left open on one of the application's changelog partitions far longer
 * than its producers' {@code transaction.timeout.ms}.
 *
 * <p>Under exactly-once a restoring task reads its changelog up to the end and waits for every
 * transaction below the end to finish. One that never finishes (a "hanging" transaction: records
 * of a producer on the partition that the transaction coordinator does not hold open, so it
 * never aborts them on timeout) keeps the task restoring, and the application REBALANCING, for
 * good. Kafka's remedy is an operator running {@code kafka-transactions.sh abort}; this does the
 * same through the Admin API once a transaction has been seen open, unchanged, for
 * {@code staleAfter}. Only the application's own stream threads write its changelogs, each
 * transaction of theirs ends within {@code transaction.timeout.ms} (the coordinator aborts it
 * then), so a transaction open for several times that long is a dead one. Where the Admin API
 * may not abort (an ACL), it logs the command that would.
 */
public final class HangingTransactionGuard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HangingTransactionGuard.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(20);
    /** How the log line of an abort begins. */
    public static final String ABORTED = "aborted a hanging transaction, open";
    /** How often the application looks. */
    static final Duration PERIOD = Duration.ofSeconds(20);
    /** The least time a transaction must have been seen open before it is aborted. */
    static final Duration LEAST_STALE_AFTER = Duration.ofMinutes(2);

    /** An open transaction on a partition, as the partition's leader describes it. */
    public record OpenTransaction(TopicPartition partition, long producerId, int producerEpoch, long startOffset, int coordinatorEpoch) {
    }

    private final Admin admin;
    private final String applicationId;
    private final long staleAfterNanos;
    private final LongSupplier nanoTime;
    private final Map<OpenTransaction, Long> firstSeen = new HashMap<>();
    private ScheduledExecutorService timer;

    HangingTransactionGuard(Admin admin, String applicationId, Duration staleAfter, LongSupplier nanoTime) {
        this.admin = admin;
        this.applicationId = applicationId;
        this.staleAfterNanos = staleAfter.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * How long a transaction must stay open before it counts as hanging: {@link #LEAST_STALE_AFTER},
     * or three times the stream threads' {@code transaction.timeout.ms} where that is longer.
     */
    static Duration staleAfter(Properties streamsProperties) {
        Object timeout = new StreamsConfig(streamsProperties).getProducerConfigs("guard").get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
        Duration threeTimeouts = Duration.ofMillis(3 * Long.parseLong(String.valueOf(timeout)));
        return threeTimeouts.compareTo(LEAST_STALE_AFTER) > 0 ? threeTimeouts : LEAST_STALE_AFTER;
    }

    /** Checks every {@code period}, on a thread of its own, until closed. */
    HangingTransactionGuard every(Duration period) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hanging-transaction-guard");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                check();
            } catch (Exception e) {
                LOG.debug("could not look for hanging transactions: {}", e.toString());
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Looks at the changelog partitions once: remembers when each open transaction was first
     * seen, and aborts those seen open for {@code staleAfter} or more.
     *
     * @return the transactions aborted
     */
    List<OpenTransaction> check() throws Exception {
        List<OpenTransaction> open = openTransactions();
        long now = nanoTime.getAsLong();
        firstSeen.keySet().retainAll(new HashSet<>(open));
        List<OpenTransaction> aborted = new ArrayList<>();
        for (OpenTransaction t : open) {
            long since = firstSeen.computeIfAbsent(t, k -> now);
            if (now - since >= staleAfterNanos) {
                if (abort(t, Duration.ofNanos(now - since))) {
                    aborted.add(t);
                }
                // seen afresh from the next look: a refused abort is tried (and logged) once per staleAfter
                firstSeen.remove(t);
            }
        }
        return aborted;
    }

    /** Aborts {@code t}; false, with the command that would, when the broker refuses. */
    private boolean abort(OpenTransaction t, Duration openFor) {
        try {
            admin.abortTransaction(new AbortTransactionSpec(t.partition(), t.producerId(), (short) t.producerEpoch(), t.coordinatorEpoch()))
                    .all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.warn(ABORTED + " for at least {} s on {} from offset {} (producer id {}, epoch {}): "
                            + "a restoring task would have waited for it for good", openFor.toSeconds(), t.partition(), t.startOffset(),
                    t.producerId(), t.producerEpoch());
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.error("a transaction has been open for at least {} s on {} from offset {} (producer id {}, epoch {}) and could not be "
                            + "aborted ({}); tasks restoring that partition wait for it. Abort it with: kafka-transactions.sh "
                            + "--bootstrap-server ... abort --topic {} --partition {} --producer-id {} --producer-epoch {} --coordinator-epoch {}",
                    openFor.toSeconds(), t.partition(), t.startOffset(), t.producerId(), t.producerEpoch(), e.toString(),
                    t.partition().topic(), t.partition().partition(), t.producerId(), t.producerEpoch(), t.coordinatorEpoch());
            return false;
        }
    }

    /** The transactions open on the application's changelog partitions. */
    private List<OpenTransaction> openTransactions() throws Exception {
        Set<String> changelogs = new HashSet<>();
        for (String topic : admin.listTopics().names().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            if (topic.startsWith(applicationId + "-") && topic.endsWith("-changelog")) {
                changelogs.add(topic);
            }
        }
        return openTransactions(admin, changelogs);
    }

    /**
     * The transactions open on the partitions of {@code topics}: on each partition whose last
     * stable offset lags its end, the producers its leader describes with a transaction started.
     */
    public static List<OpenTransaction> openTransactions(Admin admin, Set<String> topics) throws Exception {
        if (topics.isEmpty()) {
            return List.of();
        }
        long timeout = ADMIN_TIMEOUT.toMillis();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get(timeout, TimeUnit.MILLISECONDS).forEach((topic, description) ->
                description.partitions().forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
        var ends = admin.listOffsets(request).all().get(timeout, TimeUnit.MILLISECONDS);
        var stable = admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(timeout, TimeUnit.MILLISECONDS);
        List<TopicPartition> lagging = request.keySet().stream()
                .filter(tp -> stable.get(tp).offset() < ends.get(tp).offset()).toList();
        if (lagging.isEmpty()) {
            return List.of();
        }
        var producers = admin.describeProducers(lagging);
        List<OpenTransaction> open = new ArrayList<>();
        for (TopicPartition tp : lagging) {
            for (ProducerState p : producers.partitionResult(tp).get(timeout, TimeUnit.MILLISECONDS).activeProducers()) {
                if (p.currentTransactionStartOffset().isPresent()) {
                    open.add(new OpenTransaction(tp, p.producerId(), p.producerEpoch(), p.currentTransactionStartOffset().getAsLong(),
                            p.coordinatorEpoch().orElse(-1)));
                }
            }
        }
        return open;
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
