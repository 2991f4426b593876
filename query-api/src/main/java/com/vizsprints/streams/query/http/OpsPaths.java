package com.vizsprints.streams.query.http;

/** The operators' paths of the public server. */
public final class OpsPaths {
    public static final String METRICS = "/metrics";
    public static final String LIVEZ = "/livez";
    public static final String READYZ = "/readyz";
    public static final String OPENAPI = "/openapi.json";

    private OpsPaths() {
    }
}
