package com.vizsprints.streams.processor.logic;

import com.vizsprints.streams.processor.model.Timestamps;

/**
 * What the pipeline keeps about one user, in constant size whatever the user's number of events:
 * the profile (null until the user row arrives, or after a tombstone), the event count, the
 * funnel stages reached, the first and last event times, and the sessions folded so far.
 *
 * <p>Sessions are folded in time order: {@link #addLatest} extends the last session or opens a
 * new one, and the durations of all sessions before the last are kept as the state of the same
 * compensated (Kahan) sum pandas uses, so {@link #sessions()} equals
 * {@link SessionWindowing#summarise} of the full history bit for bit. An event older than the
 * last one cannot be folded: the caller rebuilds the summary with {@link #of} from all the
 * user's event times.
 */
public final class UserSummary {
    private final String userId;
    private Profile profile;
    private int eventCount;
    private int stageMask;
    private long firstNanos;
    private long lastNanos;
    private int sessionCount;
    /** Kahan state over the durations (hours) of every session before the last one. */
    private double closedHours;
    private double closedCompensation;
    private long lastSessionStart;
    /** 1 or 2: whether the last session has one event (it then counts one minute) or more. */
    private int lastSessionEvents;
    /** The distinct months of the user's events, ascending (cohort cells move with the profile). */
    private int[] months = new int[0];

    private UserSummary(String userId) {
        this.userId = userId;
    }

    public static UserSummary empty(String userId) {
        return new UserSummary(userId);
    }

    /** The summary of a user with these events (times ascending) and stages, folded in time order. */
    public static UserSummary of(String userId, Profile profile, long[] sortedNanos, int stageMask) {
        UserSummary s = new UserSummary(userId);
        s.profile = profile;
        for (long t : sortedNanos) {
            s.addLatest(t, FunnelStages.NONE);
        }
        s.stageMask = stageMask;
        return s;
    }

    /** A summary from its stored fields (the codec's way back). */
    public static UserSummary restore(String userId, Profile profile, int eventCount, int stageMask, long firstNanos,
                                      long lastNanos, int sessionCount, double closedHours, double closedCompensation,
                                      long lastSessionStart, int lastSessionEvents, int[] months) {
        UserSummary s = new UserSummary(userId);
        s.profile = profile;
        s.eventCount = eventCount;
        s.stageMask = stageMask;
        s.firstNanos = firstNanos;
        s.lastNanos = lastNanos;
        s.sessionCount = sessionCount;
        s.closedHours = closedHours;
        s.closedCompensation = closedCompensation;
        s.lastSessionStart = lastSessionStart;
        s.lastSessionEvents = lastSessionEvents;
        s.months = months;
        return s;
    }

    public UserSummary copy() {
        return restore(userId, profile, eventCount, stageMask, firstNanos, lastNanos, sessionCount, closedHours,
                closedCompensation, lastSessionStart, lastSessionEvents, months.clone());
    }

    /** True when an event at {@code nanos} can be folded in: it is not older than the last event. */
    public boolean canAddLatest(long nanos) {
        return eventCount == 0 || nanos >= lastNanos;
    }

    /** Folds in an event not older than the last one ({@link #canAddLatest}). */
    public void addLatest(long nanos, int stage) {
        if (!canAddLatest(nanos)) {
            throw new IllegalArgumentException("event at " + nanos + " is older than the last one at " + lastNanos);
        }
        if (eventCount == 0) {
            firstNanos = nanos;
            openSession(nanos);
        } else if (nanos - lastNanos > SessionWindowing.INACTIVITY_GAP_NANOS) {
            double y = lastSessionHours() - closedCompensation;
            double t = closedHours + y;
            closedCompensation = t - closedHours - y;
            closedHours = t;
            openSession(nanos);
        } else {
            lastSessionEvents = 2;
        }
        int month = Timestamps.epochMonth(nanos);
        if (months.length == 0 || months[months.length - 1] != month) {
            months = java.util.Arrays.copyOf(months, months.length + 1);
            months[months.length - 1] = month;
        }
        lastNanos = nanos;
        eventCount++;
        if (stage != FunnelStages.NONE) {
            stageMask |= 1 << stage;
        }
    }

    private void openSession(long nanos) {
        sessionCount++;
        lastSessionStart = nanos;
        lastSessionEvents = 1;
    }

    private double lastSessionHours() {
        return lastSessionEvents == 1
                ? SessionWindowing.ONE_EVENT_SESSION_HOURS
                : ((lastNanos - lastSessionStart) / 1e9) / 3600;
    }

    /** The session summary, or null for a user without events. */
    public SessionSummary sessions() {
        if (eventCount == 0) {
            return null;
        }
        double y = lastSessionHours() - closedCompensation;
        double total = closedHours + y;
        return new SessionSummary(userId, sessionCount, total, firstNanos, lastNanos);
    }

    public String userId() {
        return userId;
    }

    public Profile profile() {
        return profile;
    }

    public void setProfile(Profile profile) {
        this.profile = profile;
    }

    public boolean isKnown() {
        return profile != null;
    }

    public int eventCount() {
        return eventCount;
    }

    public int stageMask() {
        return stageMask;
    }

    public boolean reached(int stage) {
        return (stageMask & (1 << stage)) != 0;
    }

    public long firstNanos() {
        return firstNanos;
    }

    public long lastNanos() {
        return lastNanos;
    }

    public boolean isEmpty() {
        return profile == null && eventCount == 0;
    }

    public int sessionCount() {
        return sessionCount;
    }

    public double closedHours() {
        return closedHours;
    }

    public double closedCompensation() {
        return closedCompensation;
    }

    public long lastSessionStart() {
        return lastSessionStart;
    }

    public int lastSessionEvents() {
        return lastSessionEvents;
    }

    /** The distinct months of the user's events, ascending. Do not modify. */
    public int[] months() {
        return months;
    }
}
