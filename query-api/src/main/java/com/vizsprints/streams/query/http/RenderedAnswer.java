package com.vizsprints.streams.query.http;

/**
 * A JSON answer as sent, with its ETag: computed once with the answer, so a cached answer
 * (served many times) is not hashed again on every request.
 */
record RenderedAnswer(byte[] json, String etag) {
    static RenderedAnswer of(byte[] json) {
        return new RenderedAnswer(json, DashboardRoutes.etag(json));
    }
}
