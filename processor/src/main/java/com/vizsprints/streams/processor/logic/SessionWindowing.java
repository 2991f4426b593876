package com.vizsprints.streams.processor.logic;

/**
 * Splits a user's sorted event times into sessions: a new session starts where the gap to the
 * previous event is strictly greater than 30 minutes. A session lasts from its first to its last
 * event; a one-event session counts as one minute.
 */
public final class SessionWindowing {
    public static final long INACTIVITY_GAP_NANOS = 30 * 60 * 1_000_000_000L;
    static final double ONE_EVENT_SESSION_HOURS = 1.0 / 60;

    private SessionWindowing() {
    }

    /** @param sortedNanos event times, ascending, at least one */
    public static SessionSummary summarise(String userId, long[] sortedNanos) {
        if (sortedNanos.length == 0) {
            throw new IllegalArgumentException("a user without events has no sessions");
        }
        int sessions = 0;
        KahanSum hours = new KahanSum();
        int start = 0;
        for (int i = 1; i <= sortedNanos.length; i++) {
            boolean sessionEnds = i == sortedNanos.length
                    || sortedNanos[i] - sortedNanos[i - 1] > INACTIVITY_GAP_NANOS;
            if (sessionEnds) {
                sessions++;
                int events = i - start;
                double duration = events == 1
                        ? ONE_EVENT_SESSION_HOURS
                        : ((sortedNanos[i - 1] - sortedNanos[start]) / 1e9) / 3600;
                hours.add(duration);
                start = i;
            }
        }
        return new SessionSummary(userId, sessions, hours.value(), sortedNanos[0], sortedNanos[sortedNanos.length - 1]);
    }

    /** Compensated summation exactly as pandas' groupby sum does it. */
    static final class KahanSum {
        private double sum;
        private double compensation;

        void add(double value) {
            double y = value - compensation;
            double t = sum + y;
            compensation = t - sum - y;
            sum = t;
        }

        double value() {
            return sum;
        }
    }
}
