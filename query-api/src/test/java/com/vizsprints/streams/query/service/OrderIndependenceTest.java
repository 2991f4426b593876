package com.vizsprints.streams.query.service;

import com.vizsprints.streams.processor.schema.IndexKeys.SessionOrder;
import com.vizsprints.streams.query.service.Queries.AbTestQuery;
import com.vizsprints.streams.query.service.Queries.EventsQuery;
import com.vizsprints.streams.query.service.Queries.SessionsQuery;
import com.vizsprints.streams.query.service.Queries.UsersQuery;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class OrderIndependenceTest {

    /** Every answer of the API for one state, so two runs can be compared whole. */
    static Map<String, Object> everything(AnalyticsQueryService q) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("metrics", q.metrics());
        all.put("funnel", q.funnel());
        all.put("cohorts", q.cohorts());
        all.put("kpi", q.kpiTimeSeries());
        all.put("ab", q.abTest(new AbTestQuery(0.95, null, null, null)));
        all.put("users", q.users(new UsersQuery(null, null, null, 1000, 0)));
        all.put("events", q.events(new EventsQuery(null, null, null, null)));
        for (SessionOrder o : SessionOrder.values()) {
            all.put("sessions-" + o, q.userSessions(new SessionsQuery(100, o)));
        }
        return all;
    }

    private static void events(TopologyHarness h) {
        h.eventAt(0, "e0", "u1", "signup_success", "2023-01-01T00:00:00Z")
         .eventAt(1, "e1", "u1", "complete_task", "2023-02-01T00:00:00Z")
         .eventAt(2, "e2", "u2", "signup_success", "2023-01-05T00:00:00Z")
         .eventAt(3, "e3", "u2", "invite_user", "2023-01-05T00:10:00Z");
    }

    @Test
    void shouldGiveTheSameAnswersWhenAUserRowArrivesAfterItsEvents() {
        try (TopologyHarness usersFirst = new TopologyHarness(); TopologyHarness usersLast = new TopologyHarness()) {
            usersFirst.user("u1", "2023-01-01T00:00:00Z", "Premium", "A").user("u2", "2023-01-05T00:00:00Z", "Free", "B");
            events(usersFirst);

            events(usersLast);
            usersLast.user("u1", "2023-01-01T00:00:00Z", "Premium", "A").user("u2", "2023-01-05T00:00:00Z", "Free", "B");

            assertEquals(everything(usersFirst.queries), everything(usersLast.queries));
            assertEquals(29L, usersLast.queries.metrics().get("revenue"));
        }
    }

    @Test
    void shouldMoveRevenueAndVariantCountsWhenAUserRowIsUpdated() {
        try (TopologyHarness h = new TopologyHarness()) {
            h.user("u1", "2023-01-01T00:00:00Z", "Free", "A").user("u2", "2023-01-01T00:00:00Z", "Free", "A");
            events(h);

            h.userAt(0, "u1", "2023-01-01T00:00:00Z", "Mobile", "US", "Enterprise", "B");

            assertEquals(99L, h.queries.metrics().get("revenue"), "Free -> Enterprise: 0 + 99, not added to the old row");
            assertEquals(2L, h.queries.metrics().get("total_users"));
            Map<String, Object> ab = h.queries.abTest(new AbTestQuery(0.95, null, null, null));
            assertEquals(1L, ((Map<?, ?>) ab.get("variant_A")).get("total_users"));
            assertEquals(1L, ((Map<?, ?>) ab.get("variant_B")).get("total_users"));
            assertEquals(2L, ((Map<?, ?>) ab.get("variant_B")).get("total_events"), "u1's events moved with u1 to B");
        }
    }

    @Test
    void shouldCountAReplayedEventIdOnce() {
        try (TopologyHarness once = new TopologyHarness(); TopologyHarness twice = new TopologyHarness()) {
            once.user("u1", "2023-01-01T00:00:00Z", "Premium", "A");
            events(once);
            twice.user("u1", "2023-01-01T00:00:00Z", "Premium", "A");
            events(twice);
            events(twice);

            assertEquals(everything(once.queries), everything(twice.queries));
            assertEquals(4L, twice.queries.health().get("duplicate_events"));
        }
    }

    @Test
    void eventLimitShouldFollowInputPositionsNotArrivalOrder() {
        try (TopologyHarness h = new TopologyHarness()) {
            h.user("u1", "2023-01-01T00:00:00Z", "Free", "A");
            h.eventAt(5, "late-row", "u1", "invite_user", "2023-01-01T00:00:00Z")
             .eventAt(0, "first-row", "u1", "signup_success", "2023-01-02T00:00:00Z");

            Map<String, Object> firstOne = h.queries.abTest(new AbTestQuery(0.95, null, 1L, null));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> funnelA = (List<Map<String, Object>>) ((Map<?, ?>) firstOne.get("variant_A")).get("funnel");

            assertEquals(1L, ((Map<?, ?>) firstOne.get("variant_A")).get("total_events"));
            assertEquals(1L, funnelA.get(0).get("users"), "row 0 is the signup");
            assertEquals(0L, funnelA.get(4).get("users"), "row 5 is outside event_limit=1");
            assertNotEquals(firstOne, h.queries.abTest(new AbTestQuery(0.95, null, 6L, null)));
        }
    }

    @Test
    void theEarliestRowOfAnEventIdWinsInEveryFieldWhateverTheArrivalOrder() {
        try (TopologyHarness earliestFirst = new TopologyHarness(); TopologyHarness earliestLast = new TopologyHarness()) {
            for (TopologyHarness h : List.of(earliestFirst, earliestLast)) {
                h.user("u1", "2023-01-01T00:00:00Z", "Free", "A").user("u2", "2023-01-01T00:00:00Z", "Free", "B");
            }
            earliestFirst.eventAt(2, "e1", "u1", "complete_task", "2023-03-01T10:00:00Z")
                    .eventAt(7, "e1", "u1", "signup_success", "2023-01-05T10:00:00Z");
            earliestLast.eventAt(7, "e1", "u1", "signup_success", "2023-01-05T10:00:00Z")
                    .eventAt(2, "e1", "u1", "complete_task", "2023-03-01T10:00:00Z");

            assertEquals(everything(earliestFirst.queries), everything(earliestLast.queries));
            Map<String, Object> events = earliestLast.queries.events(new EventsQuery("u1", null, null, null));
            assertEquals(1L, events.get("total"));
            Map<?, ?> row = (Map<?, ?>) ((List<?>) events.get("events")).get(0);
            assertEquals("complete_task", row.get("event_name"), "row 2's name, not the first-arrived row 7's");
            assertEquals("2023-03-01T10:00:00Z", row.get("timestamp"));
            assertEquals(1L, ((Map<?, ?>) earliestLast.queries.metrics()).get("total_events"));
            assertEquals(50.0, earliestLast.queries.metrics().get("conversion_rate"), "u1 completed a task (row 2)");
            assertEquals(1L, earliestLast.queries.health().get("duplicate_events"));
        }
    }
}
