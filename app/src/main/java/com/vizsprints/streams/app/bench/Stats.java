package com.vizsprints.streams.app.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median / min / max of repeated runs, and percentiles of latency samples. */
final class Stats {
    private Stats() {
    }

    record Spread(double median, double min, double max, int runs) {
        String format(String unit) {
            if (runs == 1) {
                return String.format("%,.0f %s (1 run)", median, unit);
            }
            return String.format("%,.0f %s (min %,.0f, max %,.0f, %d runs)", median, unit, min, max, runs);
        }
    }

    static Spread spread(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Spread(median, sorted.get(0), sorted.get(n - 1), n);
    }

    /** Nearest-rank percentile of nanosecond samples, in milliseconds. */
    static double percentileMs(List<Long> nanos, double p) {
        if (nanos.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1))) / 1e6;
    }
}
