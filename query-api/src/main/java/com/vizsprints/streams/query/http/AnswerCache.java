package com.vizsprints.streams.query.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Rendered answers of the dashboard endpoints, reused for at most {@code maxAgeMillis}: many
 * dashboards polling the same figures cost one computation per interval instead of one per
 * request. Concurrent requests for an expired answer wait for a single recomputation. The
 * interval equals the processor's commit interval, so an answer is never staler than the
 * state a crash could roll back to anyway.
 */
final class AnswerCache {
    private record Entry(long computedAtNanos, byte[] body) {
    }

    private final long maxAgeNanos;
    private final Map<String, Entry> answers = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    AnswerCache(long maxAgeMillis) {
        this.maxAgeNanos = maxAgeMillis * 1_000_000;
    }

    byte[] get(String key, Supplier<byte[]> compute) {
        if (maxAgeNanos <= 0) {
            return compute.get();
        }
        Entry e = answers.get(key);
        if (e != null && System.nanoTime() - e.computedAtNanos < maxAgeNanos) {
            return e.body;
        }
        synchronized (locks.computeIfAbsent(key, k -> new Object())) {
            e = answers.get(key);
            if (e != null && System.nanoTime() - e.computedAtNanos < maxAgeNanos) {
                return e.body;
            }
            long started = System.nanoTime();
            byte[] body = compute.get();
            answers.put(key, new Entry(started, body));
            return body;
        }
    }
}
