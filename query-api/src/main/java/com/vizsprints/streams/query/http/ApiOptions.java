package com.vizsprints.streams.query.http;

import java.util.List;

/**
 * HTTP-level options.
 *
 * @param allowedOrigins CORS origins; {@code ["*"]} (the default) answers any origin, as the reference
 * @param apiToken       when non-null, every /api request except /api/health needs {@code Authorization: Bearer <token>}
 */
public record ApiOptions(List<String> allowedOrigins, String apiToken) {
    public static ApiOptions open() {
        return new ApiOptions(List.of("*"), null);
    }
}
