package com.vizsprints.streams.processor.logic;

import com.vizsprints.streams.processor.model.Timestamps;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

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

    private static final DayKeys DAU = new DayKeys(DAU_PREFIX, "");
    private static final DayKeys LAST_SEEN = new DayKeys(LAST_SEEN_PREFIX, "");
    private static final DayKeys EVENT_DAY = new DayKeys(EVENT_DAY_PREFIX, "");
    /** Per event name, its keys by day. */
    private static final Map<String, DayKeys> EVENT_DAY_NAME = new ConcurrentHashMap<>();
    private static final Map<String, String> VARIANT_EVENTS = new ConcurrentHashMap<>();
    /** Names or variants whose keys are kept, at most: beyond, keys are built each time (they come from input data). */
    private static final int KEPT_NAMES = 1_000;

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
        String key = VARIANT_EVENTS.get(variant);
        if (key == null) {
            key = VARIANT_PREFIX + variant + SEP + "events";
            if (VARIANT_EVENTS.size() < KEPT_NAMES) {
                VARIANT_EVENTS.put(variant, key);
            }
        }
        return key;
    }

    public static String variantStage(String variant, int stage) {
        return VARIANT_PREFIX + variant + SEP + "stage" + stage;
    }

    public static String dau(int epochDay) {
        return DAU.of(epochDay);
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
        return LAST_SEEN.of(epochDay);
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
        return EVENT_DAY.of(epochDay);
    }

    /**
     * Distinct events of one name on a day; all events of a name are the sum over days. Events
     * without a name (null) count under the empty name, which no filter asks for.
     */
    public static String eventDayName(int epochDay, String name) {
        String n = orEmpty(name);
        DayKeys keys = EVENT_DAY_NAME.get(n);
        if (keys == null) {
            if (EVENT_DAY_NAME.size() >= KEPT_NAMES) {
                return EVENT_DAY_NAME_PREFIX + Timestamps.formatDay(epochDay) + SEP + n;
            }
            keys = EVENT_DAY_NAME.computeIfAbsent(n, x -> new DayKeys(EVENT_DAY_NAME_PREFIX, SEP + x));
        }
        return keys.of(epochDay);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    /**
     * The keys of one kind by day, each built once: the processing step asks for the same few
     * days' keys for every event, and a key built anew was formatted, concatenated and hashed
     * each time. Kept in chunks of 1,024 days from 1970-01-01 on, made when first asked for
     * (threads that race to build one key each get an equal String, immutable, so safe to share).
     */
    private static final class DayKeys {
        private static final int CHUNK = 1024;
        private static final int CHUNKS = 64;
        private final String prefix;
        private final String suffix;
        private final AtomicReferenceArray<String[]> chunks = new AtomicReferenceArray<>(CHUNKS);

        DayKeys(String prefix, String suffix) {
            this.prefix = prefix;
            this.suffix = suffix;
        }

        String of(int epochDay) {
            if (epochDay < 0 || epochDay >= CHUNK * CHUNKS) {
                return prefix + Timestamps.formatDay(epochDay) + suffix;
            }
            String[] chunk = chunks.get(epochDay / CHUNK);
            if (chunk == null) {
                chunks.compareAndSet(epochDay / CHUNK, null, new String[CHUNK]);
                chunk = chunks.get(epochDay / CHUNK);
            }
            String key = chunk[epochDay % CHUNK];
            if (key == null) {
                key = prefix + Timestamps.formatDay(epochDay) + suffix;
                chunk[epochDay % CHUNK] = key;
            }
            return key;
        }
    }

    /** Smallest string greater than every key with this prefix, for range scans. */
    public static String prefixEnd(String prefix) {
        return prefix + '\uffff';
    }
}
