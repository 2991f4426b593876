package com.vizsprints.streams.query.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Rendered answers of the dashboard endpoints, refreshed off the request path: an answer
 * younger than {@code maxAgeMillis} is served as is; one up to {@code maxStaleMillis} old is
 * served at once while one background recomputation starts (stale-while-revalidate); an older
 * one is recomputed in the request. Many dashboards polling the same figures thus cost one
 * computation per interval and rarely wait for it, and no answer is ever older than
 * {@code maxStaleMillis}.
 */
final class AnswerCache<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AnswerCache.class);

    private record Entry<T>(long computedAtNanos, T body) {
    }

    /** How a request was answered: a fresh cached answer, a stale one (refreshed in the background), or computed. */
    enum Outcome { HIT, STALE, MISS }

    private final java.util.concurrent.atomic.LongAdder[] outcomes = {
            new java.util.concurrent.atomic.LongAdder(), new java.util.concurrent.atomic.LongAdder(), new java.util.concurrent.atomic.LongAdder()};

    /** Requests answered with {@code outcome} so far. */
    long count(Outcome outcome) {
        return outcomes[outcome.ordinal()].sum();
    }

    private final long maxAgeNanos;
    private final long maxStaleNanos;
    private final Map<String, Entry<T>> answers = new ConcurrentHashMap<>();
    private final Map<String, Boolean> refreshing = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final ExecutorService refresher = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "answer-refresher");
        t.setDaemon(true);
        return t;
    });

    AnswerCache(long maxAgeMillis, long maxStaleMillis) {
        this.maxAgeNanos = maxAgeMillis * 1_000_000;
        this.maxStaleNanos = Math.max(maxAgeMillis, maxStaleMillis) * 1_000_000;
    }

    T get(String key, Supplier<T> compute) {
        if (maxAgeNanos <= 0) {
            outcomes[Outcome.MISS.ordinal()].increment();
            return compute.get();
        }
        long now = System.nanoTime();
        Entry<T> e = answers.get(key);
        if (e == null || now - e.computedAtNanos() >= maxStaleNanos) {
            // Too old to serve: one request computes, the others waiting for the same answer reuse it.
            synchronized (locks.computeIfAbsent(key, k -> new Object())) {
                e = answers.get(key);
                if (e == null || System.nanoTime() - e.computedAtNanos() >= maxStaleNanos) {
                    outcomes[Outcome.MISS.ordinal()].increment();
                    e = new Entry<>(System.nanoTime(), compute.get());
                    answers.put(key, e);
                } else {
                    outcomes[Outcome.HIT.ordinal()].increment();
                }
                return e.body();
            }
        }
        boolean stale = now - e.computedAtNanos() >= maxAgeNanos;
        outcomes[(stale ? Outcome.STALE : Outcome.HIT).ordinal()].increment();
        if (stale && refreshing.putIfAbsent(key, Boolean.TRUE) == null) {
            refresher.execute(() -> {
                try {
                    long started = System.nanoTime();
                    answers.put(key, new Entry<>(started, compute.get()));
                } catch (RuntimeException failure) {
                    // Not ready right now (rebalancing, a peer down): drop the answer, so the next
                    // request computes in the request and gets the proper error instead of stale data.
                    answers.remove(key);
                    LOG.debug("refreshing {} failed: {}", key, failure.toString());
                } finally {
                    refreshing.remove(key);
                }
            });
        }
        return e.body();
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
