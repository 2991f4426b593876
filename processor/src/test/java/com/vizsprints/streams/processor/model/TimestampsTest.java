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
            assertEquals(OffsetDateTime.parse(text).toInstant().toEpochMilli(), Timestamps.parseMillis(text), text);
            assertEquals(instant.toEpochMilli(), Timestamps.parseMillis(text.replace('T', ' ')), text);
        }
    }

    @Test
    void invalidDatesAndTimesInTheCommonFormShouldBeRejected() {
        for (String bad : new String[]{"2023-02-29T00:00:00Z", "2024-02-30T00:00:00Z", "2023-13-01T00:00:00Z", "2023-00-10T00:00:00Z",
                "2023-01-00T00:00:00Z", "2023-01-01T24:00:00Z", "2023-01-01T00:60:00Z", "2023-01-01T00:00:60Z", "2023-0a-01T00:00:00Z",
                "2023-01-01X00:00:00Z", "+023-01-01T00:00:00Z"}) {
            assertThrows(IllegalArgumentException.class, () -> Timestamps.parseMillis(bad), bad);
        }
    }

    @Test
    void otherIsoFormsShouldStillBeAccepted() {
        assertEquals(Timestamps.parseMillis("2024-02-29T10:00:00Z"), Timestamps.parseMillis("2024-02-29T12:00:00+02:00"));
        assertEquals(Timestamps.parseMillis("2024-02-29T10:00:00Z"), Timestamps.parseMillis("2024-02-29T10:00:00"));
        assertEquals(Timestamps.parseMillis("2024-02-29T10:00:00Z") + 250, Timestamps.parseMillis("2024-02-29T10:00:00.250Z"));
        assertEquals(-1000, Timestamps.parseMillis("1969-12-31T23:59:59Z"));
    }
}
