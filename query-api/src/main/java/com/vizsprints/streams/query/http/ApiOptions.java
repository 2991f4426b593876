package com.vizsprints.streams.query.http;

import java.util.List;

/**
 * HTTP-level options.
 *
 * @param allowedOrigins CORS origins; {@code ["*"]} (the default) answers any origin, as the reference
 * @param apiToken       when non-null, every /api request except /api/health needs {@code Authorization: Bearer <token>}
 * @param answerMaxAgeMillis how long a computed answer may be reused for identical requests (0: never)
 */
public record ApiOptions(List<String> allowedOrigins, String apiToken, long answerMaxAgeMillis) {
    /** Reuse answers for one commit interval of the processor. */
    public static final long DEFAULT_ANSWER_MAX_AGE_MILLIS = 100;
    /** Never serve an answer older than this (stale answers are refreshed in the background). */
    public static final long ANSWER_MAX_STALE_MILLIS = 500;

    public ApiOptions(List<String> allowedOrigins, String apiToken) {
        this(allowedOrigins, apiToken, DEFAULT_ANSWER_MAX_AGE_MILLIS);
    }

    public static ApiOptions open() {
        return new ApiOptions(List.of("*"), null);
    }

    /** The same options with answers always computed fresh (tests that change state between requests). */
    public ApiOptions uncached() {
        return new ApiOptions(allowedOrigins, apiToken, 0);
    }
}
