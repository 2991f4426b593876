package com.vizsprints.streams.app;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.errors.ApplicationRecoverableException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.streams.errors.LockException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.errors.TaskMigratedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a stream thread's uncaught exception means: a transient Kafka error (the broker or the
 * network was away for longer than a client timeout, a transaction had to be aborted, a task's
 * state was found corrupted, the task moved) heals by itself, so the thread is replaced and its
 * tasks restart from the last committed transaction; anything else (a JVM error, a
 * configuration or authorization error, a bug in processing that would fail again on the same
 * record) cannot heal, so this instance stops processing ({@code SHUTDOWN_CLIENT}) and the
 * launcher exits non-zero for a supervisor to act on.
 *
 * <p>The whole cause chain is inspected, because Kafka Streams usually wraps the client's error
 * in a {@code StreamsException} or {@code KafkaException}. A fatal error anywhere in the chain
 * wins over a transient one; an error that is neither is fatal.
 */
public final class StreamErrorPolicy implements StreamsUncaughtExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(StreamErrorPolicy.class);
    /** Marker of the log line written for each replaced thread (tests look for it). */
    public static final String REPLACING = "transient stream processing error; replacing the stream thread";
    /** Marker of the log line written when this instance stops processing. */
    public static final String STOPPING = "stream processing error that cannot heal; this instance stops processing";

    public enum Category {
        /** Heals by itself: replace the thread, tasks resume from the last commit. */
        TRANSIENT,
        /** Cannot heal: stop this instance's processing. */
        FATAL
    }

    private static final int MAX_CHAIN = 32;
    /**
     * How the transactional producer says that a batch expired without an answer (a plain
     * {@code KafkaException} with no cause, from {@code TransactionManager.maybeResolveSequences}):
     * the transaction is aborted and a new one starts. Seen when the broker froze for longer than
     * {@code delivery.timeout.ms}.
     */
    static final String PRODUCER_SAFE_TO_ABORT = "It is safe to abort the transaction and continue";

    /**
     * The producer's state after a {@code commitTransaction} that timed out (the broker froze while
     * the commit was on its way): every later call but a retried commit fails with an
     * {@code IllegalStateException} saying so. A new thread, with a new producer for the same
     * transactional id, waits for the coordinator to finish that transaction and goes on from the
     * last commit. Seen in {@code BrokerFreezeIntegrationTest}.
     */
    static final String PRODUCER_COMMIT_TIMED_OUT = "the previous call to `commitTransaction` timed out and must be retried";

    /**
     * The texts of the broker errors Kafka calls retriable. Some client paths report such an error
     * only as a plain {@code KafkaException} with its text (the consumer's SyncGroup handling:
     * "Unexpected error from SyncGroup: The coordinator is loading and hence can't process requests.").
     */
    private static final List<String> RETRIABLE_BROKER_ERRORS = java.util.Arrays.stream(org.apache.kafka.common.protocol.Errors.values())
            .filter(e -> e.exception() instanceof RetriableException && e.message() != null && !e.message().isBlank())
            .map(org.apache.kafka.common.protocol.Errors::message)
            .toList();

    private final AtomicLong replacements = new AtomicLong();

    /** The category of {@code error}, from every throwable in its cause chain. */
    public static Category classify(Throwable error) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        boolean transientSeen = false;
        for (Throwable t = error; t != null && seen.size() < MAX_CHAIN && seen.add(t); t = t.getCause()) {
            if (isFatal(t)) {
                return Category.FATAL;
            }
            transientSeen |= isTransient(t);
        }
        return transientSeen ? Category.TRANSIENT : Category.FATAL;
    }

    private static boolean isFatal(Throwable t) {
        return t instanceof Error                            // OutOfMemoryError, StackOverflowError, linkage errors
                || t instanceof InvalidConfigurationException  // authorization, authentication, unsupported version, invalid topic
                || t instanceof FencedInstanceIdException;     // another live instance holds our static member id
    }

    private static boolean isTransient(Throwable t) {
        return t instanceof RetriableException               // TimeoutException, NotEnoughReplicas, coordinator moved, ...
                || t instanceof TransactionAbortableException  // abort the transaction and go on
                || t instanceof ApplicationRecoverableException // producer fenced / epoch / pid mapping: a new producer heals it
                || t instanceof OutOfOrderSequenceException    // idempotent-producer sequence lost: a new producer heals it
                || t instanceof TaskCorruptedException         // the task restores from its changelog
                || t instanceof TaskMigratedException          // the task moved to another thread or instance
                || t instanceof CommitFailedException          // dropped out of the group (e.g. after a long pause)
                || t instanceof RebalanceInProgressException
                || t instanceof InvalidTxnStateException       // the broker aborted the transaction meanwhile (timeout)
                || t instanceof LockException                  // a state directory still held by a closing thread
                || (t.getMessage() != null && (t.getMessage().contains(PRODUCER_SAFE_TO_ABORT)
                        || t.getMessage().contains(PRODUCER_COMMIT_TIMED_OUT)
                        || RETRIABLE_BROKER_ERRORS.stream().anyMatch(t.getMessage()::contains)));
    }

    /** How many stream threads this policy has had replaced. */
    public long replacements() {
        return replacements.get();
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable error) {
        if (classify(error) == Category.TRANSIENT) {
            long n = replacements.incrementAndGet();
            // Kafka Streams logs the stack trace itself ("Replacing thread in the streams uncaught exception handler").
            LOG.warn(REPLACING + " (replacement {}): {}", n, describe(error));
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        LOG.error(STOPPING + ": {}", describe(error));
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    private static String describe(Throwable error) {
        StringBuilder sb = new StringBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = error; t != null && seen.size() < MAX_CHAIN && seen.add(t); t = t.getCause()) {
            if (sb.length() > 0) {
                sb.append(" <- ");
            }
            sb.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                sb.append(" (").append(t.getMessage()).append(')');
            }
        }
        return sb.toString();
    }
}
