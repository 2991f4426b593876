package com.vizsprints.streams.processor.model;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TimestampsTest {
    @Test
    void theCommonFormShouldParseAsTheIsoParserDoes() {
        Random random = new Random(11);
        for (int i = 0; i < 50_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(0, 4_102_444_800L)); // 1970 to 2100
            String text = instant.truncatedTo(ChronoUnit.SECONDS).toString();
            if (text.length() != 20) {
                continue;
            }
            assertEquals(OffsetDateTime.parse(text).toInstant().getEpochSecond() * 1_000_000_000L, Timestamps.parseNanos(text), text);
            assertEquals(instant.getEpochSecond() * 1_000_000_000L, Timestamps.parseNanos(text.replace('T', ' ')), text);
        }
    }

    @Test
    void invalidDatesAndTimesInTheCommonFormShouldBeRejected() {
        for (String bad : new String[]{"2023-02-29T00:00:00Z", "2024-02-30T00:00:00Z", "2023-13-01T00:00:00Z", "2023-00-10T00:00:00Z",
                "2023-01-00T00:00:00Z", "2023-01-01T24:00:00Z", "2023-01-01T00:60:00Z", "2023-01-01T00:00:60Z", "2023-0a-01T00:00:00Z",
                "2023-01-01X00:00:00Z", "+023-01-01T00:00:00Z"}) {
            assertThrows(IllegalArgumentException.class, () -> Timestamps.parseNanos(bad), bad);
        }
    }

    @Test
    void otherIsoFormsShouldStillBeAccepted() {
        assertEquals(Timestamps.parseNanos("2024-02-29T10:00:00Z"), Timestamps.parseNanos("2024-02-29T12:00:00+02:00"));
        assertEquals(Timestamps.parseNanos("2024-02-29T10:00:00Z"), Timestamps.parseNanos("2024-02-29T10:00:00"));
        assertEquals(Timestamps.parseNanos("2024-02-29T10:00:00Z") + 250_000_000L, Timestamps.parseNanos("2024-02-29T10:00:00.250Z"));
        assertEquals(-1_000_000_000L, Timestamps.parseNanos("1969-12-31T23:59:59Z"));
    }

    @Test
    void fractionsBelowAMillisecondAreKeptToTheNanosecond() {
        long whole = Timestamps.parseNanos("2023-01-01T10:00:00Z");
        assertEquals(whole + 400_000L, Timestamps.parseNanos("2023-01-01T10:00:00.0004Z"));
        assertEquals(whole + 123_456_789L, Timestamps.parseNanos("2023-01-01T10:00:00.123456789Z"));
        assertEquals(whole + 1L, Timestamps.parseNanos("2023-01-01T10:00:00.000000001+00:00"));
        assertEquals("2023-01-01T10:00:00Z", Timestamps.formatSeconds(whole + 999_999_999L), "printed to the second, as the reference");
    }

    @Test
    void timestampsOutsideTheNanosecondRangeAreRejectedAndBoundsClamped() {
        assertThrows(IllegalArgumentException.class, () -> Timestamps.parseNanos("2262-04-12T00:00:00Z"));
        assertThrows(IllegalArgumentException.class, () -> Timestamps.parseNanos("1677-09-20T00:00:00Z"));
        assertEquals(Long.MAX_VALUE, Timestamps.parseDateOrTimestamp("9999-12-31"));
        assertEquals(Long.MIN_VALUE, Timestamps.parseDateOrTimestamp("0001-01-01T00:00:00Z"));
    }
}
