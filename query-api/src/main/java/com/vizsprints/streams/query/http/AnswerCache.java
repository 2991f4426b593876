package com.vizsprints.streams.query.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.OptionalLong;
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
 *
 * <p>Age stands in for what an answer cannot see: writes since it was computed. Where the data's
 * version is known ({@link com.vizsprints.streams.query.service.StoreAccess#dataVersion}), an answer computed at the version still
 * current is as fresh as when computed, whatever its age, and is not computed again: dashboards
 * polling figures that do not change cost nothing but the lookup.
 */
final class AnswerCache<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AnswerCache.class);

    /** {@code version}: the data's version read before computing, or {@link #UNVERSIONED}. */
    private record Entry<T>(long computedAtNanos, long version, T body) {
    }

    private static final long UNVERSIONED = Long.MIN_VALUE;
    /**
     * Answers kept at most, beyond which those too old to serve are forgotten (and, if that is
     * not enough, any): every distinct query (a user's events, a page of users) has its own.
     */
    static final int MAX_ANSWERS = 10_000;

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

    private final Supplier<OptionalLong> dataVersion;

    /** A cache that knows nothing of the data's version: answers age. */
    AnswerCache(long maxAgeMillis, long maxStaleMillis) {
        this(maxAgeMillis, maxStaleMillis, OptionalLong::empty);
    }

    /** @param dataVersion the data's version, read before each computation ({@link com.vizsprints.streams.query.service.StoreAccess#dataVersion}) */
    AnswerCache(long maxAgeMillis, long maxStaleMillis, Supplier<OptionalLong> dataVersion) {
        this.maxAgeNanos = maxAgeMillis * 1_000_000;
        this.maxStaleNanos = Math.max(maxAgeMillis, maxStaleMillis) * 1_000_000;
        this.dataVersion = dataVersion;
    }

    T get(String key, Supplier<T> compute) {
        if (maxAgeNanos <= 0) {
            outcomes[Outcome.MISS.ordinal()].increment();
            return compute.get();
        }
        long now = System.nanoTime();
        Entry<T> e = answers.get(key);
        if (e != null && e.version() != UNVERSIONED && now - e.computedAtNanos() >= maxAgeNanos && e.version() == version()) {
            // nothing it read has changed: as fresh as when it was computed
            Entry<T> renewed = new Entry<>(now, e.version(), e.body());
            answers.replace(key, e, renewed);
            e = renewed;
        }
        if (e == null || now - e.computedAtNanos() >= maxStaleNanos) {
            // Too old to serve: one request computes, the others waiting for the same answer reuse it.
            synchronized (locks.computeIfAbsent(key, k -> new Object())) {
                e = answers.get(key);
                if (e == null || System.nanoTime() - e.computedAtNanos() >= maxStaleNanos) {
                    outcomes[Outcome.MISS.ordinal()].increment();
                    e = computed(compute);
                    remember(key, e);
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
                    remember(key, computed(compute));
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

    private void remember(String key, Entry<T> e) {
        answers.put(key, e);
        if (answers.size() > MAX_ANSWERS) {
            forgetOld();
        }
    }

    /** Forgets the answers older than the staleness limit, then, while still too many, any. */
    private synchronized void forgetOld() {
        if (answers.size() <= MAX_ANSWERS) {
            return;
        }
        long now = System.nanoTime();
        answers.entrySet().removeIf(a -> now - a.getValue().computedAtNanos() >= maxStaleNanos);
        if (answers.size() > MAX_ANSWERS) {
            var keys = answers.keySet().iterator();
            while (answers.size() > MAX_ANSWERS * 3 / 4 && keys.hasNext()) {
                keys.next();
                keys.remove();
            }
        }
        locks.keySet().retainAll(answers.keySet());
    }

    /** Answers kept now. */
    int size() {
        return answers.size();
    }

    /** An answer computed now, with the version of the data read before computing it. */
    private Entry<T> computed(Supplier<T> compute) {
        long started = System.nanoTime();
        long version = version();
        return new Entry<>(started, version, compute.get());
    }

    private long version() {
        OptionalLong v = dataVersion.get();
        return v.isPresent() ? v.getAsLong() : UNVERSIONED;
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
