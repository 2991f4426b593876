package com.vizsprints.streams.processor.logic;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Keys kept once built are the keys spelled out, for every day, inside and outside the days kept, and any number of names. */
class AggregateKeysTest {
    private static final char SEP = '\u001f';

    private static String day(int epochDay) {
        return LocalDate.ofEpochDay(epochDay).toString();
    }

    @Test
    void dayKeysAreTheirPrefixAndTheDateWhateverTheDayAndHowOftenAsked() {
        int[] days = {-1_000, -1, 0, 1, 1_023, 1_024, 19_358, 19_723, 65_535, 65_536, 2_932_896};
        for (int pass = 0; pass < 2; pass++) {
            for (int d : days) {
                assertEquals("dau|" + day(d), AggregateKeys.dau(d));
                assertEquals("last-seen|" + day(d), AggregateKeys.lastSeen(d));
                assertEquals("event-day|" + day(d), AggregateKeys.eventDay(d));
                assertEquals("event-day-name|" + day(d) + SEP + "page_view", AggregateKeys.eventDayName(d, "page_view"));
                assertEquals("event-day-name|" + day(d) + SEP, AggregateKeys.eventDayName(d, null));
            }
        }
        assertSame(AggregateKeys.dau(19_358), AggregateKeys.dau(19_358), "a day's key is built once");
    }

    @Test
    void manyMoreNamesAndVariantsThanAreKeptStillGetTheirOwnKeys() {
        for (int i = 0; i < 3_000; i++) {
            assertEquals("event-day-name|" + day(19_500) + SEP + "name-" + i, AggregateKeys.eventDayName(19_500, "name-" + i));
            assertEquals("variant|v" + i + SEP + "events", AggregateKeys.variantEvents("v" + i));
        }
        assertEquals("variant|A" + SEP + "events", AggregateKeys.variantEvents("A"));
    }
}
