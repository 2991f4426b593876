package com.vizsprints.streams.processor.state;

import com.vizsprints.streams.processor.logic.UserSummary;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The decoded summaries of a task's recently active users, least recently used dropped first, so
 * most events find their user here instead of reading and decoding the summary from RocksDB. A
 * user's events come in sessions, days apart at a million users, so the more users kept the more
 * events hit: at 1M users (about 167,000 per task) keeping 100,000 per task instead of 20,000 took
 * the processing step from 16.2 to 13.5 us per event (two alternating pairs of runs, BENCHMARKS.md).
 *
 * <p>Every task's cache draws on one budget per JVM, a share of the heap ({@link #BUDGET_SHARE}
 * at about {@link #BYTES_PER_SUMMARY} each), so an instance with more tasks (more partitions,
 * standby replicas) keeps fewer per task instead of running out of memory; each keeps at least
 * {@link #KEPT_ANYWAY}. A copy of what the store holds: dropping an entry only costs a read.
 * {@link #release} gives a cache's share back when its store closes or re-opens.
 */
final class RecentSummaries {
    /** The share of the maximum heap all caches of the JVM may use together. */
    static final double BUDGET_SHARE = 0.2;
    /** A decoded summary with its user id, profile, months and map entry, on the heap (estimated). */
    static final int BYTES_PER_SUMMARY = 500;
    /** Summaries a cache keeps whatever the budget: the users of the last commit intervals. */
    static final int KEPT_ANYWAY = 5_000;

    /** Summaries that caches may hold together, and how many they hold. */
    static final class Budget {
        /** The budget of every cache of this JVM's tasks. */
        static final Budget OF_JVM = new Budget((long) (Runtime.getRuntime().maxMemory() * BUDGET_SHARE / BYTES_PER_SUMMARY));

        private final long limit;
        private final AtomicLong held = new AtomicLong();

        Budget(long limit) {
            this.limit = limit;
        }

        long held() {
            return held.get();
        }
    }

    private final Budget budget;
    private final Map<String, UserSummary> byUser = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, UserSummary> eldest) {
            if (size() > KEPT_ANYWAY && budget.held.get() > budget.limit) {
                budget.held.decrementAndGet();
                return true;
            }
            return false;
        }
    };

    RecentSummaries() {
        this(Budget.OF_JVM);
    }

    RecentSummaries(Budget budget) {
        this.budget = budget;
    }

    /** The user's summary, or null when not kept. */
    UserSummary get(String userId) {
        return byUser.get(userId);
    }

    /** Keeps a user's summary (replacing the one kept before). */
    void put(String userId, UserSummary summary) {
        if (byUser.put(userId, summary) == null) {
            budget.held.incrementAndGet();
        }
    }

    int size() {
        return byUser.size();
    }

    /** Forgets every summary and gives their share of the budget back. */
    void release() {
        budget.held.addAndGet(-byUser.size());
        byUser.clear();
    }
}
