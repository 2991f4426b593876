package com.vizsprints.streams.query.service;

import com.vizsprints.streams.processor.logic.UserState;
import com.vizsprints.streams.processor.logic.UserSummary;
import com.vizsprints.streams.processor.schema.IndexKeys.SessionOrder;
import com.vizsprints.streams.processor.schema.StateStores;
import com.vizsprints.streams.processor.state.FactStore;
import com.vizsprints.streams.processor.state.FactStoreSupplier;
import com.vizsprints.streams.processor.topology.LegacyTopology;
import com.vizsprints.streams.query.service.Queries.AbTestQuery;
import com.vizsprints.streams.query.service.Queries.EventsQuery;
import com.vizsprints.streams.query.service.Queries.SessionsQuery;
import com.vizsprints.streams.query.service.Queries.UsersQuery;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.test.TestRecord;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The facts store against the implementation it replaced (kept as {@link LegacyTopology}): over
 * seeded random streams of user rows and events (shuffled; duplicates at earlier and later
 * positions; late, updated and deleted users; events close enough to merge sessions; day, month
 * and year boundaries), every endpoint answers the same through the processing path, through a
 * restore of the changelog, and through a restore of the compacted changelog.
 */
class FactStoreEquivalenceTest {
    private static final int SEEDS = 25;
    private static final String CHANGELOG = "vizsprints-streams-" + StateStores.FACTS + "-changelog";

    @Test
    void processingRestoreAndCompactedRestoreAnswerAsTheLegacyImplementation() throws Exception {
        for (int seed = 1; seed <= SEEDS; seed++) {
            List<Input> inputs = randomInputs(new Random(seed));
            try (TopologyHarness legacy = new TopologyHarness(LegacyTopology::build, FactStoreEquivalenceTest::legacyStores);
                 TopologyHarness facts = new TopologyHarness()) {
                inputs.forEach(i -> i.pipe(legacy));
                inputs.forEach(i -> i.pipe(facts));
                Map<String, Object> expected = answers(legacy.queries);
                assertEquals(expected, answers(facts.queries), "processing path, seed " + seed);

                List<ConsumerRecord<byte[], byte[]>> changelog = changelog(facts.driver);
                assertEquals(expected, restoredAnswers(changelog, new Random(seed)), "restore, seed " + seed);
                assertEquals(expected, restoredAnswers(compacted(changelog), new Random(seed)), "compacted restore, seed " + seed);
            }
        }
    }

    @Test
    void theChangelogCarriesOneRecordPerFactAndNothingDerived() {
        try (TopologyHarness facts = new TopologyHarness()) {
            facts.user("u1", "2023-01-01T00:00:00Z", "Premium", "A")
                    .eventAt(0, "e0", "u1", "signup_success", "2023-01-01T00:00:00Z")
                    .eventAt(1, "e1", "u1", "view_dashboard", "2023-01-01T00:10:00Z")
                    .eventAt(2, "e1", "u1", "view_dashboard", "2023-01-01T00:10:00Z");
            List<ConsumerRecord<byte[], byte[]>> log = changelog(facts.driver);
            // one profile, two events, one duplicate counter update
            assertEquals(List.of("A", "P", "P", "C"), log.stream().map(r -> String.valueOf((char) r.key()[0])).toList());
        }
    }

    // ------------------------------------------------------------------ answers

    private static Map<String, Object> answers(AnalyticsQueryService q) {
        Map<String, Object> all = new LinkedHashMap<>(OrderIndependenceTest.everything(q));
        all.put("ab-limited", q.abTest(new AbTestQuery(0.95, 7L, null, null)));
        all.put("ab-event-limited", q.abTest(new AbTestQuery(0.95, null, 60L, null)));
        all.put("ab-both", q.abTest(new AbTestQuery(0.95, 11L, 90L, null)));
        all.put("users-premium", q.users(new UsersQuery(null, null, "Premium", 1000, 0)));
        all.put("users-page", q.users(new UsersQuery("US", null, null, 3, 2)));
        all.put("events-u3", q.events(new EventsQuery("u3", null, null, null)));
        all.put("events-january", q.events(new EventsQuery(null, "view_dashboard",
                Instant.parse("2023-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L,
                Instant.parse("2023-01-31T12:00:00Z").getEpochSecond() * 1_000_000_000L)));
        for (SessionOrder o : SessionOrder.values()) {
            all.put("all-sessions-" + o, q.userSessions(new SessionsQuery(1_000_000, o)));
        }
        return all;
    }

    private static Map<String, Object> restoredAnswers(List<ConsumerRecord<byte[], byte[]>> changelog, Random random) throws Exception {
        Path dir = Files.createTempDirectory("vizsprints-restore-");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "restore-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>(props, new TaskId(0, 0), dir.toFile());
        FactStore store = (FactStore) new FactStoreSupplier(StateStores.FACTS).get();
        store.init(context.getStateStoreContext(), store);
        try {
            for (int i = 0; i < changelog.size(); ) {
                int n = 1 + random.nextInt(50);
                store.restoreBatch(changelog.subList(i, Math.min(changelog.size(), i + n)));
                i += n;
            }
            AnalyticsQueryService q = new AnalyticsQueryService(new StoreAccess() {
                @Override
                public List<PartitionStores> allPartitions() {
                    return List.of(FactViews.of(0, store));
                }

                @Override
                public StreamStatus status() {
                    return new StreamStatus("RUNNING", true, 0L);
                }
            });
            return answers(q);
        } finally {
            store.close();
            Utils.delete(dir.toFile());
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> changelog(TopologyTestDriver driver) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long offset = 0;
        for (TestRecord<byte[], byte[]> r : driver.createOutputTopic(CHANGELOG, new ByteArrayDeserializer(),
                new ByteArrayDeserializer()).readRecordsToList()) {
            records.add(new ConsumerRecord<>(CHANGELOG, 0, offset++, r.key(), r.value()));
        }
        assertTrue(!records.isEmpty(), "the facts store must be changelogged");
        return records;
    }

    /** What log compaction may leave: the last record of each key, tombstones dropped. */
    private static List<ConsumerRecord<byte[], byte[]>> compacted(List<ConsumerRecord<byte[], byte[]>> log) {
        Map<Bytes, ConsumerRecord<byte[], byte[]>> last = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : log) {
            last.remove(Bytes.wrap(r.key()));
            last.put(Bytes.wrap(r.key()), r);
        }
        return last.values().stream().filter(r -> r.value() != null).toList();
    }

    // ------------------------------------------------------------------ the legacy stores as the query service reads them

    private static PartitionStores legacyStores(TopologyTestDriver driver, int partition) {
        KeyValueStore<String, UserState> users = driver.getKeyValueStore(LegacyTopology.USER_STATE);
        return new PartitionStores(partition, new SummariesOf(users), driver.getKeyValueStore(LegacyTopology.AGGREGATES),
                driver.getKeyValueStore(LegacyTopology.SESSION_RANK), driver.getKeyValueStore(LegacyTopology.INPUT_ORDER),
                driver.getKeyValueStore(LegacyTopology.TIMELINE));
    }

    /** The legacy per-user states (every event time) summarised as the query service reads users. */
    private record SummariesOf(ReadOnlyKeyValueStore<String, UserState> states) implements ReadOnlyKeyValueStore<String, UserSummary> {
        private static UserSummary summary(UserState s) {
            return s == null ? null : UserSummary.of(s.userId(), s.profile(), s.eventNanos(), s.stageMask());
        }

        @Override
        public UserSummary get(String key) {
            return summary(states.get(key));
        }

        @Override
        public KeyValueIterator<String, UserSummary> range(String from, String to) {
            return mapped(states.range(from, to));
        }

        @Override
        public KeyValueIterator<String, UserSummary> all() {
            return mapped(states.all());
        }

        @Override
        public <PS extends Serializer<P>, P> KeyValueIterator<String, UserSummary> prefixScan(P prefix, PS serializer) {
            return mapped(states.prefixScan(prefix, serializer));
        }

        @Override
        public long approximateNumEntries() {
            return states.approximateNumEntries();
        }

        private static KeyValueIterator<String, UserSummary> mapped(KeyValueIterator<String, UserState> it) {
            return new KeyValueIterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public KeyValue<String, UserSummary> next() {
                    KeyValue<String, UserState> kv = it.next();
                    return KeyValue.pair(kv.key, summary(kv.value));
                }

                @Override
                public String peekNextKey() {
                    return it.peekNextKey();
                }

                @Override
                public void close() {
                    it.close();
                }
            };
        }
    }

    // ------------------------------------------------------------------ random inputs

    private interface Input {
        void pipe(TopologyHarness h);
    }

    private static final String[] NAMES = {"signup_success", "view_dashboard", "start_project", "complete_task",
            "invite_user", "open_settings"};
    private static final String[] PLANS = {"Free", "Premium", "Enterprise"};
    private static final String[] COUNTRIES = {"US", "DE", "IN"};
    private static final String[] DEVICES = {"Mobile", "Desktop"};

    /**
     * About 30 users and 300 events around a year boundary: bursts of events minutes apart (sessions
     * that merge and split), some in the same second, days and months apart; user rows before,
     * between and after their events, some updated and some deleted; event rows duplicated at
     * earlier and later positions; then everything shuffled.
     */
    static List<Input> randomInputs(Random r) {
        List<Input> inputs = new ArrayList<>();
        int users = 10 + r.nextInt(25);
        long base = Instant.parse("2022-12-20T00:00:00Z").toEpochMilli();
        long eventPos = 0;
        long userPos = 0;
        List<Input> duplicates = new ArrayList<>();
        java.util.Set<Long> taken = new java.util.HashSet<>();
        for (int u = 0; u < users; u++) {
            String id = "u" + u;
            long t = base + (long) r.nextInt(60 * 24 * 60) * 60_000L;
            int events = r.nextInt(30);
            for (int e = 0; e < events; e++) {
                int step = r.nextInt(10);
                t += step < 5 ? r.nextInt(31) * 60_000L : step < 7 ? r.nextInt(3) * 1000L + (step == 5 ? 0 : 1800_000L)
                        : step < 9 ? r.nextInt(5) * 86_400_000L : r.nextInt(70) * 86_400_000L;
                String ts = Instant.ofEpochMilli(t).toString();
                String name = NAMES[r.nextInt(NAMES.length)];
                long row = eventPos++;
                long pos = 3 * row;
                String eventId = "e" + row;
                inputs.add(h -> h.eventAt(pos, eventId, id, name, ts));
                if (r.nextInt(12) == 0) {
                    // rows of duplicates never share a position with another row: 3k+1 or 3k+2
                    long other = 3L * r.nextInt((int) row + 1) + 1 + duplicates.size() % 2;
                    if (taken.add(other)) {
                        duplicates.add(h -> h.eventAt(other, eventId, id, name, ts));
                    }
                }
            }
            if (r.nextInt(10) < 8) {
                String joined = Instant.ofEpochMilli(base + (long) r.nextInt(90) * 86_400_000L - 40L * 86_400_000L).toString();
                String plan = PLANS[r.nextInt(PLANS.length)];
                String variant = r.nextBoolean() ? "A" : "B";
                String country = COUNTRIES[r.nextInt(COUNTRIES.length)];
                String device = DEVICES[r.nextInt(DEVICES.length)];
                long pos = userPos++;
                inputs.add(h -> h.userAt(pos, id, joined, device, country, plan, variant));
                if (r.nextInt(6) == 0) {
                    String newPlan = PLANS[r.nextInt(PLANS.length)];
                    long later = userPos++;
                    duplicates.add(h -> h.userAt(later, id, joined, device, country, newPlan, variant.equals("A") ? "B" : "A"));
                }
                if (r.nextInt(15) == 0) {
                    duplicates.add(h -> h.rawUser(id, null));
                }
            }
        }
        Collections.shuffle(inputs, r);
        for (Input d : duplicates) {
            inputs.add(r.nextInt(inputs.size() + 1), d);
        }
        return inputs;
    }
}
