package com.vizsprints.streams.query.service;

import com.vizsprints.streams.processor.schema.IndexKeys.SessionOrder;
import com.vizsprints.streams.query.service.Queries.AbTestQuery;
import com.vizsprints.streams.query.service.Queries.EventsQuery;
import com.vizsprints.streams.query.service.Queries.SessionsQuery;
import com.vizsprints.streams.query.service.Queries.UsersQuery;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The merge of partial results: the same rows split over three partitions (as the producers'
 * partitioner splits them) must give exactly the answers of one partition holding everything,
 * for every endpoint, including top-N cuts inside ties and first-N-in-input-order cuts.
 */
class PartitionMergeTest {
    private static final int PARTITIONS = 3;
    private static TopologyHarness whole;
    private static final List<TopologyHarness> parts = new ArrayList<>();
    private static AnalyticsQueryService merged;

    static int partitionOf(String userId) {
        return Utils.toPositive(Utils.murmur2(userId.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    @BeforeAll
    static void load() {
        whole = new TopologyHarness();
        for (int p = 0; p < PARTITIONS; p++) {
            parts.add(new TopologyHarness());
        }
        Random random = new Random(7);
        String[] plans = {"Free", "Premium", "Enterprise"};
        String[] names = {"signup_success", "view_dashboard", "start_project", "complete_task", "invite_user", "login", "logout"};
        int users = 90;
        for (int u = 0; u < users; u++) {
            String id = String.format("u_%03d", u);
            String joined = String.format("2023-%02d-%02dT%02d:00:00Z", 1 + random.nextInt(12), 1 + random.nextInt(28), random.nextInt(24));
            String variant = random.nextBoolean() ? "A" : "B";
            String plan = plans[random.nextInt(3)];
            String country = random.nextBoolean() ? "US" : "DE";
            whole.userAt(u, id, joined, "Mobile", country, plan, variant);
            parts.get(partitionOf(id)).userAt(u, id, joined, "Mobile", country, plan, variant);
        }
        long position = 0;
        for (int i = 0; i < 700; i++) {
            // a third of the users get exactly one event at a shared instant: many ties in every ranking
            int u = i < 30 ? i * 3 : random.nextInt(users + 10);
            String id = String.format("u_%03d", u);
            String ts = i < 30 ? "2023-06-01T12:00:00Z"
                    : String.format("2023-%02d-%02dT%02d:%02d:00Z", 1 + random.nextInt(12), 1 + random.nextInt(28), random.nextInt(24), random.nextInt(60));
            String name = names[random.nextInt(names.length)];
            String eventId = "e" + position;
            whole.eventAt(position, eventId, id, name, ts);
            parts.get(partitionOf(id)).eventAt(position, eventId, id, name, ts);
            position++;
        }
        merged = new AnalyticsQueryService(new StoreAccess() {
            @Override
            public List<PartitionStores> allPartitions() {
                List<PartitionStores> stores = new ArrayList<>();
                for (int p = 0; p < PARTITIONS; p++) {
                    stores.add(parts.get(p).stores(p));
                }
                return stores;
            }

            @Override
            public int partitionOf(String userId) {
                return PartitionMergeTest.partitionOf(userId);
            }

            @Override
            public StreamStatus status() {
                return new StreamStatus("RUNNING", true, 0L);
            }
        });
    }

    @AfterAll
    static void close() {
        whole.close();
        parts.forEach(TopologyHarness::close);
    }

    static Stream<Object[]> requests() {
        Map<String, Function<AnalyticsQueryService, Object>> r = new LinkedHashMap<>();
        r.put("metrics", AnalyticsQueryService::metrics);
        r.put("funnel", AnalyticsQueryService::funnel);
        r.put("cohorts", AnalyticsQueryService::cohorts);
        r.put("kpi-time-series", AnalyticsQueryService::kpiTimeSeries);
        r.put("ab-test", s -> s.abTest(new AbTestQuery(0.95, null, null, null)));
        r.put("ab-test limit=17", s -> s.abTest(new AbTestQuery(0.9, 17L, null, null)));
        r.put("ab-test event_limit=123", s -> s.abTest(new AbTestQuery(0.95, null, 123L, null)));
        r.put("ab-test limit=40 event_limit=300", s -> s.abTest(new AbTestQuery(0.95, 40L, 300L, null)));
        r.put("users", s -> s.users(new UsersQuery(null, null, null, 1000, 0)));
        r.put("users country=DE offset=5 limit=11", s -> s.users(new UsersQuery("DE", null, null, 11, 5)));
        r.put("events", s -> s.events(new EventsQuery(null, null, null, null)));
        r.put("events login in June", s -> s.events(new EventsQuery(null, "login", 1685577600000L, 1688169599000L)));
        r.put("events of u_007", s -> s.events(new EventsQuery("u_007", null, null, null)));
        for (SessionOrder o : SessionOrder.values()) {
            for (long limit : new long[]{5, 31, 1000}) {
                r.put("sessions " + o + " limit=" + limit, s -> s.userSessions(new SessionsQuery(limit, o)));
            }
        }
        return r.entrySet().stream().map(e -> new Object[]{e.getKey(), e.getValue()});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void threePartitionsAnswerExactlyLikeOne(String name, Function<AnalyticsQueryService, Object> request) {
        assertTrue(parts.stream().allMatch(p -> p.queries.metrics().get("total_events") instanceof Long l && l > 0),
                "every partition holds some of the data");
        assertEquals(request.apply(whole.queries), request.apply(merged), name);
    }
}
