package com.vizsprints.streams.query.service;

import org.apache.commons.math3.distribution.NormalDistribution;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reference's A/B statistics: a pooled two-proportion z-test (two-tailed) and the power of
 * the test from Cohen's h with the harmonic mean of the sample sizes.
 */
public final class AbTestStatistics {
    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    private AbTestStatistics() {
    }

    /**
     * @param convA conversion of A as a fraction (0..1)
     * @param convB conversion of B as a fraction (0..1)
     */
    public static Map<String, Object> compute(long nA, double convA, long nB, double convB, double confidenceLevel) {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("p_value", 1.0);
        stats.put("significant", false);
        stats.put("power", 0.0);
        stats.put("z_score", 0.0);
        stats.put("confidence_level", confidenceLevel);
        if (nA <= 0 || nB <= 0) {
            return stats;
        }
        double pooled = (nA * convA + nB * convB) / (nA + nB);
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / nA + 1.0 / nB));
        if (!(se > 0)) {
            return stats;
        }
        double z = (convB - convA) / se;
        stats.put("z_score", Rounding.python(z, 4));
        double p = 2 * (1 - STANDARD_NORMAL.cumulativeProbability(Math.abs(z)));
        stats.put("p_value", Rounding.python(p, 4));
        double alpha = 1 - confidenceLevel;
        stats.put("significant", p < alpha);
        double h = 2 * (Math.asin(Math.sqrt(convB)) - Math.asin(Math.sqrt(convA)));
        double nHarmonic = 2.0 * nA * nB / (nA + nB);
        double zAlpha = STANDARD_NORMAL.inverseCumulativeProbability(1 - alpha / 2);
        double zBeta = Math.abs(h) * Math.sqrt(nHarmonic / 2) - zAlpha;
        stats.put("power", Rounding.python(STANDARD_NORMAL.cumulativeProbability(zBeta), 4));
        return stats;
    }
}
