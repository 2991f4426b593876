package com.vizsprints.streams.processor.logic;

/**
 * Splits a user's sorted event times into sessions: a new session starts where the gap to the
 * previous event is strictly greater than 30 minutes. A session lasts from its first to its last
 * event; a one-event session counts as one minute.
 */
public final class SessionWindowing {
    public static final long INACTIVITY_GAP_MILLIS = 30 * 60 * 1000L;
    static final double ONE_EVENT_SESSION_HOURS = 1.0 / 60;

    private SessionWindowing() {
    }

    /** @param sortedMillis event times, ascending, at least one */
    public static SessionSummary summarise(String userId, long[] sortedMillis) {
        if (sortedMillis.length == 0) {
            throw new IllegalArgumentException("a user without events has no sessions");
        }
        int sessions = 0;
        KahanSum hours = new KahanSum();
        int start = 0;
        for (int i = 1; i <= sortedMillis.length; i++) {
            boolean sessionEnds = i == sortedMillis.length
                    || sortedMillis[i] - sortedMillis[i - 1] > INACTIVITY_GAP_MILLIS;
            if (sessionEnds) {
                sessions++;
                int events = i - start;
                double duration = events == 1
                        ? ONE_EVENT_SESSION_HOURS
                        : ((sortedMillis[i - 1] - sortedMillis[start]) / 1000.0) / 3600;
                hours.add(duration);
                start = i;
            }
        }
        return new SessionSummary(userId, sessions, hours.value(), sortedMillis[0], sortedMillis[sortedMillis.length - 1]);
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
