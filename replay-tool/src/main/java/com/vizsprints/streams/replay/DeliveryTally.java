package com.vizsprints.streams.replay;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Counts the outcomes of the records sent for one file, as the producer reports them: a record
 * counts as published only once the broker has acknowledged it. Safe to update from the
 * producer's I/O thread while the replay thread reads it.
 */
public final class DeliveryTally {
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();

    void recordAcknowledged() {
        acknowledged.incrementAndGet();
    }

    void recordFailed(Exception cause) {
        failed.incrementAndGet();
        firstFailure.compareAndSet(null, describe(cause));
    }

    /** Records acknowledged by the broker. */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** Records whose send failed for good. */
    public long failed() {
        return failed.get();
    }

    /** The first failure's type and message, if any send failed. */
    public Optional<String> firstFailure() {
        return Optional.ofNullable(firstFailure.get());
    }

    static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
