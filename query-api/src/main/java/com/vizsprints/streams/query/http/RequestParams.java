package com.vizsprints.streams.query.http;

import com.vizsprints.streams.processor.model.Timestamps;
import com.vizsprints.streams.query.service.BadRequestException;
import io.javalin.http.Context;

/**
 * Typed, validated access to query parameters. An empty value counts as absent (the reference
 * ignores empty filters); a present but malformed value is a {@link BadRequestException} naming
 * the parameter. Unknown parameters are ignored, as the reference does.
 */
final class RequestParams {
    static final int MAX_TEXT_LENGTH = 256;

    private final Context ctx;

    RequestParams(Context ctx) {
        this.ctx = ctx;
    }

    String text(String name) {
        String v = raw(name);
        if (v != null && v.length() > MAX_TEXT_LENGTH) {
            throw new BadRequestException(name, "parameter '" + name + "' is longer than " + MAX_TEXT_LENGTH + " characters");
        }
        return v;
    }

    Long integer(String name, long min, long max) {
        String v = raw(name);
        if (v == null) {
            return null;
        }
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new BadRequestException(name, "parameter '" + name + "' must be an integer, got '" + shorten(v) + "'");
        }
        if (n < min || n > max) {
            throw new BadRequestException(name, "parameter '" + name + "' must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    /** A finite number in [min, max] (or (min, max) when {@code exclusive}). */
    Double number(String name, double min, double max, boolean exclusive) {
        String v = raw(name);
        if (v == null) {
            return null;
        }
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new BadRequestException(name, "parameter '" + name + "' must be a number, got '" + shorten(v) + "'");
        }
        boolean inRange = exclusive ? d > min && d < max : d >= min && d <= max;
        if (!Double.isFinite(d) || !inRange) {
            String range = exclusive ? "strictly between " + min + " and " + max : "between " + min + " and " + max;
            throw new BadRequestException(name, "parameter '" + name + "' must be " + range + ", got '" + shorten(v) + "'");
        }
        return d;
    }

    /** A date ({@code YYYY-MM-DD}, midnight UTC) or ISO-8601 timestamp, as epoch nanos. */
    Long instant(String name) {
        String v = raw(name);
        if (v == null) {
            return null;
        }
        try {
            return Timestamps.parseDateOrTimestamp(v);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new BadRequestException(name, "parameter '" + name + "' must be a date (YYYY-MM-DD) or an ISO-8601 timestamp, got '" + shorten(v) + "'");
        }
    }

    boolean has(String name) {
        return raw(name) != null;
    }

    private String raw(String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isEmpty() ? null : v;
    }

    private static String shorten(String v) {
        return v.length() <= 40 ? v : v.substring(0, 40) + "...";
    }
}
