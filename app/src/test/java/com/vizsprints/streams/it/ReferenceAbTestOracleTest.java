package com.vizsprints.streams.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vizsprints.streams.processor.model.EventRecord;
import com.vizsprints.streams.processor.model.UserRecord;
import com.vizsprints.streams.query.service.AnalyticsQueryService;
import com.vizsprints.streams.query.service.PartitionStores;
import com.vizsprints.streams.query.service.StoreAccess;
import com.vizsprints.streams.query.service.Queries.AbTestQuery;
import com.vizsprints.streams.query.service.Queries.Simulation;
import com.vizsprints.streams.query.service.TopologyHarness;
import com.vizsprints.streams.replay.EventsCsv;
import com.vizsprints.streams.replay.UsersCsv;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link ReferenceAbTest} is the oracle for order-dependent /api/ab-test requests. Here it is
 * checked against the reference itself (the goldens) and against hand-derived values, and then
 * used on the production answer without a broker: on reordered sample data through the real
 * topology, and on a grid of simulation inputs.
 */
class ReferenceAbTestOracleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path GOLDENS = RepositoryData.sampleGoldens();
    private static final Path DATA = RepositoryData.sampleData();

    private static List<UserRecord> users;
    private static List<EventRecord> events;

    @BeforeAll
    static void readSample() throws Exception {
        users = UsersCsv.readAll(DATA.resolve("users.csv")).records();
        events = EventsCsv.readAll(DATA.resolve("events.csv")).records();
        assertEquals(1000, users.size());
        assertEquals(15_862, events.size());
    }

    // ------------------------------------------------------------------ the oracle against the reference

    @Test
    void oracleAnswersEveryLiveAbTestGoldenExactly() throws Exception {
        assertNull(sameValues(golden("ab-test.json"), ReferenceAbTest.answer(users, events, null, null, 0.95)));
        assertNull(sameValues(golden("ab-test__confidence_level=0.99.json"), ReferenceAbTest.answer(users, events, null, null, 0.99)));
        assertNull(sameValues(golden("ab-test__limit=500.json"), ReferenceAbTest.answer(users, events, 500, null, 0.95)));
        assertNull(sameValues(golden("ab-test__event_limit=5000.json"), ReferenceAbTest.answer(users, events, null, 5000, 0.95)));
        assertNull(sameValues(golden("ab-test__limit=300__event_limit=4000.json"), ReferenceAbTest.answer(users, events, 300, 4000, 0.95)));
    }

    @Test
    void oracleStatisticsAnswerTheSimulationGoldenExactly() throws Exception {
        JsonNode golden = golden("ab-test__manual_n_a=1000__manual_conv_a=10__manual_n_b=1000__manual_conv_b=12.5.json");
        assertNull(sameValues(golden.get("stats"), JSON.valueToTree(ReferenceAbTest.stats(1000, 0.10, 1000, 0.125, 0.95))));
    }

    /** Values derived by hand (and with Python's math.erfc / round) independently of this code. */
    @Test
    void oracleBuildingBlocksMatchHandDerivedValues() {
        assertEquals(0.5, ReferenceAbTest.phi(0));
        // 0.5 * math.erfc(-x / math.sqrt(2)) in Python
        assertEquals(0.8413447460685429, ReferenceAbTest.phi(1), 5e-16);
        assertEquals(0.15865525393145707, ReferenceAbTest.phi(-1), 5e-16);
        assertEquals(0.9750021048517795, ReferenceAbTest.phi(1.96), 5e-16);
        assertEquals(0.9986501019683699, ReferenceAbTest.phi(3), 5e-16);
        assertEquals(2.866515718791946e-07, 1 - ReferenceAbTest.phi(5), 1e-15);
        assertEquals(2.866515718791946e-07, ReferenceAbTest.phi(-5), 1e-21, "the lower tail keeps its relative precision");
        assertEquals(7.619853024160593e-24, ReferenceAbTest.phi(-10), 1e-36);
        // scipy.stats.norm.ppf(0.975), norm.ppf(0.995)
        assertEquals(1.959963984540054, ReferenceAbTest.phiInverse(0.975), 1e-14);
        assertEquals(2.5758293035489004, ReferenceAbTest.phiInverse(0.995), 1e-14);
        // Python's round: the exact binary value, half to even
        assertEquals(2.67, ReferenceAbTest.pythonRound(2.675, 2), "2.675 is 2.67499999... in binary");
        assertEquals(0.12, ReferenceAbTest.pythonRound(0.125, 2), "0.125 is exact: half to even");
        assertEquals(0.38, ReferenceAbTest.pythonRound(0.375, 2));
        assertEquals(-0.12, ReferenceAbTest.pythonRound(-0.125, 2));
        assertEquals(2.0, ReferenceAbTest.pythonRound(2.5, 0));
        assertEquals(4.0, ReferenceAbTest.pythonRound(3.5, 0));
        assertEquals(1.5653, ReferenceAbTest.pythonRound(1.56534, 4));
        assertEquals(0.0, ReferenceAbTest.pythonRound(0.00004, 4));
        // round(100 - 100 * 0.9345, 2) == 6.55 in Python (the difference is 6.549999999999997)
        assertEquals(6.55, ReferenceAbTest.pythonRound(100 - 100 * 0.9345, 2));
    }

    // ------------------------------------------------------------------ production against the oracle

    @Test
    void productionAnswersAsTheOracleOnReversedUsersAndShuffledEventsWithBlankFields() throws Exception {
        List<UserRecord> reversed = new ArrayList<>(users);
        Collections.reverse(reversed);
        List<EventRecord> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(20261128));
        // some blank fields too (missing values): users in no variant, events in no stage
        for (int i = 0; i < reversed.size(); i += 17) {
            UserRecord u = reversed.get(i);
            reversed.set(i, new UserRecord(u.userId(), i % 2 == 0 ? null : u.joinedAt(), u.device(), u.country(),
                    u.subscriptionStatus(), null, u.position()));
        }
        for (int i = 0; i < shuffled.size(); i += 13) {
            EventRecord e = shuffled.get(i);
            shuffled.set(i, new EventRecord(e.eventId(), e.userId(), null, e.timestamp(), e.metadata(), e.position()));
        }
        try (TopologyHarness h = new TopologyHarness()) {
            for (int i = 0; i < reversed.size(); i++) {
                UserRecord u = reversed.get(i);
                h.userAt(i, u.userId(), u.joinedAt(), u.device(), u.country(), u.subscriptionStatus(), u.abVariant());
            }
            for (int i = 0; i < shuffled.size(); i++) {
                EventRecord e = shuffled.get(i);
                h.eventAt(i, e.eventId(), e.userId(), e.eventName(), e.timestamp());
            }
            Object[][] requests = {
                    {null, null, 0.95}, {500, null, 0.95}, {null, 5000, 0.95}, {300, 4000, 0.95},
                    {123, null, 0.9}, {null, 777, 0.999}, {999, 15_000, 0.8}, {1, 1, 0.95}, {37, 20_000, 0.5}};
            for (Object[] r : requests) {
                Integer limit = (Integer) r[0];
                Integer eventLimit = (Integer) r[1];
                double confidence = (Double) r[2];
                JsonNode expected = ReferenceAbTest.answer(reversed, shuffled, limit, eventLimit, confidence);
                JsonNode actual = JSON.valueToTree(h.queries.abTest(new AbTestQuery(confidence,
                        limit == null ? null : (long) limit, eventLimit == null ? null : (long) eventLimit, null)));
                String where = "limit=" + limit + " event_limit=" + eventLimit + " confidence=" + confidence;
                assertNull(sameValues(expected, actual), where);
            }
            JsonNode limited = JSON.valueToTree(h.queries.abTest(new AbTestQuery(0.95, 500L, null, null)));
            assertTrue(!limited.get("variant_A").equals(golden("ab-test__limit=500.json").get("variant_A")),
                    "the first 500 users of the reversed file are other users than in the original order");
        }
    }

    @Test
    void productionStatisticsAnswerAsTheOracleOnAGridOfSimulations() {
        AnalyticsQueryService unusedStores = noStores();
        Random random = new Random(7);
        double[] confidences = {0.5, 0.8, 0.9, 0.95, 0.99, 0.999};
        int checked = 0;
        for (int i = 0; i < 3000; i++) {
            long nA = 1 + random.nextInt(i % 2 == 0 ? 50 : 20_000);
            long nB = 1 + random.nextInt(i % 3 == 0 ? 50 : 20_000);
            double convAPercent = random.nextInt(1001) / 10.0;
            double convBPercent = random.nextInt(1001) / 10.0;
            double confidence = confidences[i % confidences.length];
            Map<String, Object> actual = unusedStores.abTest(new AbTestQuery(confidence, null, null,
                    new Simulation(nA, convAPercent, nB, convBPercent)));
            JsonNode expected = JSON.valueToTree(ReferenceAbTest.stats(nA, convAPercent / 100, nB, convBPercent / 100, confidence));
            String problem = sameValues(expected, JSON.valueToTree(actual.get("stats")));
            if (problem != null) {
                fail("n_a=" + nA + " conv_a=" + convAPercent + " n_b=" + nB + " conv_b=" + convBPercent
                        + " confidence=" + confidence + ": " + problem);
            }
            checked++;
        }
        assertEquals(3000, checked);
    }

    /** A query service over no stores: enough for the simulation mode, which reads none. */
    private static AnalyticsQueryService noStores() {
        return new AnalyticsQueryService(new StoreAccess() {
            @Override
            public List<PartitionStores> allPartitions() {
                throw new AssertionError("the simulation mode reads no store");
            }

            @Override
            public StreamStatus status() {
                throw new AssertionError("the simulation mode reads no status");
            }
        });
    }

    // ------------------------------------------------------------------ helpers

    private static JsonNode golden(String file) throws Exception {
        return JSON.readTree(GOLDENS.resolve(file).toFile());
    }

    /**
     * Null when both trees hold the same fields in the same order with the same values (numbers
     * compared by value, so 512 equals 512L and 15.63 equals 15.63, but 0 differs from 0.0 only
     * in type, which is allowed); else the first difference.
     */
    static String sameValues(JsonNode expected, JsonNode actual) {
        return sameValues(expected, actual, "$");
    }

    private static String sameValues(JsonNode expected, JsonNode actual, String path) {
        if (actual == null) {
            return path + ": missing, expected " + expected;
        }
        if (expected.isNumber()) {
            return actual.isNumber() && expected.doubleValue() == actual.doubleValue() ? null
                    : path + ": expected " + expected + " but was " + actual;
        }
        if (expected.isObject()) {
            if (!actual.isObject()) {
                return path + ": expected an object but was " + actual;
            }
            List<String> want = new ArrayList<>();
            expected.fieldNames().forEachRemaining(want::add);
            List<String> got = new ArrayList<>();
            actual.fieldNames().forEachRemaining(got::add);
            if (!new java.util.HashSet<>(want).equals(new java.util.HashSet<>(got))) {
                return path + ": fields " + got + " instead of " + want;
            }
            for (String f : want) {
                String p = sameValues(expected.get(f), actual.get(f), path + "." + f);
                if (p != null) {
                    return p;
                }
            }
            return null;
        }
        if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                return path + ": expected " + expected.size() + " elements but was " + actual;
            }
            Iterator<JsonNode> a = actual.elements();
            int i = 0;
            for (JsonNode e : expected) {
                String p = sameValues(e, a.next(), path + "[" + i++ + "]");
                if (p != null) {
                    return p;
                }
            }
            return null;
        }
        return expected.equals(actual) ? null : path + ": expected " + expected + " but was " + actual;
    }
}
