package com.vizsprints.streams.query.http;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AnswerCacheTest {

    @Test
    void shouldReuseAnAnswerWithinItsMaxAgeAndRecomputeAfter() throws Exception {
        AnswerCache cache = new AnswerCache(200);
        AtomicInteger computed = new AtomicInteger();

        byte[] first = cache.get("/api/metrics?", () -> new byte[]{(byte) computed.incrementAndGet()});
        byte[] second = cache.get("/api/metrics?", () -> new byte[]{(byte) computed.incrementAndGet()});
        Thread.sleep(250);
        byte[] third = cache.get("/api/metrics?", () -> new byte[]{(byte) computed.incrementAndGet()});

        assertArrayEquals(first, second);
        assertEquals(2, third[0]);
        assertEquals(2, computed.get());
    }

    @Test
    void shouldKeepAnswersOfDifferentRequestsApart() {
        AnswerCache cache = new AnswerCache(10_000);

        cache.get("/api/ab-test?limit=5", () -> new byte[]{5});

        assertEquals(7, cache.get("/api/ab-test?limit=7", () -> new byte[]{7})[0]);
    }

    @Test
    void shouldComputeEveryTimeWhenDisabled() {
        AnswerCache cache = new AnswerCache(0);
        AtomicInteger computed = new AtomicInteger();

        cache.get("k", () -> new byte[]{(byte) computed.incrementAndGet()});
        cache.get("k", () -> new byte[]{(byte) computed.incrementAndGet()});

        assertEquals(2, computed.get());
    }
}
