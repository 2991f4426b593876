package com.vizsprints.streams.query.service;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DashboardRulesTest {

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> m, String field) {
        return (List<Map<String, Object>>) m.get(field);
    }

    @Test
    void funnelShouldCountDistinctUsersPerStageWithoutRequiringEarlierStages() {
        try (TopologyHarness h = new TopologyHarness()) {
            h.user("u1", "2023-01-01T00:00:00Z", "Free", "A")
             .user("u2", "2023-01-01T00:00:00Z", "Free", "B")
             .event("u1", "signup_success", "2023-01-01T00:00:00Z")
             .event("u1", "signup_success", "2023-01-02T00:00:00Z")
             .event("u2", "complete_task", "2023-01-02T00:00:00Z");

            List<Map<String, Object>> funnel = list(h.queries.funnel(), "funnel");

            assertEquals("Signup Success", funnel.get(0).get("stage"));
            assertEquals(1L, funnel.get(0).get("users"), "u1 twice counts once");
            assertEquals(50.0, funnel.get(0).get("conversion_from_total"));
            assertEquals(0L, funnel.get(1).get("users"));
            assertEquals(0, funnel.get(2).get("conversion_from_previous"), "previous stage empty: 0, as the reference");
            assertEquals(100, funnel.get(2).get("drop_off"));
            assertEquals(1L, funnel.get(3).get("users"), "complete_task counts without earlier stages");
        }
    }

    @Test
    void cohortMonthsShouldCountAcrossAYearBoundary() {
        try (TopologyHarness h = new TopologyHarness()) {
            h.user("u1", "2023-12-15T00:00:00Z", "Free", "A")
             .user("u2", "2023-12-31T23:59:59Z", "Free", "B")
             .event("u1", "login", "2023-12-20T00:00:00Z")
             .event("u1", "login", "2024-02-01T00:00:00Z")
             .event("u2", "login", "2024-01-01T00:00:00Z");

            Map<String, Object> cohorts = h.queries.cohorts();
            Map<String, Object> dec = list(cohorts, "cohorts").get(0);

            assertEquals(2, cohorts.get("max_months"));
            assertEquals("2023-12", dec.get("cohort"));
            assertEquals(2L, dec.get("size"));
            assertEquals(50.0, dec.get("month_0"));
            assertEquals(50.0, dec.get("month_1"), "January 2024 is month 1 of a December 2023 cohort");
            assertEquals(50.0, dec.get("month_2"));
        }
    }

    @Test
    void cohortsShouldIgnoreEventsOfUnknownUsersAndRoundLikePandas() {
        try (TopologyHarness h = new TopologyHarness()) {
            h.user("u1", "2023-03-01T00:00:00Z", "Free", "A")
             .user("u2", "2023-03-01T00:00:00Z", "Free", "A")
             .user("u3", "2023-03-01T00:00:00Z", "Free", "A")
             .event("u1", "login", "2023-03-01T00:00:00Z")
             .event("u2", "login", "2023-03-01T00:00:00Z")
             .event("u3", "login", "2023-03-01T00:00:00Z")
             .event("u1", "login", "2023-04-01T00:00:00Z")
             .event("ghost", "login", "2023-09-01T00:00:00Z");

            Map<String, Object> cohorts = h.queries.cohorts();

            assertEquals(1, cohorts.get("max_months"), "the unknown user's September event is not a cohort month");
            assertEquals(33.33, list(cohorts, "cohorts").get(0).get("month_1"));
        }
    }

    @Test
    void activeUsersShouldBeRelativeToTheLargestEventTimeNotTheClock() {
        try (TopologyHarness h = new TopologyHarness()) {
            h.user("u1", "2020-01-01T00:00:00Z", "Free", "A")
             .event("edge", "login", "2020-01-01T12:00:00Z")
             .event("old", "login", "2020-01-01T11:59:59Z")
             .event("late", "login", "2020-01-20T08:00:00Z")
             .event("u1", "login", "2020-01-31T12:00:00Z");

            Map<String, Object> m = h.queries.metrics();

            assertEquals(3L, m.get("active_users"), "edge is exactly 30 days before the latest event: active; old is not");
            assertEquals(4L, m.get("total_events"), "events of users without a profile still count");
            assertEquals(4.0, m.get("avg_events_per_user"));
        }
    }

    @Test
    void activeUsersShouldSplitTheThresholdDayExactlyWhereverTheThresholdFalls() {
        // threshold early in its day (2020-01-01T03:00): the part before it is the shorter one
        try (TopologyHarness h = new TopologyHarness()) {
            h.event("before", "login", "2020-01-01T02:59:59.999999999Z")
             .event("at", "login", "2020-01-01T03:00:00Z")
             .event("evening", "login", "2020-01-01T20:00:00Z")
             .event("moved", "login", "2020-01-01T01:00:00Z")
             .event("moved", "login", "2020-01-10T01:00:00Z")
             .event("latest", "login", "2020-01-31T03:00:00Z");

            assertEquals(4L, h.queries.metrics().get("active_users"), "at, evening, moved (last seen later), latest");
        }
        // threshold late in its day (2020-01-01T21:00): the part after it is the shorter one
        try (TopologyHarness h = new TopologyHarness()) {
            h.event("morning", "login", "2020-01-01T08:00:00Z")
             .event("before", "login", "2020-01-01T20:59:59.999999999Z")
             .event("at", "login", "2020-01-01T21:00:00Z")
             .event("night", "login", "2020-01-01T23:59:59Z")
             .event("latest", "login", "2020-01-31T21:00:00Z");

            assertEquals(3L, h.queries.metrics().get("active_users"), "at, night, latest");
        }
    }

    @Test
    void kpiSeriesShouldListEveryDateWithEventsOrSignups() {
        try (TopologyHarness h = new TopologyHarness()) {
            h.user("u1", "2023-01-01T10:00:00Z", "Free", "A")
             .user("u2", "2023-01-03T10:00:00Z", "Free", "A")
             .event("u1", "login", "2023-01-02T10:00:00Z")
             .event("u1", "login", "2023-01-02T11:00:00Z")
             .event("u2", "login", "2023-01-02T23:59:59Z");

            List<Map<String, Object>> series = h.queries.kpiTimeSeries();

            assertEquals(List.of(
                    Map.of("date", "2023-01-01", "dau", 0L, "signups", 1L),
                    Map.of("date", "2023-01-02", "dau", 2L, "signups", 0L),
                    Map.of("date", "2023-01-03", "dau", 0L, "signups", 1L)), series);
        }
    }
}
