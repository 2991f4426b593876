package com.vizsprints.streams.processor.logic;

import com.vizsprints.streams.processor.model.Timestamps;

import java.util.HashMap;
import java.util.Map;

/**
 * What one user adds to the partition's counters, derived from the user's state alone. When a
 * user row or an event changes the state, the difference of the contributions before and after
 * is applied: late user rows, updated rows and out-of-order events all come out exact.
 * Per-event counters (events per name and day) are not here: they never depend on the user row.
 */
public final class UserContribution {
    private UserContribution() {
    }

    public static Map<String, Long> of(UserState state) {
        Map<String, Long> c = new HashMap<>();
        if (state == null) {
            return c;
        }
        Profile p = state.profile();
        long[] times = state.eventNanos();
        boolean hasEvents = times.length > 0;

        for (int s = 0; s < FunnelStages.COUNT; s++) {
            if (state.reached(s)) {
                c.put(AggregateKeys.stage(s), 1L);
            }
        }
        int previousDay = Integer.MIN_VALUE;
        for (long t : times) {
            int day = Timestamps.epochDay(t);
            if (day != previousDay) {
                c.put(AggregateKeys.dau(day), 1L);
                previousDay = day;
            }
        }
        if (hasEvents) {
            c.put(AggregateKeys.lastSeen(Timestamps.epochDay(times[times.length - 1])), 1L);
        }
        if (p == null) {
            return c;
        }

        c.putAll(ofProfile(p, times.length, state.stageMask(), monthsOf(times)));
        return c;
    }

    /**
     * The part of a user's contribution that depends on the profile: all of it except the funnel
     * stages, daily actives and last-seen day, which count every user with events, known or not.
     * A profile change moves exactly this part.
     *
     * @param months the distinct months of the user's events, ascending
     */
    public static Map<String, Long> ofProfile(Profile p, int eventCount, int stageMask, int[] months) {
        Map<String, Long> c = new HashMap<>();
        if (p == null) {
            return c;
        }
        boolean hasEvents = eventCount > 0;
        // A missing value (null, pandas' NaN) leaves the user out of what is grouped by it:
        // no variant, no revenue, no signup day and no cohort, but the user still counts.
        c.put(AggregateKeys.USERS, 1L);
        c.put(AggregateKeys.REVENUE, (long) Plans.revenue(p.plan()));
        c.put(AggregateKeys.segment(p.country(), p.device(), p.plan()), 1L);
        if (p.hasJoinedAt()) {
            c.put(AggregateKeys.signups(Timestamps.epochDay(p.joinedAtNanos())), 1L);
        }
        if (p.variant() != null) {
            c.put(AggregateKeys.variantUsers(p.variant()), 1L);
        }
        if (hasEvents && p.variant() != null) {
            c.put(AggregateKeys.variantEvents(p.variant()), (long) eventCount);
            for (int s = 0; s < FunnelStages.COUNT; s++) {
                if ((stageMask & (1 << s)) != 0) {
                    c.put(AggregateKeys.variantStage(p.variant(), s), 1L);
                }
            }
        }
        if (hasEvents && p.hasJoinedAt()) {
            int cohort = Timestamps.epochMonth(p.joinedAtNanos());
            c.put(AggregateKeys.cohortSize(cohort), 1L);
            for (int month : months) {
                c.put(AggregateKeys.cohortCell(cohort, month - cohort), 1L);
            }
        }
        return c;
    }

    /** The distinct months of event times given in ascending order. */
    public static int[] monthsOf(long[] sortedNanos) {
        int[] months = new int[sortedNanos.length];
        int n = 0;
        for (long t : sortedNanos) {
            int month = Timestamps.epochMonth(t);
            if (n == 0 || months[n - 1] != month) {
                months[n++] = month;
            }
        }
        return java.util.Arrays.copyOf(months, n);
    }

    /**
     * What recording one more event changes in the user's contribution: the same as
     * {@code difference(of(before), of(before + event))}, computed from the event's neighbours in
     * time instead of the user's whole history (days and months are contiguous, so a day or month
     * is already present exactly when the event's predecessor or successor falls in it).
     *
     * @param before the user's state without the event (not modified)
     */
    public static Map<String, Long> ofNewEvent(UserState before, long nanos, int stage) {
        long[] times = before.eventNanos();
        int n = times.length;
        int at = java.util.Arrays.binarySearch(times, nanos);
        int insertAt = at >= 0 ? at : -at - 1;
        Map<String, Long> d = new HashMap<>();
        ofNewEvent(before.profile(), before.stageMask(), n,
                insertAt > 0 ? times[insertAt - 1] : null, insertAt < n ? times[insertAt] : null,
                n > 0 ? times[n - 1] : 0, nanos, stage, d::put);
        return d;
    }

    /**
     * {@link #ofNewEvent(UserState, long, int)} for an event not older than the user's last one
     * ({@link UserSummary#canAddLatest}): its only neighbour in time is the last event.
     */
    public static Map<String, Long> ofLatestEvent(UserSummary before, long nanos, int stage) {
        Map<String, Long> d = new HashMap<>();
        ofLatestEvent(before, nanos, stage, d::put);
        return d;
    }

    /** {@link #ofLatestEvent(UserSummary, long, int)}, each change handed to {@code sink} (the hot path: no map). */
    public static void ofLatestEvent(UserSummary before, long nanos, int stage, Changes sink) {
        int n = before.eventCount();
        ofNewEvent(before.profile(), before.stageMask(), n, n > 0 ? before.lastNanos() : null, null,
                before.lastNanos(), nanos, stage, sink);
    }

    /** Receives the counter changes of a contribution, one key at a time (each key at most once). */
    @FunctionalInterface
    public interface Changes {
        void add(String counterKey, long delta);
    }

    /**
     * @param n           the user's events before this one
     * @param predecessor the latest event time at or before {@code nanos} (null: none)
     * @param successor   the earliest event time after it (null: none)
     * @param lastNanos  the user's last event time (unused when n is 0)
     */
    private static void ofNewEvent(Profile p, int stageMask, int n, Long predecessor, Long successor,
                                   long lastNanos, long nanos, int stage, Changes d) {
        if (stage != FunnelStages.NONE && (stageMask & (1 << stage)) == 0) {
            d.add(AggregateKeys.stage(stage), 1L);
            if (p != null && p.variant() != null) {
                // variant stage counters exist only for users with events; the user has one now
                d.add(AggregateKeys.variantStage(p.variant(), stage), 1L);
            }
        }
        int day = Timestamps.epochDay(nanos);
        boolean dayKnown = (predecessor != null && Timestamps.epochDay(predecessor) == day)
                || (successor != null && Timestamps.epochDay(successor) == day);
        if (!dayKnown) {
            d.add(AggregateKeys.dau(day), 1L);
        }
        if (n == 0) {
            d.add(AggregateKeys.lastSeen(day), 1L);
        } else {
            int lastDay = Timestamps.epochDay(lastNanos);
            if (nanos > lastNanos && day != lastDay) {
                d.add(AggregateKeys.lastSeen(lastDay), -1L);
                d.add(AggregateKeys.lastSeen(day), 1L);
            }
        }
        if (p == null) {
            return;
        }
        if (p.variant() != null) {
            d.add(AggregateKeys.variantEvents(p.variant()), 1L);
        }
        if (!p.hasJoinedAt()) {
            return;
        }
        int cohort = Timestamps.epochMonth(p.joinedAtNanos());
        if (n == 0) {
            d.add(AggregateKeys.cohortSize(cohort), 1L);
            // a user's stages are reached by events only, so a user without events has none yet
        }
        int month = Timestamps.epochMonth(nanos);
        boolean monthKnown = (predecessor != null && Timestamps.epochMonth(predecessor) == month)
                || (successor != null && Timestamps.epochMonth(successor) == month);
        if (!monthKnown) {
            d.add(AggregateKeys.cohortCell(cohort, month - cohort), 1L);
        }
        return;
    }

    /** after - before, per key, without zero entries. */
    public static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> diff = new HashMap<>(after);
        before.forEach((k, v) -> diff.merge(k, -v, Long::sum));
        diff.values().removeIf(v -> v == 0L);
        return diff;
    }
}
