package com.vizsprints.streams.query.service;

import com.vizsprints.streams.processor.model.EventRecord;
import com.vizsprints.streams.processor.model.UserRecord;
import com.vizsprints.streams.processor.schema.IndexKeys.SessionOrder;
import com.vizsprints.streams.query.service.Queries.AbTestQuery;
import com.vizsprints.streams.query.service.Queries.EventsQuery;
import com.vizsprints.streams.query.service.Queries.SessionsQuery;
import com.vizsprints.streams.query.service.Queries.UsersQuery;
import com.vizsprints.streams.replay.CsvContents;
import com.vizsprints.streams.replay.EventsCsv;
import com.vizsprints.streams.replay.UsersCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A blank field is a missing value (pandas' NaN in the reference): CSV text through the replay
 * tool's parser, the real topology and the query service. The row counts wherever the reference
 * counts it; answers show null.
 */
@SuppressWarnings("unchecked")
class BlankFieldsTest {
    private static final String USERS_HEADER = "user_id,joined_at,device,country,subscription_status,ab_variant";
    private static final String EVENTS_HEADER = "event_id,user_id,event_name,timestamp,metadata";

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> m, String field) {
        return (List<Map<String, Object>>) m.get(field);
    }

    private List<UserRecord> users(String... rows) throws Exception {
        CsvContents<UserRecord> c = UsersCsv.readAll(Files.writeString(dir.resolve("users.csv"),
                USERS_HEADER + "\n" + String.join("\n", rows) + "\n"));
        assertEquals(List.of(), c.rejected(), "blank fields do not make a row bad");
        return c.records();
    }

    private List<EventRecord> events(String... rows) throws Exception {
        CsvContents<EventRecord> c = EventsCsv.readAll(Files.writeString(dir.resolve("events.csv"),
                EVENTS_HEADER + "\n" + String.join("\n", rows) + "\n"));
        assertEquals(List.of(), c.rejected(), "blank fields do not make a row bad");
        return c.records();
    }

    /**
     * The case of the review: one blank joined_at, one blank ab_variant, one blank event_name.
     * The reference counts 3 users, revenue 157 (99 + 29 + 29) and 3 events; rejecting the rows
     * gave 1 user, revenue 29 and 2 events.
     */
    private TopologyHarness threeUserCase(boolean eventsFirst) throws Exception {
        List<UserRecord> users = users(
                "u1,,Desktop,US,Enterprise,A",
                "u2,2023-01-02T09:00:00Z,Mobile,DE,Premium,",
                "u3,2023-01-03T09:00:00Z,Mobile,US,Premium,B");
        List<EventRecord> events = events(
                "e1,u1,signup_success,2023-01-05T10:00:00Z,\"{}\"",
                "e2,u2,complete_task,2023-01-05T11:00:00Z,\"{}\"",
                "e3,u3,,2023-02-06T12:00:00Z,");
        TopologyHarness h = new TopologyHarness();
        if (eventsFirst) {
            events.forEach(h::event);
            users.forEach(h::user);
        } else {
            users.forEach(h::user);
            events.forEach(h::event);
        }
        return h;
    }

    @Test
    void theThreeUserCaseCountsAsTheReference() throws Exception {
        for (boolean eventsFirst : new boolean[]{false, true}) {
            try (TopologyHarness h = threeUserCase(eventsFirst)) {
                Map<String, Object> metrics = h.queries.metrics();
                String order = eventsFirst ? "events first" : "users first";
                assertEquals(3L, metrics.get("total_users"), order);
                assertEquals(157L, ((Number) metrics.get("revenue")).longValue(), order);
                assertEquals(3L, metrics.get("total_events"), order);
                assertEquals(1.0, metrics.get("avg_events_per_user"), order);
                assertEquals(33.33, metrics.get("conversion_rate"), order);
                assertEquals(1L, ((Number) metrics.get("active_users")).longValue(), "only u3 was active in the 30 days before 2023-02-06: " + order);
            }
        }
    }

    @Test
    void answersShowMissingValuesAsNull() throws Exception {
        try (TopologyHarness h = threeUserCase(false)) {
            Map<String, Object> users = h.queries.users(new UsersQuery(null, null, null, 1000, 0));
            assertEquals(3L, users.get("total"));
            Map<String, Object> u1 = list(users, "users").get(0);
            assertEquals("u1", u1.get("user_id"));
            assertTrue(u1.containsKey("joined_at"));
            assertNull(u1.get("joined_at"));
            assertEquals("Enterprise", u1.get("subscription_status"));
            Map<String, Object> u2 = list(users, "users").get(1);
            assertTrue(u2.containsKey("ab_variant"));
            assertNull(u2.get("ab_variant"));
            assertEquals("2023-01-02T09:00:00Z", u2.get("joined_at"));

            Map<String, Object> events = h.queries.events(new EventsQuery(null, null, null, null));
            assertEquals(3L, ((Number) events.get("total")).longValue());
            Map<String, Object> e3 = list(events, "events").get(2);
            assertEquals("e3", e3.get("event_id"));
            assertTrue(e3.containsKey("event_name") && e3.containsKey("metadata"));
            assertNull(e3.get("event_name"));
            assertNull(e3.get("metadata"));
            Map<String, Object> ofU3 = h.queries.events(new EventsQuery("u3", null, null, null));
            assertEquals(1L, ((Number) ofU3.get("total")).longValue());
            assertNull(list(ofU3, "events").get(0).get("event_name"));
        }
    }

    @Test
    void aBlankVariantIsInNoVariant() throws Exception {
        try (TopologyHarness h = threeUserCase(true)) {
            for (AbTestQuery q : List.of(new AbTestQuery(0.95, null, null, null), new AbTestQuery(0.95, 3L, null, null),
                    new AbTestQuery(0.95, null, 3L, null), new AbTestQuery(0.95, 3L, 3L, null))) {
                Map<String, Object> ab = h.queries.abTest(q);
                Map<String, Object> a = (Map<String, Object>) ab.get("variant_A");
                Map<String, Object> b = (Map<String, Object>) ab.get("variant_B");
                assertEquals(1L, ((Number) a.get("total_users")).longValue(), q.toString());
                assertEquals(1L, ((Number) b.get("total_users")).longValue(), q.toString());
                assertEquals(1L, ((Number) a.get("total_events")).longValue(), q.toString());
                assertEquals(1L, ((Number) b.get("total_events")).longValue(), "u3's unnamed event is B's: " + q);
                assertEquals(1L, ((Number) list(a, "funnel").get(0).get("users")).longValue(), q.toString());
                for (Map<String, Object> stage : list(b, "funnel")) {
                    assertEquals(0L, ((Number) stage.get("users")).longValue(), "an unnamed event is in no stage: " + q);
                }
            }
            // the first two users are u1 (A) and u2 (no variant): B is empty
            Map<String, Object> firstTwo = h.queries.abTest(new AbTestQuery(0.95, 2L, null, null));
            assertEquals(1L, ((Number) ((Map<String, Object>) firstTwo.get("variant_A")).get("total_users")).longValue());
            assertEquals(0L, ((Number) ((Map<String, Object>) firstTwo.get("variant_B")).get("total_users")).longValue());
        }
    }

    @Test
    void aBlankJoinedAtIsInNoCohortAndNoSignupDayButCountsInActivity() throws Exception {
        try (TopologyHarness h = threeUserCase(false)) {
            Map<String, Object> cohorts = h.queries.cohorts();
            List<Map<String, Object>> rows = list(cohorts, "cohorts");
            assertEquals(1, rows.size(), rows.toString());
            assertEquals("2023-01", rows.get(0).get("cohort"));
            assertEquals(2L, rows.get(0).get("size"), "u2 and u3; u1 has no cohort");
            assertEquals(1, cohorts.get("max_months"));
            assertEquals(50.0, rows.get(0).get("month_0"));
            assertEquals(50.0, rows.get(0).get("month_1"));

            Map<String, long[]> series = new HashMap<>();
            for (Map<String, Object> day : h.queries.kpiTimeSeries()) {
                series.put((String) day.get("date"), new long[]{((Number) day.get("dau")).longValue(), ((Number) day.get("signups")).longValue()});
            }
            assertEquals(List.of("2023-01-02", "2023-01-03", "2023-01-05", "2023-02-06"), series.keySet().stream().sorted().toList());
            assertEquals("[0, 1]", Arrays.toString(series.get("2023-01-02")));
            assertEquals("[0, 1]", Arrays.toString(series.get("2023-01-03")));
            assertEquals("[2, 0]", Arrays.toString(series.get("2023-01-05")), "u1's event is activity");
            assertEquals("[1, 0]", Arrays.toString(series.get("2023-02-06")), "an unnamed event is activity");

            Map<String, Object> sessions = h.queries.userSessions(new SessionsQuery(100, SessionOrder.TOTAL_HOURS));
            assertEquals(3, sessions.get("total_users"));

            List<Map<String, Object>> funnel = list(h.queries.funnel(), "funnel");
            assertEquals(1L, funnel.get(0).get("users"));
            assertEquals(1L, funnel.get(3).get("users"));
            assertEquals(3L, h.queries.funnel().get("total_users"));
        }
    }

    @Test
    void filtersNeverMatchAMissingValue() throws Exception {
        try (TopologyHarness h = new TopologyHarness()) {
            users(
                    "u1,2023-01-01T00:00:00Z,Mobile,,Free,A",
                    "u2,2023-01-01T00:00:00Z,,US,,B",
                    "u3,2023-01-01T00:00:00Z,Mobile,US,Premium,A",
                    "u4,,,,,").forEach(h::user);
            events("e1,u1,,2023-01-01T00:00:00Z,",
                    "e2,u2,login,2023-01-01T00:00:00Z,\"{}\"").forEach(h::event);

            assertEquals(List.of("u2", "u3"), ids(h.queries.users(new UsersQuery("US", null, null, 1000, 0))));
            assertEquals(2L, h.queries.users(new UsersQuery("US", null, null, 1000, 0)).get("total"));
            assertEquals(List.of("u1", "u3"), ids(h.queries.users(new UsersQuery(null, "Mobile", null, 1000, 0))));
            assertEquals(1L, h.queries.users(new UsersQuery(null, null, "Free", 1000, 0)).get("total"));
            assertEquals(List.of("u3"), ids(h.queries.users(new UsersQuery("US", "Mobile", null, 1000, 0))));
            assertEquals(1L, h.queries.users(new UsersQuery("US", "Mobile", null, 1000, 0)).get("total"));
            assertEquals(0L, h.queries.users(new UsersQuery("null", null, null, 1000, 0)).get("total"),
                    "a missing value is not the text 'null'");
            assertEquals(4L, h.queries.users(new UsersQuery(null, null, null, 1000, 0)).get("total"));
            assertEquals(29L, ((Number) h.queries.metrics().get("revenue")).longValue(), "blank plans add no revenue");

            assertEquals(1L, ((Number) h.queries.events(new EventsQuery(null, "login", null, null)).get("total")).longValue());
            assertEquals(0L, ((Number) h.queries.events(new EventsQuery(null, "null", null, null)).get("total")).longValue());
            assertEquals(2L, ((Number) h.queries.events(new EventsQuery(null, null, 0L, Long.MAX_VALUE)).get("total")).longValue());
        }
    }

    @Test
    void aRecordIsBadOnlyWithoutAnIdOrTimestampOrWithAnUnparsableValue() {
        try (TopologyHarness h = new TopologyHarness()) {
            h.rawUser("u9", "{\"user_id\":\"u9\"}");
            h.rawUser("u8", "{\"user_id\":\"u8\",\"joined_at\":\"\",\"device\":null,\"country\":\"\",\"subscription_status\":\"\",\"ab_variant\":\"\"}");
            h.rawUser("u7", "{\"joined_at\":\"2023-01-01T00:00:00Z\"}");
            h.rawUser("u6", "{\"user_id\":\"u6\",\"joined_at\":\"soon\"}");
            h.rawEvent("u9", "{\"event_id\":\"e1\",\"user_id\":\"u9\",\"timestamp\":\"2023-01-01T00:00:00Z\"}");
            h.rawEvent("u9", "{\"event_id\":\"e2\",\"user_id\":\"u9\",\"event_name\":\"login\"}");
            h.rawEvent("u9", "{\"user_id\":\"u9\",\"event_name\":\"login\",\"timestamp\":\"2023-01-01T00:00:00Z\"}");
            h.rawEvent("u8", "{\"event_id\":\"e3\",\"user_id\":\"u8\",\"event_name\":\"\",\"timestamp\":\"2023-01-01T00:00:01Z\",\"metadata\":\"\"}");

            assertEquals(4, h.deadLetters().readRecordsToList().size(), "u7 (no user_id), u6 (bad joined_at), e2 (no timestamp), no event_id");
            Map<String, Object> metrics = h.queries.metrics();
            assertEquals(2L, metrics.get("total_users"));
            assertEquals(2L, metrics.get("total_events"));
            assertEquals(0L, ((Number) metrics.get("revenue")).longValue());
            Map<String, Object> u8 = list(h.queries.users(new UsersQuery(null, null, null, 1000, 0)), "users").get(0);
            assertEquals("u8", u8.get("user_id"));
            for (String field : List.of("joined_at", "device", "country", "subscription_status", "ab_variant")) {
                assertTrue(u8.containsKey(field), field);
                assertNull(u8.get(field), "\"\" and null are both missing: " + field);
            }
            Map<String, Object> e3 = list(h.queries.events(new EventsQuery("u8", null, null, null)), "events").get(0);
            assertNull(e3.get("event_name"));
            assertNull(e3.get("metadata"));
        }
    }

    @Test
    void anUpdatedRowFillingAMissingValueMovesTheUserAndBackExactly() throws Exception {
        try (TopologyHarness h = threeUserCase(false)) {
            Map<String, Object> before = snapshot(h);
            h.user(new UserRecord("u1", "2023-03-01T00:00:00Z", "Desktop", "US", "Enterprise", "A", 0));
            h.user(new UserRecord("u2", "2023-01-02T09:00:00Z", "Mobile", "DE", "Premium", "B", 1));
            Map<String, Object> cohorts = h.queries.cohorts();
            assertEquals(2, list(cohorts, "cohorts").size(), "u1 now has the 2023-03 cohort");
            assertEquals("2023-03", list(cohorts, "cohorts").get(1).get("cohort"));
            assertEquals(1L, list(cohorts, "cohorts").get(1).get("size"));
            Map<String, Object> b = (Map<String, Object>) h.queries.abTest(new AbTestQuery(0.95, null, null, null)).get("variant_B");
            assertEquals(2L, ((Number) b.get("total_users")).longValue());
            assertEquals(1L, ((Number) list(b, "funnel").get(3).get("users")).longValue(), "u2's complete_task is B's now");

            h.user(new UserRecord("u1", null, "Desktop", "US", "Enterprise", "A", 0));
            h.user(new UserRecord("u2", "2023-01-02T09:00:00Z", "Mobile", "DE", "Premium", null, 1));
            assertEquals(before, snapshot(h), "blanking the values again gives the first answers");
        }
    }

    private static Map<String, Object> snapshot(TopologyHarness h) {
        Map<String, Object> all = new HashMap<>();
        all.put("metrics", h.queries.metrics());
        all.put("cohorts", h.queries.cohorts());
        all.put("kpi", h.queries.kpiTimeSeries());
        all.put("ab", h.queries.abTest(new AbTestQuery(0.95, null, null, null)));
        all.put("ab-limited", h.queries.abTest(new AbTestQuery(0.95, 2L, 2L, null)));
        all.put("users", h.queries.users(new UsersQuery(null, null, null, 1000, 0)));
        all.put("funnel", h.queries.funnel());
        return all;
    }

    private static List<Object> ids(Map<String, Object> users) {
        return list(users, "users").stream().map(u -> u.get("user_id")).toList();
    }
}
