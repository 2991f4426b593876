package com.vizsprints.streams.processor.logic;

import com.vizsprints.streams.processor.model.Timestamps;

/**
 * Keys of the partition-local counters in the aggregates store, declared once for the writer
 * (the topology) and the readers (the query service). Keys sharing a prefix sort together, and
 * day and month keys sort chronologically, so a dashboard query is one prefix scan whose cost
 * depends on the number of days or months, never on users or events.
 */
public final class AggregateKeys {
    /** Users with a profile. */
    public static final String USERS = "users";
    /** Sum of plan revenue over users with a profile. */
    public static final String REVENUE = "revenue";
    /** Largest event time seen (a maximum, not a sum). */
    public static final String MAX_EVENT_NANOS = "max-event-nanos";
    /** Input records sent to the dead-letter topic. */
    public static final String DEAD_LETTERED = "dead-lettered";
    /** Events whose id had been seen already (counted once, as replays must be idempotent). */
    public static final String DUPLICATE_EVENTS = "duplicate-events";

    public static final String STAGE_PREFIX = "stage|";
    public static final String VARIANT_PREFIX = "variant|";
    public static final String DAU_PREFIX = "dau|";
    public static final String SIGNUPS_PREFIX = "signups|";
    public static final String COHORT_PREFIX = "cohort|";
    public static final String LAST_SEEN_PREFIX = "last-seen|";
    public static final String SEGMENT_PREFIX = "segment|";
    public static final String EVENT_DAY_PREFIX = "event-day|";
    public static final String EVENT_DAY_NAME_PREFIX = "event-day-name|";

    /** Separator inside segment keys; a control character cannot appear in CSV values we accept. */
    public static final char SEP = '\u001f';

    private AggregateKeys() {
    }

    /** Users (known or not) with at least one event of a funnel stage. */
    public static String stage(int stage) {
        return STAGE_PREFIX + stage;
    }

    public static String variantUsers(String variant) {
        return VARIANT_PREFIX + variant + SEP + "users";
    }

    public static String variantEvents(String variant) {
        return VARIANT_PREFIX + variant + SEP + "events";
    }

    public static String variantStage(String variant, int stage) {
        return VARIANT_PREFIX + variant + SEP + "stage" + stage;
    }

    public static String dau(int epochDay) {
        return DAU_PREFIX + Timestamps.formatDay(epochDay);
    }

    public static String signups(int epochDay) {
        return SIGNUPS_PREFIX + Timestamps.formatDay(epochDay);
    }

    /** Known users of a cohort with at least one event. */
    public static String cohortSize(int cohortMonth) {
        return COHORT_PREFIX + Timestamps.formatMonth(cohortMonth) + SEP + "size";
    }

    /** Known users of a cohort active in month {@code k} after joining (k may be negative). */
    public static String cohortCell(int cohortMonth, int k) {
        return COHORT_PREFIX + Timestamps.formatMonth(cohortMonth) + SEP + "m" + SEP + k;
    }

    /** Users whose last event falls on a day. */
    public static String lastSeen(int epochDay) {
        return LAST_SEEN_PREFIX + Timestamps.formatDay(epochDay);
    }

    /**
     * Known users by (country, device, plan), for /api/users totals. A missing value (null) is
     * written as an empty part: a present value is never empty (a blank field is missing), and no
     * filter matches it, as {@code df[df.country == 'US']} drops NaN.
     */
    public static String segment(String country, String device, String plan) {
        return SEGMENT_PREFIX + orEmpty(country) + SEP + orEmpty(device) + SEP + orEmpty(plan);
    }

    /** Distinct events (known users or not) of a day; all events are the sum over days. */
    public static String eventDay(int epochDay) {
        return EVENT_DAY_PREFIX + Timestamps.formatDay(epochDay);
    }

    /**
     * Distinct events of one name on a day; all events of a name are the sum over days. Events
     * without a name (null) count under the empty name, which no filter asks for.
     */
    public static String eventDayName(int epochDay, String name) {
        return EVENT_DAY_NAME_PREFIX + Timestamps.formatDay(epochDay) + SEP + orEmpty(name);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    /** Smallest string greater than every key with this prefix, for range scans. */
    public static String prefixEnd(String prefix) {
        return prefix + '\uffff';
    }
}
