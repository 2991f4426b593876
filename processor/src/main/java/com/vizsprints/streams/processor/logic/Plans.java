package com.vizsprints.streams.processor.logic;

import java.util.Map;

/** Subscription plans and the revenue the reference assigns to each. */
public final class Plans {
    public static final Map<String, Integer> MONTHLY_REVENUE = Map.of("Free", 0, "Premium", 29, "Enterprise", 99);

    private Plans() {
    }

    public static boolean isKnown(String plan) {
        return plan != null && MONTHLY_REVENUE.containsKey(plan);
    }

    /**
     * Revenue of a plan; a missing plan (null) adds nothing, and so does an unknown one (the
     * replay tool rejects such rows).
     */
    public static int revenue(String plan) {
        return plan == null ? 0 : MONTHLY_REVENUE.getOrDefault(plan, 0);
    }
}
