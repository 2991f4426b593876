package com.vizsprints.streams.query.http;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Random;
import java.util.zip.Adler32;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hand-written header values read exactly as {@code String.format} wrote them before. */
class HeaderValuesTest {
    @Test
    void serverTimingDurationsAreMillisecondsWithThreeDecimalsRoundedHalfUp() {
        long[] edges = {0, 1, 499, 500, 501, 999, 1_000, 9_999, 10_000, 99_999, 100_000, 999_499, 999_500,
                1_000_000, 12_345_678, 1_000_000_000_123L};
        for (long nanos : edges) {
            assertEquals(formatted(nanos), ApiServer.millisWithThreeDecimals(nanos), "nanos " + nanos);
        }
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            long nanos = random.nextInt(1_000_000_000);
            if (nanos % 1000 == 500) {
                continue; // a tie: String.format rounds the double nanos / 1e6, whose last digit may not be exact
            }
            assertEquals(formatted(nanos), ApiServer.millisWithThreeDecimals(nanos), "nanos " + nanos);
        }
    }

    @Test
    void etagsAreTheLengthAndTwoChecksumsInZeroPaddedHex() {
        Random random = new Random(11);
        for (int i = 0; i < 2_000; i++) {
            byte[] body = new byte[random.nextInt(300)];
            random.nextBytes(body);
            CRC32C crc = new CRC32C();
            crc.update(body);
            Adler32 adler = new Adler32();
            adler.update(body);
            String expected = String.format("\"%x-%08x-%08x\"", body.length, crc.getValue(), adler.getValue());
            assertEquals(expected, DashboardRoutes.etag(body));
        }
    }

    private static String formatted(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }
}
