package com.vizsprints.streams.processor.state;

import com.vizsprints.streams.processor.logic.SessionSummary;
import com.vizsprints.streams.processor.schema.IndexKeys;
import com.vizsprints.streams.processor.schema.IndexKeys.SessionOrder;
import com.vizsprints.streams.processor.schema.StoreValues;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The in-memory rankings answer every read exactly as RocksDB did when it held the ranking
 * entries: the oracle is a map sorted the way RocksDB sorts keys (unsigned bytes), holding the
 * entries {@link IndexKeys#sessionRank} and {@link StoreValues#encodeSession} define.
 */
class SessionRankingsTest {
    private final Random random = new Random(20261203);

    @Test
    void rangesOverRandomMovesEqualThoseOfTheEntriesSortedAsRocksDbSortsThem() {
        SessionRankings rankings = new SessionRankings();
        NavigableMap<Bytes, byte[]> oracle = new TreeMap<>();
        Map<String, SessionSummary> ranked = new HashMap<>();
        for (int round = 0; round < 40; round++) {
            List<SessionRankings.Move> moves = new ArrayList<>();
            for (int userNumber : random.ints(25, 0, 60).distinct().toArray()) {
                String user = userId(userNumber);
                SessionSummary before = ranked.get(user);
                SessionSummary after = random.nextInt(8) == 0 ? null : randomSessions(user);
                if (before == null && after == null) {
                    continue;
                }
                moves.add(new SessionRankings.Move(before, after));
                if (before != null) {
                    for (SessionOrder order : SessionOrder.values()) {
                        oracle.remove(IndexKeys.sessionRank(order, before));
                    }
                    ranked.remove(user);
                }
                if (after != null) {
                    for (SessionOrder order : SessionOrder.values()) {
                        oracle.put(IndexKeys.sessionRank(order, after), StoreValues.encodeSession(after));
                    }
                    ranked.put(user, after);
                }
            }
            rankings.apply(moves);

            assertEquals(ranked.size(), rankings.size());
            assertSameEntries(oracle, null, null, rankings);
            for (int read = 0; read < 50; read++) {
                Bytes from = randomBound(oracle);
                Bytes to = randomBound(oracle);
                if (from != null && to != null && from.compareTo(to) > 0) {
                    continue;
                }
                assertSameEntries(oracle, from, to, rankings);
            }
            for (Bytes key : oracle.keySet()) {
                assertArrayEquals(oracle.get(key), rankings.get(key));
            }
            for (int read = 0; read < 20 && !oracle.isEmpty(); read++) {
                byte[] k = randomKey(oracle).get();
                byte[] prefix = Arrays.copyOf(k, 1 + random.nextInt(k.length));
                List<String> expected = render(oracle.entrySet().stream()
                        .filter(e -> e.getKey().get().length >= prefix.length
                                && Arrays.equals(e.getKey().get(), 0, prefix.length, prefix, 0, prefix.length))
                        .map(e -> KeyValue.pair(e.getKey(), e.getValue())).toList());
                assertEquals(expected, render(list(rankings.prefixed(Bytes.wrap(prefix)))), "prefix " + Bytes.wrap(prefix));
            }
        }
    }

    @Test
    void theBestOfEachOrderComeFirstWithTiesInUserIdOrder() {
        SessionRankings rankings = new SessionRankings();
        rankings.apply(List.of(
                new SessionRankings.Move(null, new SessionSummary("u2", 3, 1.5, 10, 500)),
                new SessionRankings.Move(null, new SessionSummary("u1", 3, 0.5, 20, 900)),
                new SessionRankings.Move(null, new SessionSummary("u3", 1, 4.0, 30, 100))));

        assertEquals(List.of("u3", "u2", "u1"), users(rankings, SessionOrder.TOTAL_HOURS));
        assertEquals(List.of("u1", "u2", "u3"), users(rankings, SessionOrder.TOTAL_SESSIONS), "3 sessions each: by user id");
        assertEquals(List.of("u1", "u2", "u3"), users(rankings, SessionOrder.LAST_ACTIVITY));
        // users last active at or before 500, the way the active-users count asks for them
        List<KeyValue<Bytes, byte[]>> upTo500 = list(rankings.range(IndexKeys.lastActivityAtOrBefore(500), IndexKeys.lastActivityAtOrBefore(99), false));
        assertEquals(List.of("u2", "u3"), upTo500.stream().map(kv -> StoreValues.decodeSession(kv.value).userId()).toList());
    }

    @Test
    void aMovedUserLeavesItsOldPlaceAndAnUnrankedOneLeavesEveryOrder() {
        SessionRankings rankings = new SessionRankings();
        SessionSummary first = new SessionSummary("u1", 1, 0.25, 10, 10);
        SessionSummary later = new SessionSummary("u1", 2, 0.75, 10, 5000);
        rankings.apply(List.of(new SessionRankings.Move(null, first)));
        rankings.apply(List.of(new SessionRankings.Move(first, later)));

        for (SessionOrder order : SessionOrder.values()) {
            assertNull(rankings.get(IndexKeys.sessionRank(order, first)));
            assertArrayEquals(StoreValues.encodeSession(later), rankings.get(IndexKeys.sessionRank(order, later)));
        }
        rankings.apply(List.of(new SessionRankings.Move(later, null)));
        assertEquals(0, rankings.size());
        assertEquals(List.of(), list(rankings.range(null, null, false)));
    }

    @Test
    void aMoveFromAPlaceTheUserIsNotAtIsRefused() {
        SessionRankings rankings = new SessionRankings();
        rankings.apply(List.of(new SessionRankings.Move(null, new SessionSummary("u1", 1, 0.25, 10, 10))));
        SessionSummary elsewhere = new SessionSummary("u1", 2, 0.25, 10, 10);

        assertThrows(IllegalStateException.class, () -> rankings.apply(List.of(new SessionRankings.Move(elsewhere, null))));
    }

    @Test
    void anOpenIteratorReadsTheRankingsAsTheyWereWhenItOpenedAndTheWriterGoesOnWithoutIt() {
        SessionRankings rankings = new SessionRankings(Duration.ofMillis(50));
        SessionSummary u1 = new SessionSummary("u1", 1, 0.25, 10, 10);
        SessionSummary u2 = new SessionSummary("u2", 2, 0.5, 20, 20);
        rankings.apply(List.of(new SessionRankings.Move(null, u1)));

        KeyValueIterator<Bytes, byte[]> open = rankings.range(null, null, false);
        assertEquals(IndexKeys.sessionRank(SessionOrder.TOTAL_HOURS, u1), open.next().key);
        rankings.apply(List.of(new SessionRankings.Move(null, u2)));

        assertEquals(2, list(rankings.range(null, null, false)).size() / 3, "a new reader sees both users");
        assertEquals(2, list(open).size(), "the open reader goes on over u1 alone, in the other two orders");
        rankings.apply(List.of(new SessionRankings.Move(u1, null)));
        assertEquals(List.of("u2"), users(rankings, SessionOrder.LAST_ACTIVITY));
    }

    @Test
    @Timeout(60)
    void aReaderThatReachedTheEndOrClosedNoLongerHoldsTheWriter() {
        SessionRankings rankings = new SessionRankings(Duration.ofDays(1));
        rankings.apply(List.of(new SessionRankings.Move(null, new SessionSummary("u1", 1, 0.25, 10, 10))));
        KeyValueIterator<Bytes, byte[]> exhausted = rankings.range(null, null, false);
        exhausted.forEachRemaining(kv -> { });
        KeyValueIterator<Bytes, byte[]> closed = rankings.range(null, null, false);
        closed.next();
        closed.close();

        // with a reader still holding the rankings this would wait a day
        rankings.apply(List.of(new SessionRankings.Move(null, new SessionSummary("u2", 1, 0.25, 10, 10))));
        assertEquals(2, rankings.size());
        exhausted.close();
    }

    private static List<String> users(SessionRankings rankings, SessionOrder order) {
        return list(rankings.range(IndexKeys.sessionRankFrom(order), IndexKeys.sessionRankTo(order), false)).stream()
                .map(kv -> StoreValues.decodeSession(kv.value).userId()).toList();
    }

    private void assertSameEntries(NavigableMap<Bytes, byte[]> oracle, Bytes from, Bytes to, SessionRankings rankings) {
        NavigableMap<Bytes, byte[]> expected = from == null
                ? (to == null ? oracle : oracle.headMap(to, true))
                : (to == null ? oracle.tailMap(from, true) : oracle.subMap(from, true, to, true));
        assertEquals(render(new ArrayList<>(expected.entrySet().stream().map(e -> KeyValue.pair(e.getKey(), e.getValue())).toList())),
                render(list(rankings.range(from, to, false))), "range " + from + " .. " + to);
        List<KeyValue<Bytes, byte[]>> reversed = new ArrayList<>(expected.descendingMap().entrySet().stream()
                .map(e -> KeyValue.pair(e.getKey(), e.getValue())).toList());
        assertEquals(render(reversed), render(list(rankings.range(from, to, true))), "reverse range " + from + " .. " + to);
    }

    private Bytes randomKey(NavigableMap<Bytes, byte[]> oracle) {
        List<Bytes> keys = new ArrayList<>(oracle.keySet());
        return keys.get(random.nextInt(keys.size()));
    }

    private static List<KeyValue<Bytes, byte[]>> list(KeyValueIterator<Bytes, byte[]> it) {
        List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>();
        try (it) {
            it.forEachRemaining(entries::add);
        }
        return entries;
    }

    private static List<String> render(List<KeyValue<Bytes, byte[]>> entries) {
        return entries.stream().map(kv -> kv.key + "=" + Arrays.toString(kv.value)).toList();
    }

    /** A bound of every kind a reader may pass: none, a whole order, a key held, a prefix of one, a key beside one, a time. */
    private Bytes randomBound(NavigableMap<Bytes, byte[]> oracle) {
        List<Bytes> keys = new ArrayList<>(oracle.keySet());
        SessionOrder order = SessionOrder.values()[random.nextInt(3)];
        Bytes held = keys.isEmpty() ? IndexKeys.sessionRankFrom(order) : keys.get(random.nextInt(keys.size()));
        byte[] k = held.get();
        return switch (random.nextInt(7)) {
            case 0 -> null;
            case 1 -> IndexKeys.sessionRankFrom(order);
            case 2 -> IndexKeys.sessionRankTo(order);
            case 3 -> held;
            case 4 -> Bytes.wrap(Arrays.copyOf(k, 1 + random.nextInt(k.length)));
            case 5 -> {
                byte[] beside = k.clone();
                int at = 1 + random.nextInt(k.length - 1);
                beside[at] = (byte) (beside[at] + (random.nextBoolean() ? 1 : -1));
                yield Bytes.wrap(beside);
            }
            default -> IndexKeys.lastActivityAtOrBefore(random.nextInt(2000) - 1000);
        };
    }

    /** Few distinct values, so ties (broken by user id) are common. */
    private SessionSummary randomSessions(String user) {
        int sessions = 1 + random.nextInt(4);
        double hours = random.nextInt(6) * 0.25 + (random.nextInt(5) == 0 ? -0.0 : 0.0);
        long last = random.nextInt(2000) - 1000;
        return new SessionSummary(user, sessions, hours, last - random.nextInt(100), last);
    }

    /** Ids of different lengths and one beyond ASCII, whose UTF-8 bytes order them. */
    private static String userId(int n) {
        return switch (n % 4) {
            case 0 -> "u" + n;
            case 1 -> "user-" + n;
            case 2 -> "ü" + n;
            default -> "u" + n + "x";
        };
    }
}
