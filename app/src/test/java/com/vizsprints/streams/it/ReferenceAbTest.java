package com.vizsprints.streams.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vizsprints.streams.processor.model.EventRecord;
import com.vizsprints.streams.processor.model.UserRecord;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reference's live /api/ab-test written as plainly as the pandas code reads: take the first
 * rows of the files, inner-join events to users, count. An oracle for order-dependent requests.
 *
 * <p>It shares no code with the production answer: the stage names, Python's {@code round}, the
 * standard normal distribution and its inverse, the z-test and the power are written here again
 * from SPEC.md and the reference's source (checked against the goldens by
 * {@code ReferenceAbTestOracleTest}). Only the input records (plain CSV rows) are shared.
 */
final class ReferenceAbTest {
    /** The reference's {@code funnel_stages}, in order. */
    static final List<String> STAGES = List.of("signup_success", "view_dashboard", "start_project", "complete_task", "invite_user");

    private ReferenceAbTest() {
    }

    static JsonNode answer(List<UserRecord> usersInFileOrder, List<EventRecord> eventsInFileOrder,
                           Integer limit, Integer eventLimit, double confidence) {
        // users_df.head(limit) / events_df.head(event_limit); 0 or no value means everything
        List<UserRecord> users = limit == null || limit <= 0 ? usersInFileOrder
                : usersInFileOrder.subList(0, Math.min(limit, usersInFileOrder.size()));
        List<EventRecord> events = eventLimit == null || eventLimit <= 0 ? eventsInFileOrder
                : eventsInFileOrder.subList(0, Math.min(eventLimit, eventsInFileOrder.size()));
        // events.merge(users[['user_id', 'ab_variant']], on='user_id'): an event joins every user row of its id
        Map<String, List<String>> variantsOf = new HashMap<>();
        users.forEach(u -> variantsOf.computeIfAbsent(u.userId(), k -> new ArrayList<>()).add(u.abVariant()));

        Map<String, Object> out = new LinkedHashMap<>();
        long[] n = new long[2];
        long[] converted = new long[2];
        double[] avg = new double[2];
        String[] variants = {"A", "B"};
        for (int v = 0; v < 2; v++) {
            String variant = variants[v];
            long users_ = users.stream().filter(u -> variant.equals(u.abVariant())).count();
            List<EventRecord> mine = new ArrayList<>();
            for (EventRecord e : events) {
                for (String joined : variantsOf.getOrDefault(e.userId(), List.of())) {
                    if (variant.equals(joined)) {
                        mine.add(e);
                    }
                }
            }
            List<Map<String, Object>> funnel = new ArrayList<>();
            long lastStageUsers = 0;
            for (String stage : STAGES) {
                Set<String> distinct = new HashSet<>();
                mine.stream().filter(e -> stage.equals(e.eventName())).forEach(e -> distinct.add(e.userId()));
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("stage", stage);
                row.put("users", distinct.size());
                row.put("conversion_rate", users_ > 0 ? pythonRound(distinct.size() / (double) users_ * 100, 2) : 0);
                funnel.add(row);
                lastStageUsers = distinct.size();
            }
            avg[v] = users_ > 0 ? pythonRound(mine.size() / (double) users_, 2) : 0;
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("total_users", users_);
            body.put("total_events", mine.size());
            body.put("avg_events_per_user", users_ > 0 ? (Object) avg[v] : (Object) 0);
            body.put("funnel", funnel);
            out.put("variant_" + variant, body);
            n[v] = users_;
            converted[v] = lastStageUsers;
        }
        // lift from the rounded averages; the reference divides by zero when A's is 0 (we answer 0)
        out.put("lift", n[0] > 0 && avg[0] != 0 ? pythonRound((avg[1] - avg[0]) / avg[0] * 100, 2) : 0);
        out.put("stats", stats(n[0], n[0] > 0 ? converted[0] / (double) n[0] : 0,
                n[1], n[1] > 0 ? converted[1] / (double) n[1] : 0, confidence));
        return new ObjectMapper().valueToTree(out);
    }

    /** The reference's "Statistical Calculations (Z-Test & Power)" block, conversions as fractions. */
    static Map<String, Object> stats(long nA, double convA, long nB, double convB, double confidence) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("p_value", 1.0);
        s.put("significant", false);
        s.put("power", 0.0);
        s.put("z_score", 0.0);
        s.put("confidence_level", confidence);
        if (nA > 0 && nB > 0) {
            double pPool = (nA * convA + nB * convB) / (nA + nB);
            double se = Math.sqrt(pPool * (1 - pPool) * (1.0 / nA + 1.0 / nB));
            if (se > 0) {
                double z = (convB - convA) / se;
                s.put("z_score", pythonRound(z, 4));
                double p = 2 * (1 - phi(Math.abs(z)));
                s.put("p_value", pythonRound(p, 4));
                double alpha = 1 - confidence;
                s.put("significant", p < alpha);
                double h = 2 * (Math.asin(Math.sqrt(convB)) - Math.asin(Math.sqrt(convA)));
                double nHarm = 2.0 * nA * nB / (nA + nB);
                double zAlpha = phiInverse(1 - alpha / 2);
                double zBeta = Math.abs(h) * Math.sqrt(nHarm / 2) - zAlpha;
                s.put("power", pythonRound(phi(zBeta), 4));
            }
        }
        return s;
    }

    /**
     * Python's {@code round(x, digits)}: the exact binary value of x, rounded half to even at
     * {@code digits} decimals, done by hand on the exact decimal expansion.
     */
    static double pythonRound(double x, int digits) {
        BigDecimal scaled = new BigDecimal(x).movePointRight(digits);    // exact
        BigDecimal[] wholeAndFraction = scaled.divideAndRemainder(BigDecimal.ONE); // truncated toward 0
        BigInteger whole = wholeAndFraction[0].toBigIntegerExact();
        int vsHalf = wholeAndFraction[1].abs().compareTo(new BigDecimal("0.5"));
        if (vsHalf > 0 || (vsHalf == 0 && whole.testBit(0))) {
            whole = whole.add(BigInteger.valueOf(scaled.signum()));
        }
        return Double.parseDouble(new BigDecimal(whole).movePointLeft(digits).toString());
    }

    /**
     * The standard normal CDF. For |x| &lt; 1.5 Marsaglia's series (J. Stat. Software 11(4), 2004),
     * Φ(x) = 1/2 + φ(x)(x + x³/3 + x⁵/(3·5) + …); beyond, the upper tail from Laplace's continued
     * fraction Q(x) = φ(x) / (x + 1/(x + 2/(x + 3/(x + …)))) (modified Lentz), accurate relative to
     * the tail itself. Within a few units in the last place of {@code 0.5 * erfc(-x / √2)}.
     */
    static double phi(double x) {
        if (Math.abs(x) < 1.5) {
            double term = x;
            double sum = x;
            double x2 = x * x;
            for (int i = 3; sum + term != sum; i += 2) {
                term = term * x2 / i;
                sum += term;
            }
            return 0.5 + sum * density(x);
        }
        double tail = upperTail(Math.abs(x));
        return x > 0 ? 1 - tail : tail;
    }

    /** Q(x) = 1 - Φ(x) for x ≥ 1.5, by the continued fraction. */
    private static double upperTail(double x) {
        double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int k = 1; k < 10_000; k++) {
            d = x + k * d;
            d = 1 / (d == 0 ? tiny : d);
            c = x + k / c;
            c = c == 0 ? tiny : c;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return density(x) / f;
    }

    /** φ(x) = exp(-x²/2) / √(2π). */
    private static double density(double x) {
        return Math.exp(-0.5 * x * x - 0.91893853320467274178); // ln √(2π)
    }

    /** The inverse of {@link #phi}, by bisection to the last bit (Φ is increasing). */
    static double phiInverse(double p) {
        double lo = -40;
        double hi = 40;
        while (true) {
            double mid = lo + (hi - lo) / 2;
            if (mid <= lo || mid >= hi) {
                return phi(hi) - p < p - phi(lo) ? hi : lo;
            }
            if (phi(mid) < p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
    }
}
