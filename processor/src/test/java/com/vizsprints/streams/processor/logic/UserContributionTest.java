package com.vizsprints.streams.processor.logic;

import com.vizsprints.streams.processor.model.Timestamps;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class UserContributionTest {
    private static long t(String iso) {
        return Timestamps.parseNanos(iso);
    }

    @Test
    void shouldCountAUserWithoutProfileOnlyInEventFigures() {
        UserState s = UserState.empty("u1");
        s.addEvent(t("2023-01-01T10:00:00Z"), FunnelStages.indexOf("complete_task"));

        Map<String, Long> c = UserContribution.of(s);

        assertEquals(1L, c.get(AggregateKeys.stage(FunnelStages.COMPLETE_TASK)));
        assertEquals(1L, c.get(AggregateKeys.dau(Timestamps.epochDay(t("2023-01-01T00:00:00Z")))));
        assertFalse(c.containsKey(AggregateKeys.USERS));
        assertFalse(c.keySet().stream().anyMatch(k -> k.startsWith(AggregateKeys.COHORT_PREFIX)));
    }

    @Test
    void shouldPlaceEventsBeforeJoiningInNegativeCohortMonths() {
        UserState s = new UserState("u1", new Profile(t("2023-03-10T00:00:00Z"), "Mobile", "US", "Premium", "B", 0), new long[0], 0);
        s.addEvent(t("2023-01-31T23:59:59Z"), FunnelStages.NONE);

        Map<String, Long> c = UserContribution.of(s);

        int march = Timestamps.epochMonth(t("2023-03-01T00:00:00Z"));
        assertEquals(1L, c.get(AggregateKeys.cohortCell(march, -2)));
        assertEquals(1L, c.get(AggregateKeys.cohortSize(march)));
        assertEquals(29L, c.get(AggregateKeys.REVENUE));
    }

    @Test
    void missingValuesShouldLeaveTheUserOutOfWhatIsGroupedByThemOnly() {
        UserState s = new UserState("u1", new Profile(Profile.NO_JOIN_TIME, null, null, null, null, 0), new long[0], 0);
        s.addEvent(t("2023-01-05T10:00:00Z"), FunnelStages.indexOf("complete_task"));
        s.addEvent(t("2023-02-05T10:00:00Z"), FunnelStages.indexOf(null));

        Map<String, Long> c = UserContribution.of(s);

        assertEquals(FunnelStages.NONE, FunnelStages.indexOf(null), "an event without a name is in no stage");
        assertEquals(1L, c.get(AggregateKeys.USERS), "the user counts");
        assertEquals(0L, c.get(AggregateKeys.REVENUE), "a missing plan adds no revenue");
        assertEquals(1L, c.get(AggregateKeys.segment(null, null, null)));
        assertEquals(AggregateKeys.SEGMENT_PREFIX + AggregateKeys.SEP + AggregateKeys.SEP, AggregateKeys.segment(null, null, null),
                "missing parts are empty, never the text 'null'");
        assertEquals(1L, c.get(AggregateKeys.stage(FunnelStages.COMPLETE_TASK)));
        assertEquals(1L, c.get(AggregateKeys.dau(Timestamps.epochDay(t("2023-02-05T00:00:00Z")))), "both events are activity");
        assertFalse(c.keySet().stream().anyMatch(k -> k.startsWith(AggregateKeys.VARIANT_PREFIX)), c.toString());
        assertFalse(c.keySet().stream().anyMatch(k -> k.startsWith(AggregateKeys.COHORT_PREFIX)), c.toString());
        assertFalse(c.keySet().stream().anyMatch(k -> k.startsWith(AggregateKeys.SIGNUPS_PREFIX)), c.toString());
        assertFalse(c.keySet().stream().anyMatch(k -> k.contains("null")), c.toString());
    }

    @Test
    void differenceShouldKeepOnlyChangedCounters() {
        Map<String, Long> diff = UserContribution.difference(Map.of("a", 1L, "b", 2L), Map.of("b", 2L, "c", 5L));

        assertEquals(Map.of("a", -1L, "c", 5L), diff);
    }

    @Test
    void anEventsDifferenceShouldEqualTheDifferenceOfWholeContributions() {
        Random random = new Random(7);
        long base = t("2023-01-01T00:00:00Z");
        String[] variants = {"A", "B", null};
        for (int round = 0; round < 20_000; round++) {
            long joined = random.nextInt(5) == 0 ? Profile.NO_JOIN_TIME : base + random.nextInt(400) * 86_400_000_000_000L;
            Profile profile = random.nextInt(4) == 0 ? null
                    : new Profile(joined, "Mobile", "US", "Premium", variants[random.nextInt(3)], round);
            UserState before = UserState.empty("u" + round);
            before.setProfile(profile);
            int events = random.nextInt(6);
            for (int i = 0; i < events; i++) {
                before.addEvent(someTime(random, base), randomStage(random));
            }
            long nanos = random.nextBoolean() && events > 0 ? before.eventNanos()[random.nextInt(events)] : someTime(random, base);
            int stage = randomStage(random);
            UserState after = before.copy();
            after.addEvent(nanos, stage);

            Map<String, Long> expected = UserContribution.difference(UserContribution.of(before), UserContribution.of(after));

            assertEquals(expected, UserContribution.ofNewEvent(before, nanos, stage),
                    () -> "state " + java.util.Arrays.toString(before.eventNanos()) + " mask " + before.stageMask() + " + " + nanos);
        }
    }

    /** Times clustered within days, days within months, and months within a year and a bit. */
    private static long someTime(Random random, long base) {
        return base + random.nextInt(14) * 31L * 86_400_000_000_000L + random.nextInt(3) * 86_400_000_000_000L + random.nextInt(48) * 1_800_000_000_000L;
    }

    private static int randomStage(Random random) {
        int s = random.nextInt(FunnelStages.COUNT + 2) - 1;
        return s >= FunnelStages.COUNT ? FunnelStages.NONE : s;
    }
}
