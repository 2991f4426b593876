package com.vizsprints.streams.query.http;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnswerCacheTest {

    @Test
    void shouldReuseAnAnswerWithinItsMaxAgeThenServeItWhileRecomputingInTheBackground() throws Exception {
        AnswerCache<byte[]> cache = new AnswerCache<>(200, 2000);
        AtomicInteger computed = new AtomicInteger();

        byte[] first = cache.get("/api/metrics?", () -> new byte[]{(byte) computed.incrementAndGet()});
        byte[] second = cache.get("/api/metrics?", () -> new byte[]{(byte) computed.incrementAndGet()});
        Thread.sleep(250);
        byte[] expired = cache.get("/api/metrics?", () -> new byte[]{(byte) computed.incrementAndGet()});
        awaitBackgroundComputation(computed, 2);
        byte[] refreshed = cache.get("/api/metrics?", () -> new byte[]{(byte) computed.incrementAndGet()});

        assertArrayEquals(first, second);
        assertEquals(1, expired[0], "the expired answer is served at once");
        assertEquals(2, refreshed[0], "the background recomputation replaced it");
        assertEquals(2, computed.get());
    }

    @Test
    void shouldDropAnAnswerWhoseRefreshFailsSoTheNextRequestSeesTheError() throws Exception {
        AnswerCache<byte[]> cache = new AnswerCache<>(50, 2000);
        cache.get("k", () -> new byte[]{1});
        Thread.sleep(80);

        cache.get("k", () -> {
            throw new IllegalStateException("rebalancing");
        });
        Thread.sleep(200);

        assertEquals(9, cache.get("k", () -> new byte[]{9})[0]);
    }

    @Test
    void shouldRecomputeInTheRequestAnAnswerOlderThanTheStalenessLimit() throws Exception {
        AnswerCache<byte[]> cache = new AnswerCache<>(20, 100);
        cache.get("k", () -> new byte[]{1});
        Thread.sleep(150);

        assertEquals(2, cache.get("k", () -> new byte[]{2})[0], "too old to serve even once more");
    }

    @Test
    void shouldKeepAnswersOfDifferentRequestsApart() {
        AnswerCache<byte[]> cache = new AnswerCache<>(10_000, 10_000);

        cache.get("/api/ab-test?limit=5", () -> new byte[]{5});

        assertEquals(7, cache.get("/api/ab-test?limit=7", () -> new byte[]{7})[0]);
    }

    @Test
    void shouldServeAnAnswerComputedAtTheCurrentDataVersionWithoutComputingItAgainHoweverOld() throws Exception {
        AtomicLong version = new AtomicLong(7);
        AnswerCache<byte[]> cache = new AnswerCache<>(20, 100, () -> OptionalLong.of(version.get()));
        AtomicInteger computed = new AtomicInteger();

        cache.get("k", () -> new byte[]{(byte) computed.incrementAndGet()});
        Thread.sleep(150);
        byte[] old = cache.get("k", () -> new byte[]{(byte) computed.incrementAndGet()});
        Thread.sleep(50);

        assertEquals(1, old[0], "past both the age and the staleness limit, the data unchanged");
        assertEquals(1, computed.get(), "and not computed again, in the request or in the background");
        assertEquals(0, cache.count(AnswerCache.Outcome.STALE));
    }

    @Test
    void shouldRefreshAnAnswerAtAnOutdatedVersionOnceAHundredTimesAsOldAsItsComputationTook() throws Exception {
        AtomicLong version = new AtomicLong(7);
        AtomicLong clock = new AtomicLong();
        AnswerCache<byte[]> cache = onFakeClock(version, clock);
        AtomicInteger computed = new AtomicInteger();
        Supplier<byte[]> takingASixthOfAMillisecond = taking(0.16, clock, computed);
        cache.get("k", takingASixthOfAMillisecond);

        version.incrementAndGet();
        clock.addAndGet(millis(15));
        byte[] young = cache.get("k", takingASixthOfAMillisecond);
        clock.addAndGet(millis(2));
        byte[] stale = cache.get("k", takingASixthOfAMillisecond);
        awaitBackgroundComputation(computed, 2);
        byte[] refreshed = cache.get("k", takingASixthOfAMillisecond);

        assertEquals(1, young[0], "15 ms old, under 100 times its 0.16 ms: served as is");
        assertEquals(1, stale[0], "17 ms old at an outdated version: served once more while recomputed");
        assertEquals(2, refreshed[0]);
        assertEquals(2, computed.get());
        assertEquals(1, cache.count(AnswerCache.Outcome.STALE));
    }

    @Test
    void shouldRefreshAnAnswerAtAnOutdatedVersionAtItsMaxAgeAtTheLatestAndNeverSoonerThanTheFloor() throws Exception {
        AtomicLong version = new AtomicLong(7);
        AtomicLong clock = new AtomicLong();
        AnswerCache<byte[]> cache = onFakeClock(version, clock);
        AtomicInteger computed = new AtomicInteger();
        Supplier<byte[]> takingFiveMilliseconds = taking(5, clock, computed);
        cache.get("slow", takingFiveMilliseconds);
        cache.get("instant", () -> new byte[]{(byte) computed.incrementAndGet()});

        version.incrementAndGet();
        clock.addAndGet(millis(4));
        byte[] instantUnderTheFloor = cache.get("instant", () -> new byte[]{9});
        clock.addAndGet(millis(85));
        byte[] slowUnderItsMaxAge = cache.get("slow", takingFiveMilliseconds);
        clock.addAndGet(millis(10));
        byte[] slowAtItsMaxAge = cache.get("slow", takingFiveMilliseconds);
        awaitBackgroundComputation(computed, 3);

        assertEquals(2, instantUnderTheFloor[0], "4 ms old: under the floor of " + AnswerCache.MIN_REFRESH_AGE_NANOS / 1e6 + " ms");
        assertEquals(1, slowAtItsMaxAge[0], "served once more while recomputed");
        assertEquals(1, slowUnderItsMaxAge[0], "94 ms old: under its max age of 100 ms");
        assertEquals(3, computed.get(), "recomputed once 104 ms old, not at 100 times its 5 ms");
        assertEquals(2, cache.count(AnswerCache.Outcome.HIT));
        assertEquals(1, cache.count(AnswerCache.Outcome.STALE));
    }

    /** A cache (max age 100 ms) whose wall and CPU clocks are both {@code clock}, moved by the test alone. */
    private static AnswerCache<byte[]> onFakeClock(AtomicLong version, AtomicLong clock) {
        return new AnswerCache<>(100, 2000, () -> OptionalLong.of(version.get()), clock::get, clock::get);
    }

    /** A computation that takes {@code ms} on the fake clock and answers how many computations ran. */
    private static Supplier<byte[]> taking(double ms, AtomicLong clock, AtomicInteger computed) {
        return () -> {
            clock.addAndGet(millis(ms));
            return new byte[]{(byte) computed.incrementAndGet()};
        };
    }

    private static long millis(double ms) {
        return (long) (ms * 1_000_000);
    }

    @Test
    void shouldLetAnswersAgeWhileTheDataVersionIsUnknown() throws Exception {
        AtomicLong version = new AtomicLong(7);
        AtomicInteger known = new AtomicInteger(1);
        AnswerCache<byte[]> cache = new AnswerCache<>(20, 100,
                () -> known.get() == 1 ? OptionalLong.of(version.get()) : OptionalLong.empty());
        cache.get("k", () -> new byte[]{1});

        known.set(0);
        Thread.sleep(150);

        assertEquals(2, cache.get("k", () -> new byte[]{2})[0], "e.g. partitions served by another instance: too old to serve");
    }

    @Test
    void shouldKeepAtMostMaxAnswersOfDistinctQueriesForgettingThoseTooOldToServeFirst() throws Exception {
        AnswerCache<byte[]> cache = new AnswerCache<>(1000, 2000);
        cache.get("/api/metrics?", () -> new byte[]{1});
        Thread.sleep(2100);
        cache.get("/api/funnel?", () -> new byte[]{2});
        for (int i = 0; i < AnswerCache.MAX_ANSWERS - 2; i++) {
            cache.get("/api/events?user_id=u" + i, () -> new byte[]{3});
        }
        assertEquals(AnswerCache.MAX_ANSWERS, cache.size());

        cache.get("/api/events?user_id=one-more", () -> new byte[]{4});

        assertEquals(AnswerCache.MAX_ANSWERS, cache.size(), "the answer too old to serve made room");
        assertEquals(2, cache.get("/api/funnel?", () -> new byte[]{9})[0], "a young answer stays");
        for (int i = 0; i < 3 * AnswerCache.MAX_ANSWERS; i++) {
            cache.get("/api/events?user_id=v" + i, () -> new byte[]{5});
            assertTrue(cache.size() <= AnswerCache.MAX_ANSWERS, "a burst of distinct queries: " + cache.size());
        }
    }

    /** Waits until {@code computed} reaches {@code count} (at most 5 s), then a little more for the answer to be stored. */
    private static void awaitBackgroundComputation(AtomicInteger computed, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (computed.get() < count && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(50);
    }

    @Test
    void shouldComputeEveryTimeWhenDisabled() {
        AnswerCache<byte[]> cache = new AnswerCache<>(0, 0);
        AtomicInteger computed = new AtomicInteger();

        cache.get("k", () -> new byte[]{(byte) computed.incrementAndGet()});
        cache.get("k", () -> new byte[]{(byte) computed.incrementAndGet()});

        assertEquals(2, computed.get());
    }
}
