package com.vizsprints.streams.query.service;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The two roundings the reference uses. */
public final class Rounding {
    private Rounding() {
    }

    /** Python's {@code round(x, digits)}: the exact binary value, half to even. */
    public static double python(double x, int digits) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return x;
        }
        return new BigDecimal(x).setScale(digits, RoundingMode.HALF_EVEN).doubleValue();
    }

    /** pandas' {@code Series.round(2)}: {@code rint(x * 100) / 100}. */
    public static double pandas2(double x) {
        return Math.rint(x * 100) / 100;
    }
}
