package com.vizsprints.streams.query.service;

import com.vizsprints.streams.processor.schema.IndexKeys.SessionOrder;
import com.vizsprints.streams.query.service.Queries.SessionsQuery;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SessionRulesTest {

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> sessions(TopologyHarness h, long limit, SessionOrder order) {
        return (List<Map<String, Object>>) h.queries.userSessions(new SessionsQuery(limit, order)).get("user_sessions");
    }

    private static Map<String, Object> only(TopologyHarness h) {
        List<Map<String, Object>> rows = sessions(h, 100, SessionOrder.TOTAL_HOURS);
        assertEquals(1, rows.size());
        return rows.get(0);
    }

    @Test
    void shouldStartNewSessionWhenGapIsLongerThanThirtyMinutes() {
        try (TopologyHarness h = new TopologyHarness()) {
            h.event("u1", "login", "2023-05-01T10:00:00Z")
             .event("u1", "login", "2023-05-01T10:30:01Z");

            Map<String, Object> row = only(h);

            assertEquals(2, row.get("total_sessions"));
            assertEquals(0.03, row.get("total_hours"), "two one-event sessions of one minute each");
        }
    }

    @Test
    void shouldKeepOneSessionWhenGapIsExactlyThirtyMinutes() {
        try (TopologyHarness h = new TopologyHarness()) {
            h.event("u1", "login", "2023-05-01T10:00:00Z")
             .event("u1", "login", "2023-05-01T10:30:00Z");

            Map<String, Object> row = only(h);

            assertEquals(1, row.get("total_sessions"));
            assertEquals(0.5, row.get("total_hours"));
            assertEquals(0.5, row.get("avg_session_duration"));
        }
    }

    @Test
    void shouldCountOneEventSessionAsOneMinute() {
        try (TopologyHarness h = new TopologyHarness()) {
            h.event("u1", "login", "2023-05-01T10:00:00Z");

            Map<String, Object> row = only(h);

            assertEquals(1, row.get("total_sessions"));
            assertEquals(0.02, row.get("total_hours"), "1/60 h = 0.0166.. rounds to 0.02");
            assertEquals("2023-05-01T10:00:00Z", row.get("first_activity"));
            assertEquals("2023-05-01T10:00:00Z", row.get("last_activity"));
        }
    }

    @Test
    void shouldCountSeveralEventsInTheSameSecondAsZeroDuration() {
        try (TopologyHarness h = new TopologyHarness()) {
            h.event("u1", "login", "2023-05-01T10:00:00Z")
             .event("u1", "click", "2023-05-01T10:00:00Z");

            assertEquals(0.0, only(h).get("total_hours"));
        }
    }

    @Test
    void shouldBuildTheSameSessionsWhenEventsArriveOutOfOrder() {
        try (TopologyHarness h = new TopologyHarness()) {
            h.event("u1", "a", "2023-05-01T12:00:00Z")
             .event("u1", "b", "2023-05-01T10:00:00Z")
             .event("u1", "c", "2023-05-01T10:20:00Z")
             .event("u1", "d", "2023-05-01T11:40:00Z");

            Map<String, Object> row = only(h);

            assertEquals(2, row.get("total_sessions"), "10:00-10:20 and 11:40-12:00");
            assertEquals(0.67, row.get("total_hours"));
            assertEquals("2023-05-01T10:00:00Z", row.get("first_activity"));
            assertEquals("2023-05-01T12:00:00Z", row.get("last_activity"));
        }
    }

    @Test
    void shouldMarkUserActiveWhenLastActivityIsWithinSevenDaysOfTheLatestEvent() {
        try (TopologyHarness h = new TopologyHarness()) {
            h.event("recent", "a", "2023-05-01T00:00:00Z")
             .event("stale", "a", "2023-04-30T23:59:59Z")
             .event("latest", "a", "2023-05-08T00:00:00Z");

            Map<String, String> status = new java.util.HashMap<>();
            sessions(h, 10, SessionOrder.LAST_ACTIVITY).forEach(r -> status.put((String) r.get("user_id"), (String) r.get("status")));

            assertEquals(Map.of("recent", "active", "stale", "inactive", "latest", "active"), status);
        }
    }

    @Test
    void shouldSortDescendingWithTiesByUserIdAndCutAtLimit() {
        try (TopologyHarness h = new TopologyHarness()) {
            h.event("u3", "a", "2023-05-01T00:00:00Z")
             .event("u1", "a", "2023-05-01T00:00:00Z")
             .event("u2", "a", "2023-05-01T00:00:00Z")
             .event("u2", "a", "2023-05-02T00:00:00Z");

            List<Object> ids = sessions(h, 2, SessionOrder.TOTAL_SESSIONS).stream().map(r -> r.get("user_id")).toList();

            assertEquals(List.of("u2", "u1"), ids);
            assertEquals(3, sessions(h, 1_000_000_000L, SessionOrder.TOTAL_SESSIONS).size(), "a limit above the user count returns all");
            assertEquals(0, sessions(h, 0, SessionOrder.TOTAL_SESSIONS).size());
        }
    }

    @Test
    void aGapLongerThanThirtyMinutesByLessThanAMillisecondSplitsTheSession() {
        try (TopologyHarness h = new TopologyHarness()) {
            h.user("u1", "2023-01-01T00:00:00Z", "Free", "A")
                    .event("u1", "view_dashboard", "2023-01-01T10:00:00.0004Z")
                    .event("u1", "view_dashboard", "2023-01-01T10:30:00.0009Z");
            Map<String, Object> answer = h.queries.userSessions(new SessionsQuery(10, SessionOrder.TOTAL_SESSIONS));
            Map<?, ?> row = (Map<?, ?>) ((List<?>) answer.get("user_sessions")).get(0);
            assertEquals(2, row.get("total_sessions"), "30 min + 0.5 microseconds is more than 30 minutes");
        }
    }
}
