package com.vizsprints.streams.query.http;

import java.util.List;

/**
 * HTTP-level options.
 *
 * @param allowedOrigins     CORS origins; {@code ["*"]} (the default) answers any origin, as the reference
 * @param apiToken           when non-null, every /api request except /api/health needs {@code Authorization: Bearer <token>}
 * @param answerMaxAgeMillis how long a computed answer may be reused for identical requests (0: never)
 * @param requestThreads     the HTTP server's threads, at least {@link #MIN_REQUEST_THREADS}: Jetty keeps an acceptor,
 *                           a selector and a reserved thread among them, the others run requests (see
 *                           {@link #DEFAULT_REQUEST_THREADS})
 */
public record ApiOptions(List<String> allowedOrigins, String apiToken, long answerMaxAgeMillis, int requestThreads) {
    /** Reuse answers for one commit interval of the processor. */
    public static final long DEFAULT_ANSWER_MAX_AGE_MILLIS = 100;
    /** Never serve an answer older than this (stale answers are refreshed in the background). */
    public static final long ANSWER_MAX_STALE_MILLIS = 500;
    /** The server's acceptor, selector and reserved thread (Jetty requires more than these), and one to run requests. */
    public static final int MIN_REQUEST_THREADS = 4;
    /**
     * Two, and one per core to run requests. The stream threads share the cores: every runnable
     * request thread gets as large a share of a core as a stream thread, so a server with
     * Jetty's default of up to 250 threads, under 50 concurrent dashboard clients, left processing
     * about 1% of its speed (BENCHMARKS.md, "Query load starved processing"). Requests beyond these
     * wait in the server's queue, taking no CPU.
     */
    public static final int DEFAULT_REQUEST_THREADS = Math.max(MIN_REQUEST_THREADS, 2 + Runtime.getRuntime().availableProcessors());

    public ApiOptions {
        if (requestThreads < MIN_REQUEST_THREADS) {
            throw new IllegalArgumentException("the HTTP server needs at least " + MIN_REQUEST_THREADS + " threads, got " + requestThreads);
        }
    }

    public ApiOptions(List<String> allowedOrigins, String apiToken) {
        this(allowedOrigins, apiToken, DEFAULT_ANSWER_MAX_AGE_MILLIS, DEFAULT_REQUEST_THREADS);
    }

    public static ApiOptions open() {
        return new ApiOptions(List.of("*"), null);
    }

    /** The same options with answers always computed fresh (tests that change state between requests). */
    public ApiOptions uncached() {
        return new ApiOptions(allowedOrigins, apiToken, 0, requestThreads);
    }

    /** The same options with {@code n} HTTP server threads. */
    public ApiOptions withRequestThreads(int n) {
        return new ApiOptions(allowedOrigins, apiToken, answerMaxAgeMillis, n);
    }
}
