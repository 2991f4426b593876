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
        long[] times = state.eventMillis();
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

        c.put(AggregateKeys.USERS, 1L);
        c.put(AggregateKeys.REVENUE, (long) Plans.revenue(p.plan()));
        c.put(AggregateKeys.segment(p.country(), p.device(), p.plan()), 1L);
        c.put(AggregateKeys.signups(Timestamps.epochDay(p.joinedAtMillis())), 1L);
        c.put(AggregateKeys.variantUsers(p.variant()), 1L);
        if (hasEvents) {
            c.put(AggregateKeys.variantEvents(p.variant()), (long) times.length);
            for (int s = 0; s < FunnelStages.COUNT; s++) {
                if (state.reached(s)) {
                    c.put(AggregateKeys.variantStage(p.variant(), s), 1L);
                }
            }
            int cohort = Timestamps.epochMonth(p.joinedAtMillis());
            c.put(AggregateKeys.cohortSize(cohort), 1L);
            int previousMonth = Integer.MIN_VALUE;
            for (long t : times) {
                int month = Timestamps.epochMonth(t);
                if (month != previousMonth) {
                    c.put(AggregateKeys.cohortCell(cohort, month - cohort), 1L);
                    previousMonth = month;
                }
            }
        }
        return c;
    }

    /** after - before, per key, without zero entries. */
    public static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> diff = new HashMap<>(after);
        before.forEach((k, v) -> diff.merge(k, -v, Long::sum));
        diff.values().removeIf(v -> v == 0L);
        return diff;
    }
}
