package com.vizsprints.streams.replay;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Applies {@link Backpressure} before each record a replay publishes. The lag is read only when
 * the records published since the last reading may have used up the room it left, so a replay
 * the application keeps up with asks the broker rarely; while the room is used up it asks every
 * {@link #POLL} until the application has caught up enough. The application's rate, for a limit
 * in time, is what it committed over the readings of about the last {@link #RATE_WINDOW}, and
 * the records of one round of commits the most it committed within {@link #COMMIT_SPAN} of them.
 */
final class LagGate {
    static final Duration POLL = Duration.ofMillis(5);
    static final Duration RATE_WINDOW = Duration.ofSeconds(1);
    /** About one round of commits of all the application's stream threads (each commits every 100-300 ms). */
    static final Duration COMMIT_SPAN = Duration.ofMillis(200);
    /** A replay held back this long says so, once per hold. */
    static final Duration NOTICE_AFTER = Duration.ofSeconds(10);

    /** What the application has left to process, and a running total of what it has processed. */
    record Reading(long behind, long processed) {
    }

    /** Reads the application's lag ({@link ConsumerGroupLag}). */
    @FunctionalInterface
    interface LagSource {
        Reading read();
    }

    /** Waits; {@link Thread#sleep} but for tests. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final Backpressure backpressure;
    private final LagSource lag;
    private final LongSupplier unacknowledged;
    private final Consumer<String> info;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    /** Readings (time, processed) of about the last {@link #RATE_WINDOW}, oldest first. */
    private final ArrayDeque<long[]> readings = new ArrayDeque<>();
    private double perSecond;
    /** Records that may be published before the lag must be read again. */
    private long room;

    /**
     * @param lag            what the application has yet to process
     * @param unacknowledged records published and not acknowledged yet (not in the lag)
     * @param info           hears that the replay is held back, once per hold of {@link #NOTICE_AFTER}
     */
    LagGate(Backpressure backpressure, LagSource lag, LongSupplier unacknowledged, Consumer<String> info) {
        this(backpressure, lag, unacknowledged, info, System::nanoTime, d -> Thread.sleep(d.toMillis()));
    }

    LagGate(Backpressure backpressure, LagSource lag, LongSupplier unacknowledged, Consumer<String> info,
            LongSupplier nanoTime, Sleeper sleeper) {
        this.backpressure = backpressure;
        this.lag = lag;
        this.unacknowledged = unacknowledged;
        this.info = info;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    /** A gate that never holds a replay back. */
    static LagGate none() {
        return new LagGate(Backpressure.NONE, () -> new Reading(0, 0), () -> 0, message -> { });
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
        long since = nanoTime.getAsLong();
        boolean told = false;
        while (true) {
            // unacknowledged first: a record acknowledged after the lag was read would otherwise be in neither
            long unacked = unacknowledged.getAsLong();
            Reading r = lag.read();
            long now = nanoTime.getAsLong();
            long behind = r.behind() + unacked;
            remember(now, r.processed());
            long allowed = backpressure.allowedLag(rate(), largestCommit());
            if (behind < allowed) {
                room = allowed - behind - 1;
                return;
            }
            if (!told && now - since > NOTICE_AFTER.toNanos()) {
                info.accept("replay held back: application '" + backpressure.applicationId() + "' has " + behind
                        + " records left to process (--max-lag " + backpressure + ")");
                told = true;
            }
            try {
                sleeper.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ReplayException("replay interrupted");
            }
        }
    }

    /**
     * The most records the application showed processed within any {@link #COMMIT_SPAN} of the
     * readings of about the last {@link #RATE_WINDOW}: it shows what it processed only when it
     * commits, each stream thread on its own, so this is about what one round of commits shows.
     */
    private long largestCommit() {
        long largest = 0;
        Iterator<long[]> from = readings.iterator();
        long[] start = from.next();
        for (long[] reading : readings) {
            while (reading[0] - start[0] > COMMIT_SPAN.toNanos()) {
                start = from.next();
            }
            largest = Math.max(largest, reading[1] - start[1]);
        }
        return largest;
    }

    /** Adds a reading, and forgets those older than {@link #RATE_WINDOW} (keeping at least two). */
    private void remember(long now, long processed) {
        readings.addLast(new long[]{now, processed});
        while (readings.size() > 2 && now - readings.peekFirst()[0] > RATE_WINDOW.toNanos()) {
            readings.removeFirst();
        }
    }

    /**
     * Records per second the application processed over the remembered readings, or as last
     * computed while they span less than a fifth of {@link #RATE_WINDOW}.
     */
    private double rate() {
        long[] oldest = readings.peekFirst();
        long[] newest = readings.peekLast();
        if (newest[0] - oldest[0] >= RATE_WINDOW.toNanos() / 5) {
            perSecond = (newest[1] - oldest[1]) * 1e9 / (newest[0] - oldest[0]);
        }
        return perSecond;
    }
}
