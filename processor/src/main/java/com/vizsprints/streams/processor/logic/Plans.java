package com.vizsprints.streams.processor.logic;

import java.util.Map;

/** Subscription plans and the revenue the reference assigns to each. */
public final class Plans {
    public static final Map<String, Integer> MONTHLY_REVENUE = Map.of("Free", 0, "Premium", 29, "Enterprise", 99);

    private Plans() {
    }

    public static boolean isKnown(String plan) {
        return MONTHLY_REVENUE.containsKey(plan);
    }

    /** Revenue of a plan; an unknown plan earns nothing (the replay tool rejects such rows). */
    public static int revenue(String plan) {
        return MONTHLY_REVENUE.getOrDefault(plan, 0);
    }
}
