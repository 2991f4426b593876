package com.vizsprints.streams.processor.logic;

import java.util.Arrays;

/**
 * Everything the pipeline keeps about one user: the profile (null until the user row arrives,
 * or after a tombstone), the times of all the user's events (sorted, duplicates kept), and the
 * funnel stages reached. Aggregates are derived from it, so the order in which rows arrive
 * does not matter.
 */
public final class UserState {
    private final String userId;
    private Profile profile;
    private long[] eventNanos;
    private int stageMask;

    public UserState(String userId, Profile profile, long[] sortedEventNanos, int stageMask) {
        this.userId = userId;
        this.profile = profile;
        this.eventNanos = sortedEventNanos;
        this.stageMask = stageMask;
    }

    public static UserState empty(String userId) {
        return new UserState(userId, null, new long[0], 0);
    }

    public UserState copy() {
        return new UserState(userId, profile, eventNanos.clone(), stageMask);
    }

    public String userId() {
        return userId;
    }

    public Profile profile() {
        return profile;
    }

    public boolean isKnown() {
        return profile != null;
    }

    public void setProfile(Profile profile) {
        this.profile = profile;
    }

    /** Event times, ascending. Do not modify. */
    public long[] eventNanos() {
        return eventNanos;
    }

    public int eventCount() {
        return eventNanos.length;
    }

    public int stageMask() {
        return stageMask;
    }

    public boolean reached(int stage) {
        return (stageMask & (1 << stage)) != 0;
    }

    public boolean isEmpty() {
        return profile == null && eventNanos.length == 0;
    }

    /** Records one event (any arrival order). */
    public void addEvent(long nanos, int stage) {
        int at = Arrays.binarySearch(eventNanos, nanos);
        int insertAt = at >= 0 ? at : -at - 1;
        long[] grown = new long[eventNanos.length + 1];
        System.arraycopy(eventNanos, 0, grown, 0, insertAt);
        grown[insertAt] = nanos;
        System.arraycopy(eventNanos, insertAt, grown, insertAt + 1, eventNanos.length - insertAt);
        eventNanos = grown;
        if (stage != FunnelStages.NONE) {
            stageMask |= 1 << stage;
        }
    }

    /** The session summary, or null for a user without events. */
    public SessionSummary sessions() {
        return eventNanos.length == 0 ? null : SessionWindowing.summarise(userId, eventNanos);
    }
}
