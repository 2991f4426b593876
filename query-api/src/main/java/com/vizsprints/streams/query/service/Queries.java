package com.vizsprints.streams.query.service;

import com.vizsprints.streams.processor.schema.IndexKeys.SessionOrder;

/** The validated parameters of each endpoint. */
public final class Queries {
    private Queries() {
    }

    public record UsersQuery(String country, String device, String subscriptionStatus, int limit, int offset) {
        public static final int DEFAULT_LIMIT = 1000;
    }

    /** Bounds are inclusive epoch nanos, or null. */
    public record EventsQuery(String userId, String eventName, Long startNanos, Long endNanos) {
        public static final int MAX_EVENTS = 1000;
    }

    /** Simulation inputs: sample sizes and conversions in percent. */
    public record Simulation(long nA, double convAPercent, long nB, double convBPercent) {
    }

    /**
     * @param userLimit  only the first N users in input order (null: all)
     * @param eventLimit only the first N events in input order (null: all)
     * @param simulation when non-null, the simulation mode of the reference
     */
    public record AbTestQuery(double confidenceLevel, Long userLimit, Long eventLimit, Simulation simulation) {
        public static final double DEFAULT_CONFIDENCE = 0.95;
    }

    public record SessionsQuery(long limit, SessionOrder sortBy) {
        public static final long DEFAULT_LIMIT = 100;
    }
}
