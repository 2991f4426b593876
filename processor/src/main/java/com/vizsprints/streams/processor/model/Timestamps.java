package com.vizsprints.streams.processor.model;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parsing and formatting of the UTC timestamps used in the CSV files and the API. */
public final class Timestamps {
    private static final DateTimeFormatter SECONDS_Z = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NANOS_PER_DAY = 86_400L * NANOS_PER_SECOND;
    private static final java.util.Map<Integer, String> DAY_NAMES = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.Map<Integer, String> MONTH_NAMES = new java.util.concurrent.ConcurrentHashMap<>();

    private Timestamps() {
    }

    /**
     * Parses an ISO-8601 timestamp to epoch nanoseconds. Accepts {@code 2023-08-11T01:00:34Z},
     * an explicit offset ({@code +02:00}), no offset (taken as UTC), a space instead of {@code T},
     * and fractional seconds.
     *
     * @throws IllegalArgumentException naming the text when it is not such a timestamp
     */
    public static long parseNanos(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty timestamp");
        }
        long fast = parseUtcSecondsOrNegative(text);
        if (fast >= 0) {
            return fast;
        }
        String s = text.trim().replace(' ', 'T');
        Instant instant;
        try {
            instant = OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                instant = LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                throw new IllegalArgumentException("not an ISO-8601 timestamp: '" + text + "'");
            }
        }
        try {
            return nanos(instant);
        } catch (ArithmeticException outOfRange) {
            throw new IllegalArgumentException("timestamp '" + text + "' is outside 1677-09-21..2262-04-11,"
                    + " the range of nanosecond timestamps (as pandas)");
        }
    }

    /** Epoch nanoseconds of an instant; ArithmeticException outside the range a long holds. */
    public static long nanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
    }

    /**
     * The common input form, {@code yyyy-MM-ddTHH:mm:ssZ} from 1970 on, read without the
     * general ISO parser (which dominated event parsing in profiles); -1 for any other text, which
     * then goes through the general parser with the same result or error.
     */
    private static long parseUtcSecondsOrNegative(String t) {
        if (t.length() != 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || (t.charAt(10) != 'T' && t.charAt(10) != ' ')
                || t.charAt(13) != ':' || t.charAt(16) != ':' || t.charAt(19) != 'Z') {
            return -1;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
            return -1;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (java.time.DateTimeException invalidDate) {
            return -1;
        }
        long seconds = ((epochDay * 24 + hour) * 60 + minute) * 60L + second;
        return seconds > Long.MAX_VALUE / NANOS_PER_SECOND ? -1 : seconds * NANOS_PER_SECOND;
    }

    /** The decimal number in {@code t[from, from + count)}, or -1000000 if a character is not a digit. */
    private static int digits(String t, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1_000_000;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * Parses an API date bound: a timestamp as {@link #parseNanos} or a bare date
     * ({@code 2023-06-01}), which means midnight UTC. A bound beyond the range of nanosecond
     * timestamps is clamped to it (no event lies beyond it).
     */
    public static long parseDateOrTimestamp(String text) {
        String s = text.trim();
        Instant instant;
        if (s.length() == 10) {
            try {
                instant = LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not a date (YYYY-MM-DD) or timestamp: '" + text + "'");
            }
        } else {
            String iso = s.replace(' ', 'T');
            try {
                instant = OffsetDateTime.parse(iso).toInstant();
            } catch (DateTimeParseException notOffset) {
                try {
                    instant = LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException notLocal) {
                    throw new IllegalArgumentException("not a date (YYYY-MM-DD) or timestamp: '" + text + "'");
                }
            }
        }
        try {
            return nanos(instant);
        } catch (ArithmeticException outOfRange) {
            return instant.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** {@code YYYY-MM-DDTHH:MM:SSZ}, truncated to the second as the reference prints it. */
    public static String formatSeconds(long epochNanos) {
        return SECONDS_Z.format(Instant.ofEpochSecond(Math.floorDiv(epochNanos, NANOS_PER_SECOND)));
    }

    /** Days since 1970-01-01 (UTC) of an instant. */
    public static int epochDay(long epochNanos) {
        return (int) Math.floorDiv(epochNanos, NANOS_PER_DAY);
    }

    public static long startOfDayNanos(int epochDay) {
        return epochDay * NANOS_PER_DAY;
    }

    /** {@code YYYY-MM-DD} of an epoch day (memoised: the hot path formats the same few days again and again). */
    public static String formatDay(int epochDay) {
        return DAY_NAMES.computeIfAbsent(epochDay, d -> LocalDate.ofEpochDay(d).toString());
    }

    /** Months since 1970-01 (UTC): year * 12 + month - 1, relative to 1970. */
    public static int epochMonth(long epochNanos) {
        LocalDate d = LocalDate.ofEpochDay(epochDay(epochNanos));
        return (d.getYear() - 1970) * 12 + d.getMonthValue() - 1;
    }

    /** {@code YYYY-MM} of an epoch month. */
    public static String formatMonth(int epochMonth) {
        return MONTH_NAMES.computeIfAbsent(epochMonth, m -> {
            int year = 1970 + Math.floorDiv(m, 12);
            int month = Math.floorMod(m, 12) + 1;
            return LocalDate.of(year, month, 1).toString().substring(0, year > 9999 ? 8 : 7);
        });
    }
}
