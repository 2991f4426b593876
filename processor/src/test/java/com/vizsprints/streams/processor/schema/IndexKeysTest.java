package com.vizsprints.streams.processor.schema;

import com.vizsprints.streams.processor.logic.Profile;
import com.vizsprints.streams.processor.logic.SessionSummary;
import com.vizsprints.streams.processor.logic.UserState;
import com.vizsprints.streams.processor.model.EventRecord;
import com.vizsprints.streams.processor.schema.IndexKeys.SessionOrder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IndexKeysTest {

    @Test
    void sessionRankKeysShouldSortBestFirstWithTiesByUserId() {
        SessionSummary more = new SessionSummary("u9", 3, 2.5, 0, 100);
        SessionSummary lessB = new SessionSummary("u2", 1, 0.25, 0, -100);
        SessionSummary lessA = new SessionSummary("u1", 1, 0.25, 0, -100);

        for (SessionOrder order : SessionOrder.values()) {
            assertTrue(IndexKeys.sessionRank(order, more).compareTo(IndexKeys.sessionRank(order, lessA)) < 0, order.name());
            assertTrue(IndexKeys.sessionRank(order, lessA).compareTo(IndexKeys.sessionRank(order, lessB)) < 0, order.name());
            assertTrue(IndexKeys.sessionRank(order, lessB).compareTo(IndexKeys.sessionRankTo(order)) < 0);
            assertTrue(IndexKeys.sessionRankFrom(order).compareTo(IndexKeys.sessionRank(order, more)) < 0);
        }
    }

    @Test
    void positionKeysShouldSortNumericallyAndBoundLimits() {
        assertTrue(IndexKeys.eventByPosition(9, "z").compareTo(IndexKeys.eventByPosition(10, "a")) < 0);
        assertTrue(IndexKeys.eventByPosition(9, "z").compareTo(IndexKeys.eventsByPositionBelow(10)) < 0);
        assertTrue(IndexKeys.eventByPosition(10, "a").compareTo(IndexKeys.eventsByPositionBelow(10)) > 0);
        assertEquals(42, IndexKeys.positionOf(IndexKeys.userByPosition(42, "u_7")));
        assertEquals("u_7", IndexKeys.idAfterPosition(IndexKeys.userByPosition(42, "u_7")));
    }

    @Test
    void timelineKeysShouldSortByTimeThenPositionIncludingBefore1970() {
        assertTrue(IndexKeys.eventByTime(-5, 9, "a").compareTo(IndexKeys.eventByTime(3, 0, "a")) < 0);
        assertTrue(IndexKeys.eventByTime(3, 1, "a").compareTo(IndexKeys.eventByTime(3, 2, "a")) < 0);
    }

    @Test
    void storeValuesShouldRoundTrip() {
        UserState s = new UserState("u1", new Profile(123, "Mobile", "DE", "Free", "A", 7), new long[]{1, 5, 5}, 0b10101);
        UserState back = StoreValues.decodeUserState(StoreValues.encodeUserState(s));
        EventRecord e = new EventRecord("e1", "u1", "login", "2023-01-01T00:00:00Z", "{\"a\": \"b, c\"}", 3);

        assertEquals(s.profile(), back.profile());
        assertArrayEquals(s.eventNanos(), back.eventNanos());
        assertEquals(s.stageMask(), back.stageMask());
        assertEquals(e, StoreValues.decodeEvent(StoreValues.encodeEvent(e)));
    }
}
