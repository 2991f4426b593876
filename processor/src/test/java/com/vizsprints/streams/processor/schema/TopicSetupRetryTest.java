package com.vizsprints.streams.processor.schema;

import org.apache.kafka.common.errors.LeaderNotAvailableException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The retry rule of every topic setup step. */
class TopicSetupRetryTest {
    private static long in(long seconds) {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    }

    @Test
    void retriesWhatKafkaCallsRetriableUntilItWorks() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String result = TopicSetup.retry("describe topic t", in(30), () -> {
            int n = calls.incrementAndGet();
            if (n == 1) {
                throw new ExecutionException(new UnknownTopicOrPartitionException("This server does not host this topic-partition."));
            }
            if (n == 2) {
                throw new ExecutionException(new LeaderNotAvailableException("no leader"));
            }
            return "ok";
        });
        assertEquals("ok", result);
        assertEquals(3, calls.get());
    }

    @Test
    void doesNotRetryOtherFailuresAndNamesTheStep() {
        AtomicInteger calls = new AtomicInteger();
        SaslAuthenticationException cause = new SaslAuthenticationException("Authentication failed: Invalid username or password");
        TopicSetup.TopicSetupException e = assertThrows(TopicSetup.TopicSetupException.class,
                () -> TopicSetup.retry("create topic vizsprints.events", in(30), () -> {
                    calls.incrementAndGet();
                    throw new ExecutionException(cause);
                }));
        assertEquals(1, calls.get());
        assertSame(cause, e.getCause());
        assertEquals("create topic vizsprints.events", e.step());
        assertTrue(e.getMessage().startsWith("topic setup failed at step 'create topic vizsprints.events': SaslAuthenticationException"),
                e.getMessage());
    }

    @Test
    void givesUpOnRetriableFailuresAtTheDeadline() {
        AtomicInteger calls = new AtomicInteger();
        TopicSetup.TopicSetupException e = assertThrows(TopicSetup.TopicSetupException.class,
                () -> TopicSetup.retry("describe topic t", System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(700), () -> {
                    calls.incrementAndGet();
                    throw new ExecutionException(new UnknownTopicOrPartitionException("unknown"));
                }));
        assertTrue(calls.get() >= 2, "retried: " + calls.get());
        assertTrue(e.getMessage().contains("describe topic t") && e.getMessage().contains("retried for"), e.getMessage());
    }
}
