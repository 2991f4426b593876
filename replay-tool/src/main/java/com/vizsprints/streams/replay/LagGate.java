package com.vizsprints.streams.replay;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Applies {@link Backpressure} before each record a replay publishes. The lag is measured only
 * when the records published since the last measurement may have used up the room it left, so a
 * replay the application keeps up with asks the broker rarely; while the room is used up it asks
 * every {@link #POLL} until the application has caught up enough.
 */
final class LagGate {
    static final Duration POLL = Duration.ofMillis(5);
    /** A replay held back this long says so, once per hold. */
    static final Duration NOTICE_AFTER = Duration.ofSeconds(10);

    private final Backpressure backpressure;
    private final LongSupplier lag;
    private final LongSupplier unacknowledged;
    private final Consumer<String> info;
    /** Records that may be published before the lag must be measured again. */
    private long room;

    /**
     * @param lag            records the application has yet to process ({@link ConsumerGroupLag})
     * @param unacknowledged records published and not acknowledged yet (not in the lag)
     * @param info           hears that the replay is held back, once per hold of {@link #NOTICE_AFTER}
     */
    LagGate(Backpressure backpressure, LongSupplier lag, LongSupplier unacknowledged, Consumer<String> info) {
        this.backpressure = backpressure;
        this.lag = lag;
        this.unacknowledged = unacknowledged;
        this.info = info;
    }

    /** A gate that never holds a replay back. */
    static LagGate none() {
        return new LagGate(Backpressure.NONE, () -> 0, () -> 0, message -> { });
    }

    /** Returns when one more record may be published. */
    void acquire() {
        if (!backpressure.enabled()) {
            return;
        }
        if (room > 0) {
            room--;
            return;
        }
        long since = System.nanoTime();
        boolean told = false;
        while (true) {
            long behind = lag.getAsLong() + unacknowledged.getAsLong();
            if (behind < backpressure.maxLag()) {
                room = backpressure.maxLag() - behind - 1;
                return;
            }
            if (!told && System.nanoTime() - since > NOTICE_AFTER.toNanos()) {
                info.accept("replay held back: application '" + backpressure.applicationId() + "' has " + behind
                        + " records left to process (--max-lag " + backpressure.maxLag() + ")");
                told = true;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ReplayException("replay interrupted");
            }
        }
    }
}
