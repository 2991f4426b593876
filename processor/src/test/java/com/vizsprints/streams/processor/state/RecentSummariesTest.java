package com.vizsprints.streams.processor.state;

import com.vizsprints.streams.processor.logic.UserSummary;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecentSummariesTest {
    private static final int KEPT = RecentSummaries.KEPT_ANYWAY;

    private static void fill(RecentSummaries cache, String prefix, int from, int to) {
        for (int i = from; i < to; i++) {
            cache.put(prefix + i, UserSummary.empty(prefix + i));
        }
    }

    @Test
    void aCacheWithinTheBudgetKeepsEverySummary() {
        RecentSummaries cache = new RecentSummaries(new RecentSummaries.Budget(3L * KEPT));
        fill(cache, "u", 0, 3 * KEPT);
        assertEquals(3 * KEPT, cache.size());
        for (int i = 0; i < 3 * KEPT; i++) {
            assertNotNull(cache.get("u" + i), "u" + i);
        }
    }

    @Test
    void pastTheBudgetTheLeastRecentlyUsedSummaryGoesFirst() {
        RecentSummaries.Budget budget = new RecentSummaries.Budget(2L * KEPT);
        RecentSummaries cache = new RecentSummaries(budget);
        fill(cache, "u", 0, 2 * KEPT);
        assertNotNull(cache.get("u0")); // read: now the most recently used
        fill(cache, "u", 2 * KEPT, 2 * KEPT + 10);
        assertNotNull(cache.get("u0"), "a summary read just before is kept");
        assertNull(cache.get("u1"), "the least recently used summary is dropped");
        assertTrue(budget.held() <= 2L * KEPT + 1, "held " + budget.held());
        assertEquals(budget.held(), cache.size());
    }

    @Test
    void cachesShareOneBudgetAndTheOneThatGrowsDropsItsOwnSummaries() {
        RecentSummaries.Budget budget = new RecentSummaries.Budget(3L * KEPT);
        RecentSummaries first = new RecentSummaries(budget);
        RecentSummaries second = new RecentSummaries(budget);
        fill(first, "a", 0, 2 * KEPT);
        fill(second, "b", 0, 3 * KEPT);
        assertEquals(2 * KEPT, first.size(), "the other cache's summaries stay");
        assertTrue(second.size() >= KEPT && second.size() <= KEPT + 1, "second holds " + second.size());
        assertEquals(budget.held(), first.size() + second.size());
    }

    @Test
    void aCacheKeepsItsLastSummariesEvenWhenOthersUseTheWholeBudget() {
        RecentSummaries.Budget budget = new RecentSummaries.Budget(KEPT);
        RecentSummaries first = new RecentSummaries(budget);
        RecentSummaries second = new RecentSummaries(budget);
        fill(first, "a", 0, KEPT);
        fill(second, "b", 0, 2 * KEPT);
        assertEquals(KEPT, second.size());
        assertNotNull(second.get("b" + (2 * KEPT - 1)));
    }

    @Test
    void aReleasedCacheGivesItsShareBack() {
        RecentSummaries.Budget budget = new RecentSummaries.Budget(2L * KEPT);
        RecentSummaries first = new RecentSummaries(budget);
        fill(first, "a", 0, 2 * KEPT);
        first.release();
        assertEquals(0, budget.held());
        assertNull(first.get("a0"));
        RecentSummaries second = new RecentSummaries(budget);
        fill(second, "b", 0, 2 * KEPT);
        assertEquals(2 * KEPT, second.size());
    }
}
