package com.vizsprints.streams.replay;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Holds a replay back while the application it feeds is far behind: the replay publishes only
 * while the application's consumer group has less than a limit of the two input topics left to
 * process (records published and not acknowledged yet count too). A replay at full speed then
 * runs at the speed of processing, and an event published meanwhile by anyone else waits behind
 * the limit instead of behind the whole rest of the replay.
 *
 * <p>The limit is a number of records, or a time: the records the application processes in that
 * time at the rate it has been committing them, on top of what it committed in one round of
 * commits (at least {@link #MIN_RECORDS}, so that an application that is starting, and so has no
 * rate yet, gets records to start on). An application shows what it processed only when it
 * commits, so it needs a round of commits' worth of records on top: otherwise an application whose
 * commits are further apart than the time would be held to fewer records than it can process.
 *
 * @param applicationId the application's {@code application.id}, which is its consumer group
 * @param maxRecords    records the application may be behind (0: not limited by a count)
 * @param maxDelay      time the application may be behind (zero: not limited by a time)
 */
public record Backpressure(String applicationId, long maxRecords, Duration maxDelay) {
    /** No backpressure: publish as fast as the broker takes records. */
    public static final Backpressure NONE = new Backpressure("", 0, Duration.ZERO);
    /** The least a time limit allows, whatever the rate. */
    public static final long MIN_RECORDS = 500;
    private static final Pattern LIMIT = Pattern.compile("(\\d{1,15})(ms|s)?");

    public Backpressure {
        if (maxRecords < 0 || maxDelay == null || maxDelay.isNegative()) {
            throw new IllegalArgumentException("a lag limit cannot be negative");
        }
        if (maxRecords > 0 && !maxDelay.isZero()) {
            throw new IllegalArgumentException("a lag limit is a number of records or a time, not both");
        }
        if (limits(maxRecords, maxDelay) && (applicationId == null || applicationId.isBlank())) {
            throw new IllegalArgumentException("backpressure needs the application id whose lag it watches");
        }
    }

    /**
     * A limit as an operator writes it: {@code 5000} (records), {@code 250ms} or {@code 2s} (time).
     *
     * @throws IllegalArgumentException naming the text when it is none of these, or zero
     */
    public static Backpressure parse(String applicationId, String limit) {
        Matcher m = LIMIT.matcher(limit == null ? "" : limit.trim());
        long n = m.matches() ? Long.parseLong(m.group(1)) : 0;
        if (n == 0) {
            throw new IllegalArgumentException("a lag limit is a positive number of records (5000) or a time (250ms, 2s), got '"
                    + limit + "'");
        }
        if (m.group(2) == null) {
            return new Backpressure(applicationId, n, Duration.ZERO);
        }
        return new Backpressure(applicationId, 0, m.group(2).equals("ms") ? Duration.ofMillis(n) : Duration.ofSeconds(n));
    }

    public boolean enabled() {
        return limits(maxRecords, maxDelay);
    }

    /** Whether a count or a time limits the lag (the constructor checks this before its fields are set). */
    private static boolean limits(long maxRecords, Duration maxDelay) {
        return maxRecords > 0 || !maxDelay.isZero();
    }

    /**
     * The records the application may be behind when it has lately processed {@code perSecond}
     * records a second and committed up to {@code perCommit} records at once.
     */
    long allowedLag(double perSecond, long perCommit) {
        if (maxRecords > 0) {
            return maxRecords;
        }
        return Math.max(MIN_RECORDS, (long) (perSecond * maxDelay.toNanos() / 1e9) + perCommit);
    }

    /** The limit as {@link #parse} reads it. */
    @Override
    public String toString() {
        return maxRecords > 0 ? Long.toString(maxRecords) : maxDelay.toMillis() + "ms";
    }
}
