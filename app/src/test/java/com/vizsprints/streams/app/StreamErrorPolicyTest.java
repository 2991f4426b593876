package com.vizsprints.streams.app;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.errors.TaskMigratedException;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static com.vizsprints.streams.app.StreamErrorPolicy.Category.FATAL;
import static com.vizsprints.streams.app.StreamErrorPolicy.Category.TRANSIENT;
import static com.vizsprints.streams.app.StreamErrorPolicy.classify;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;

class StreamErrorPolicyTest {

    /** What the freeze of issue 9 produced: the commit failed after changelog batches expired. */
    private static KafkaException abortedCommit() {
        return new StreamsException("Error encountered trying to commit a transaction",
                new KafkaException("Cannot execute transactional method because we are in an error state",
                        new TransactionAbortableException("Transaction Request was aborted after exceeding the delivery timeout")));
    }

    @Test
    void retriableClientErrorsAreTransient() {
        assertEquals(TRANSIENT, classify(new TimeoutException("Expiring 12 record(s): 6007 ms has passed since batch creation")));
        assertEquals(TRANSIENT, classify(new NotEnoughReplicasException("2 of 3 in sync")));
        assertEquals(TRANSIENT, classify(new DisconnectException("broker went away")));
    }

    /** What a third freeze produced: a send after a commit that timed out while the broker was frozen. */
    @Test
    void aSendAfterACommitThatTimedOutIsTransient() {
        assertEquals(TRANSIENT, classify(new StreamsException("Exception caught in process. taskId=0_3, processor=analytics",
                new IllegalStateException("Cannot attempt operation `send` because the previous call to `commitTransaction` "
                        + "timed out and must be retried"))));
        assertEquals(FATAL, classify(new IllegalStateException("Cannot attempt operation `send` for another reason")));
    }

    @Test
    void anAbortableTransactionIsTransient() {
        assertEquals(TRANSIENT, classify(new TransactionAbortableException("abort and go on")));
    }

    /** What a second freeze produced: the producer gave up on an expired batch and said so in a plain KafkaException. */
    @Test
    void theProducersAbortableUnacknowledgedBatchIsTransient() {
        assertEquals(TRANSIENT, classify(new StreamsException("Error encountered trying to add offsets to a transaction",
                new KafkaException("Cannot execute transactional method because we are in an error state",
                        new KafkaException("The client hasn't received acknowledgment for some previously sent messages and can no "
                                + "longer retry them. It is safe to abort the transaction and continue.")))));
        assertEquals(FATAL, classify(new KafkaException("The client hasn't received acknowledgment for some previously sent "
                + "messages and can no longer retry them. It isn't safe to continue.")), "the idempotent, non-transactional variant");
        assertEquals(TRANSIENT, classify(new InvalidTxnStateException("the transaction was aborted by the coordinator")));
    }

    @Test
    void aRetriableBrokerErrorReportedOnlyAsTextIsTransient() {
        // seen after a 12 s broker freeze: the consumer reports the coordinator's state as a plain KafkaException
        assertEquals(TRANSIENT, classify(new StreamsException(new KafkaException(
                "Unexpected error from SyncGroup: The coordinator is loading and hence can't process requests."))));
        assertEquals(FATAL, classify(new KafkaException("Unexpected error from SyncGroup: Not authorized to access group: g")),
                "a non-retriable broker error stays fatal");
    }

    @Test
    void corruptedAndMigratedTasksAreTransient() {
        assertEquals(TRANSIENT, classify(new TaskCorruptedException(Set.of(new TaskId(0, 1)))));
        assertEquals(TRANSIENT, classify(new TaskMigratedException("moved")));
        assertEquals(TRANSIENT, classify(new CommitFailedException("kicked out of the group")));
    }

    @Test
    void producerStateErrorsThatANewProducerHealsAreTransient() {
        assertEquals(TRANSIENT, classify(new ProducerFencedException("fenced")));
        assertEquals(TRANSIENT, classify(new InvalidProducerEpochException("old epoch")));
        assertEquals(TRANSIENT, classify(new OutOfOrderSequenceException("Expected sequence 0")));
    }

    @Test
    void wrappedTransientErrorsAreFoundInTheCauseChain() {
        assertEquals(TRANSIENT, classify(abortedCommit()));
        assertEquals(TRANSIENT, classify(new KafkaException(new TimeoutException("commit timed out"))));
        assertEquals(TRANSIENT, classify(new StreamsException(new StreamsException(new StreamsException(
                new TaskCorruptedException(Set.of(new TaskId(0, 0))))))));
    }

    @Test
    void jvmErrorsAreFatal() {
        assertEquals(FATAL, classify(new OutOfMemoryError("Java heap space")));
        assertEquals(FATAL, classify(new StreamsException(new StackOverflowError())));
    }

    @Test
    void configurationAndAuthorizationErrorsAreFatal() {
        assertEquals(FATAL, classify(new StreamsException(new TopicAuthorizationException("not allowed"))));
        assertEquals(FATAL, classify(new AuthenticationException("bad credentials")));
        assertEquals(FATAL, classify(new UnsupportedVersionException("broker too old")));
    }

    @Test
    void errorsOfUnknownKindAreFatalBecauseReplacingTheThreadWouldFailAgainOnTheSameRecord() {
        assertEquals(FATAL, classify(new IllegalStateException("a bug in processing")));
        assertEquals(FATAL, classify(new StreamsException("Error encountered sending record",
                new RecordTooLargeException("larger than max.request.size"))));
        assertEquals(FATAL, classify(new ProcessorStateException("RocksDB: no space left on device")));
        assertEquals(FATAL, classify(new KafkaException("Unexpected error")));
    }

    @Test
    void aFatalErrorAnywhereInTheChainWinsOverATransientOne() {
        assertEquals(FATAL, classify(new StreamsException(new TimeoutException("timed out",
                new TopicAuthorizationException("not allowed")))));
        assertEquals(FATAL, classify(new TaskMigratedException("moved", new TimeoutException("timed out",
                new KafkaException("wrapped", new OutOfMemoryError())))));
    }

    @Test
    void aCyclicCauseChainEnds() {
        KafkaException a = new KafkaException("a");
        KafkaException b = new KafkaException("b");
        a.initCause(b);
        b.initCause(a);
        assertEquals(FATAL, classify(a));
        KafkaException c = new KafkaException("c");
        TimeoutException t = new TimeoutException("t");
        c.initCause(t);
        t.initCause(c);
        assertEquals(TRANSIENT, classify(c));
    }

    @Test
    void theHandlerReplacesTheThreadOnTransientErrorsAndStopsTheClientOtherwise() {
        StreamErrorPolicy policy = new StreamErrorPolicy();
        assertEquals(REPLACE_THREAD, policy.handle(abortedCommit()));
        assertEquals(REPLACE_THREAD, policy.handle(new TaskCorruptedException(Set.of(new TaskId(0, 2)))));
        assertEquals(2, policy.replacements());
        assertEquals(SHUTDOWN_CLIENT, policy.handle(new IllegalStateException("bug")));
        assertEquals(SHUTDOWN_CLIENT, policy.handle(new OutOfMemoryError()));
        assertEquals(2, policy.replacements(), "only replaced threads are counted");
    }
}
