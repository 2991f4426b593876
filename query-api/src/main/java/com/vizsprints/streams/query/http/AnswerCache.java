package com.vizsprints.streams.query.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
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
 * polling figures that do not change cost nothing but the lookup. One computed at an older
 * version is refreshed (in the background, as above) once it is {@link #REFRESH_COST_MULTIPLE}
 * times as old as its computation took (in CPU time), and {@code maxAgeMillis} at the latest: while data
 * changes, a cheap answer (a user's events, in a tenth of a millisecond) shows a write within
 * about ten milliseconds instead of up to {@code maxAgeMillis}, and refreshing any one answer
 * takes at most about 1% of a core however many clients poll it.
 */
final class AnswerCache<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AnswerCache.class);

    /**
     * {@code version}: the data's version read before computing, or {@link #UNVERSIONED};
     * {@code refreshAfterNanos}: the age from which it is refreshed if that version is outdated.
     */
    private record Entry<T>(long computedAtNanos, long version, T body, long refreshAfterNanos) {
        Entry<T> renewedAt(long nowNanos) {
            return new Entry<>(nowNanos, version, body, refreshAfterNanos);
        }
    }

    /** An answer at an outdated version is refreshed once this many times as old as its computation took. */
    static final int REFRESH_COST_MULTIPLE = 100;
    /** ... but never younger than this. */
    static final long MIN_REFRESH_AGE_NANOS = 5_000_000;

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
    private final LongSupplier nanoTime;
    private final LongSupplier cpuTime;

    /** A cache that knows nothing of the data's version: answers age. */
    AnswerCache(long maxAgeMillis, long maxStaleMillis) {
        this(maxAgeMillis, maxStaleMillis, OptionalLong::empty);
    }

    /** @param dataVersion the data's version, read before each computation ({@link com.vizsprints.streams.query.service.StoreAccess#dataVersion}) */
    AnswerCache(long maxAgeMillis, long maxStaleMillis, Supplier<OptionalLong> dataVersion) {
        this(maxAgeMillis, maxStaleMillis, dataVersion, System::nanoTime, threadCpuClock());
    }

    /**
     * @param nanoTime the clock ({@link System#nanoTime}, but for tests)
     * @param cpuTime  the calling thread's CPU time in nanoseconds, what a computation costs (its
     *                 wall time would count the waits of a busy machine as cost)
     */
    AnswerCache(long maxAgeMillis, long maxStaleMillis, Supplier<OptionalLong> dataVersion, LongSupplier nanoTime, LongSupplier cpuTime) {
        this.maxAgeNanos = maxAgeMillis * 1_000_000;
        this.maxStaleNanos = Math.max(maxAgeMillis, maxStaleMillis) * 1_000_000;
        this.dataVersion = dataVersion;
        this.nanoTime = nanoTime;
        this.cpuTime = cpuTime;
    }

    /** The current thread's CPU time where the JVM measures it, else the wall clock. */
    private static LongSupplier threadCpuClock() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        if (threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled()) {
            return threads::getCurrentThreadCpuTime;
        }
        return System::nanoTime;
    }

    T get(String key, Supplier<T> compute) {
        if (maxAgeNanos <= 0) {
            outcomes[Outcome.MISS.ordinal()].increment();
            return compute.get();
        }
        long now = nanoTime.getAsLong();
        Entry<T> e = answers.get(key);
        boolean stale = false;
        if (e != null && e.version() != UNVERSIONED && now - e.computedAtNanos() >= e.refreshAfterNanos()) {
            if (e.version() == version()) {
                // nothing it read has changed: as fresh as when it was computed
                Entry<T> renewed = e.renewedAt(now);
                answers.replace(key, e, renewed);
                e = renewed;
            } else {
                stale = true;
            }
        }
        if (e == null || now - e.computedAtNanos() >= maxStaleNanos) {
            // Too old to serve: one request computes, the others waiting for the same answer reuse it.
            synchronized (locks.computeIfAbsent(key, k -> new Object())) {
                e = answers.get(key);
                if (e == null || nanoTime.getAsLong() - e.computedAtNanos() >= maxStaleNanos) {
                    outcomes[Outcome.MISS.ordinal()].increment();
                    e = computed(compute);
                    remember(key, e);
                } else {
                    outcomes[Outcome.HIT.ordinal()].increment();
                }
                return e.body();
            }
        }
        stale |= now - e.computedAtNanos() >= maxAgeNanos;
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
        long now = nanoTime.getAsLong();
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
        long started = nanoTime.getAsLong();
        long version = version();
        long cpuBefore = cpuTime.getAsLong();
        T body = compute.get();
        long cost = cpuTime.getAsLong() - cpuBefore;
        long refreshAfter = Math.min(maxAgeNanos, Math.max(MIN_REFRESH_AGE_NANOS, cost * REFRESH_COST_MULTIPLE));
        return new Entry<>(started, version, body, refreshAfter);
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
