package com.vizsprints.streams.query.service;

import com.vizsprints.streams.processor.logic.AggregateKeys;
import com.vizsprints.streams.processor.logic.FunnelStages;
import com.vizsprints.streams.processor.logic.Profile;
import com.vizsprints.streams.processor.logic.SessionSummary;
import com.vizsprints.streams.processor.logic.UserSummary;
import com.vizsprints.streams.processor.model.EventRecord;
import com.vizsprints.streams.processor.model.Timestamps;
import com.vizsprints.streams.processor.schema.IndexKeys;
import com.vizsprints.streams.processor.schema.IndexKeys.SessionOrder;
import com.vizsprints.streams.processor.schema.StoreValues;
import com.vizsprints.streams.processor.schema.StoreValues.OrderedEvent;
import com.vizsprints.streams.query.service.Queries.AbTestQuery;
import com.vizsprints.streams.query.service.Queries.EventsQuery;
import com.vizsprints.streams.query.service.Queries.SessionsQuery;
import com.vizsprints.streams.query.service.Queries.Simulation;
import com.vizsprints.streams.query.service.Queries.UsersQuery;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Answers every endpoint of the reference from the state stores, with the reference's fields,
 * ordering and rounding. Independent of HTTP: results are plain maps and lists ready for JSON.
 * Dashboard answers read counters (cost grows with days and months, not users or events);
 * list answers read ordered indexes up to the requested limit.
 */
public final class AnalyticsQueryService {
    static final long DAY_NANOS = 86_400_000_000_000L;
    static final long ACTIVE_WINDOW_NANOS = 30 * DAY_NANOS;
    static final long SESSION_ACTIVE_WINDOW_NANOS = 7 * DAY_NANOS;
    private static final List<String> VARIANTS = List.of("A", "B");

    private final StoreAccess stores;
    private final boolean allowPartial;
    private final Set<Integer> missing = new java.util.TreeSet<>();

    public AnalyticsQueryService(StoreAccess stores) {
        this(stores, false);
    }

    private AnalyticsQueryService(StoreAccess stores, boolean allowPartial) {
        this.stores = stores;
        this.allowPartial = allowPartial;
    }

    /**
     * A service for one request that answers from the partitions available right now instead of
     * refusing; {@link #missingPartitions()} then says what the answer lacks.
     */
    public AnalyticsQueryService partialAnswers() {
        return new AnalyticsQueryService(stores, true);
    }

    /** Partitions left out of the answers of a {@link #partialAnswers()} service, in order. */
    public List<Integer> missingPartitions() {
        synchronized (missing) {
            return List.copyOf(missing);
        }
    }

    private List<PartitionStores> partitions() {
        if (!allowPartial) {
            return stores.allPartitions();
        }
        StoreAccess.PartitionSet set = stores.partitions();
        synchronized (missing) {
            missing.addAll(set.missing());
        }
        return set.available();
    }

    /** The stores of the partition holding a user, or null when it is not among {@code partitions}. */
    private PartitionStores partitionOfUser(List<PartitionStores> partitions, String userId) {
        int p = stores.partitionOf(userId);
        for (PartitionStores s : partitions) {
            if (s.partition() == p) {
                return s;
            }
        }
        return null;
    }

    /** {@link StoreAccess#dataVersion()}: while it stays the same, so do the answers. */
    public OptionalLong dataVersion() {
        return stores.dataVersion();
    }

    // ------------------------------------------------------------------ health

    public Map<String, Object> health() {
        StoreAccess.StreamStatus status = stores.status();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", status.running() ? "healthy" : "starting");
        out.put("users_loaded", status.running());
        out.put("events_loaded", status.running());
        out.put("streams_state", status.state());
        out.put("pending_records", status.pendingRecords());
        java.lang.management.MemoryUsage heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        out.put("jvm_heap_used_bytes", heap.getUsed());
        out.put("jvm_heap_max_bytes", heap.getMax());
        if (status.localPartitions() != null) {
            out.put("local_partitions", status.localPartitions());
            out.put("partitions", status.partitionCount());
        }
        if (status.running()) {
            try {
                Counters c = new Counters(partitions());
                out.put("users", c.get(AggregateKeys.USERS));
                out.put("events", c.totalEvents());
                out.put("duplicate_events", c.get(AggregateKeys.DUPLICATE_EVENTS));
                out.put("dead_lettered", c.get(AggregateKeys.DEAD_LETTERED));
            } catch (NotReadyException e) {
                out.put("status", "rebalancing");
                out.put("detail", e.getMessage());
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ metrics

    public Map<String, Object> metrics() {
        List<PartitionStores> partitions = partitions();
        Counters c = new Counters(partitions);
        long totalUsers = c.get(AggregateKeys.USERS);
        long totalEvents = c.totalEvents();
        long completed = c.get(AggregateKeys.stage(FunnelStages.COMPLETE_TASK));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total_users", totalUsers);
        out.put("active_users", activeUsers(partitions, c));
        out.put("conversion_rate", totalUsers > 0 ? Rounding.python((double) completed / totalUsers * 100, 2) : 0);
        out.put("revenue", c.get(AggregateKeys.REVENUE));
        out.put("avg_events_per_user", totalUsers > 0 ? Rounding.python((double) totalEvents / totalUsers, 2) : 0);
        out.put("total_events", totalEvents);
        return out;
    }

    /**
     * Distinct users with an event at or after max event time - 30 days: whole days after the
     * threshold's day come from the last-seen counters, the threshold's own day from its
     * last-seen counter and the last-activity ranking of the shorter part of that day (the users
     * last seen from the threshold on, or those last seen before it, subtracted).
     */
    private long activeUsers(List<PartitionStores> partitions, Counters c) {
        Long max = c.maxEventNanos();
        if (max == null) {
            return 0;
        }
        long threshold = max - ACTIVE_WINDOW_NANOS;
        int thresholdDay = Timestamps.epochDay(threshold);
        long active = c.sumWithPrefixFrom(AggregateKeys.LAST_SEEN_PREFIX, Timestamps.formatDay(thresholdDay + 1));
        long startOfDay = Timestamps.startOfDayNanos(thresholdDay);
        long endOfDay = Timestamps.startOfDayNanos(thresholdDay + 1) - 1;
        if (endOfDay - threshold <= threshold - startOfDay) {
            return active + lastActiveBetween(partitions, threshold, endOfDay);
        }
        return active + c.get(AggregateKeys.lastSeen(thresholdDay)) - lastActiveBetween(partitions, startOfDay, threshold - 1);
    }

    /** Users whose last event falls in [from, to], counted in the last-activity ranking. */
    private static long lastActiveBetween(List<PartitionStores> partitions, long from, long to) {
        // the ranking is in descending time: the latest time's key comes first
        Bytes first = IndexKeys.lastActivityAtOrBefore(to);
        Bytes end = IndexKeys.lastActivityAtOrBefore(from - 1);
        long n = 0;
        for (PartitionStores p : partitions) {
            try (KeyValueIterator<Bytes, byte[]> it = p.sessionRank().range(first, end)) {
                while (it.hasNext()) {
                    it.next();
                    n++;
                }
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ funnel

    public Map<String, Object> funnel() {
        Counters c = new Counters(partitions());
        long totalUsers = c.get(AggregateKeys.USERS);
        List<Map<String, Object>> stages = new ArrayList<>();
        long previous = 0;
        for (int s = 0; s < FunnelStages.COUNT; s++) {
            long users = c.get(AggregateKeys.stage(s));
            Number fromTotal = totalUsers > 0 ? Rounding.python((double) users / totalUsers * 100, 2) : 0;
            double fromPreviousRaw;
            Number fromPrevious;
            Number dropOff;
            if (s == 0) {
                fromPreviousRaw = 100.0;
                fromPrevious = Rounding.python(100.0, 2);
                dropOff = Rounding.python(100 - fromPreviousRaw, 2);
            } else if (previous > 0) {
                fromPreviousRaw = (double) users / previous * 100;
                fromPrevious = Rounding.python(fromPreviousRaw, 2);
                dropOff = Rounding.python(100 - fromPreviousRaw, 2);
            } else {
                fromPrevious = 0;
                dropOff = 100;
            }
            Map<String, Object> stage = new LinkedHashMap<>();
            stage.put("stage", FunnelStages.label(s));
            stage.put("users", users);
            stage.put("conversion_from_total", fromTotal);
            stage.put("conversion_from_previous", fromPrevious);
            stage.put("drop_off", dropOff);
            stages.add(stage);
            previous = users;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("funnel", stages);
        out.put("total_users", totalUsers);
        return out;
    }

    // ------------------------------------------------------------------ cohorts

    public Map<String, Object> cohorts() {
        Counters c = new Counters(partitions());
        SortedMap<String, Long> sizes = new TreeMap<>();
        Map<String, Map<Integer, Long>> cells = new HashMap<>();
        Integer maxMonth = null;
        String sep = String.valueOf(AggregateKeys.SEP);
        for (Map.Entry<String, Long> e : c.withPrefix(AggregateKeys.COHORT_PREFIX).entrySet()) {
            String[] parts = e.getKey().split(sep);
            String cohort = parts[0];
            if (parts[1].equals("size")) {
                sizes.put(cohort, e.getValue());
            } else {
                int k = Integer.parseInt(parts[2]);
                cells.computeIfAbsent(cohort, x -> new HashMap<>()).put(k, e.getValue());
                maxMonth = maxMonth == null ? k : Math.max(maxMonth, k);
            }
        }
        int maxMonths = maxMonth == null ? 0 : maxMonth;
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map.Entry<String, Long> cohort : sizes.entrySet()) {
            long size = cohort.getValue();
            Map<Integer, Long> row = cells.getOrDefault(cohort.getKey(), Map.of());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("cohort", cohort.getKey());
            entry.put("size", size);
            for (int k = 0; k <= maxMonths; k++) {
                Long users = row.get(k);
                entry.put("month_" + k, users == null ? 0.0 : Rounding.pandas2((double) users / size * 100));
            }
            rows.add(entry);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cohorts", rows);
        out.put("max_months", maxMonths);
        return out;
    }

    // ------------------------------------------------------------------ kpi time series

    public List<Map<String, Object>> kpiTimeSeries() {
        Counters c = new Counters(partitions());
        SortedMap<String, long[]> days = new TreeMap<>();
        c.withPrefix(AggregateKeys.DAU_PREFIX).forEach((day, n) -> days.computeIfAbsent(day, d -> new long[2])[0] = n);
        c.withPrefix(AggregateKeys.SIGNUPS_PREFIX).forEach((day, n) -> days.computeIfAbsent(day, d -> new long[2])[1] = n);
        List<Map<String, Object>> out = new ArrayList<>(days.size());
        days.forEach((day, v) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("date", day);
            row.put("dau", v[0]);
            row.put("signups", v[1]);
            out.add(row);
        });
        return out;
    }

    // ------------------------------------------------------------------ ab-test

    public Map<String, Object> abTest(AbTestQuery q) {
        return q.simulation() != null ? simulation(q.simulation(), q.confidenceLevel()) : liveAbTest(q);
    }

    private Map<String, Object> simulation(Simulation s, double confidence) {
        double convA = s.convAPercent() / 100;
        double convB = s.convBPercent() / 100;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("variant_A", simulatedVariant(s.nA(), convA, s.convAPercent()));
        out.put("variant_B", simulatedVariant(s.nB(), convB, s.convBPercent()));
        out.put("lift", convA > 0 ? Rounding.python((convB - convA) / convA * 100, 2) : 0);
        out.put("stats", AbTestStatistics.compute(s.nA(), convA, s.nB(), convB, confidence));
        return out;
    }

    private static Map<String, Object> simulatedVariant(long n, double conv, double convPercent) {
        Map<String, Object> stage = new LinkedHashMap<>();
        stage.put("stage", "Conversion");
        stage.put("users", (long) (n * conv));
        stage.put("conversion_rate", convPercent);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("total_users", n);
        v.put("total_events", 0);
        v.put("avg_events_per_user", 0);
        v.put("funnel", List.of(stage));
        return v;
    }

    /** Per-variant totals of the live mode: users, events, and users per funnel stage. */
    private static final class VariantTally {
        long users;
        long events;
        final long[] stageUsers = new long[FunnelStages.COUNT];
    }

    private Map<String, Object> liveAbTest(AbTestQuery q) {
        List<PartitionStores> partitions = partitions();
        Map<String, VariantTally> tallies = new HashMap<>();
        VARIANTS.forEach(v -> tallies.put(v, new VariantTally()));
        if (q.userLimit() == null && q.eventLimit() == null) {
            Counters c = new Counters(partitions);
            for (String v : VARIANTS) {
                VariantTally t = tallies.get(v);
                t.users = c.get(AggregateKeys.variantUsers(v));
                t.events = c.get(AggregateKeys.variantEvents(v));
                for (int s = 0; s < FunnelStages.COUNT; s++) {
                    t.stageUsers[s] = c.get(AggregateKeys.variantStage(v, s));
                }
            }
        } else {
            tallyLimited(partitions, q, tallies);
        }

        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Double> avg = new HashMap<>();
        for (String v : VARIANTS) {
            VariantTally t = tallies.get(v);
            List<Map<String, Object>> funnel = new ArrayList<>();
            for (int s = 0; s < FunnelStages.COUNT; s++) {
                Map<String, Object> stage = new LinkedHashMap<>();
                stage.put("stage", FunnelStages.NAMES.get(s));
                stage.put("users", t.stageUsers[s]);
                stage.put("conversion_rate", t.users > 0 ? Rounding.python((double) t.stageUsers[s] / t.users * 100, 2) : 0);
                funnel.add(stage);
            }
            double avgEvents = t.users > 0 ? Rounding.python((double) t.events / t.users, 2) : 0;
            avg.put(v, avgEvents);
            Map<String, Object> variant = new LinkedHashMap<>();
            variant.put("total_users", t.users);
            variant.put("total_events", t.events);
            variant.put("avg_events_per_user", t.users > 0 ? (Object) avgEvents : (Object) 0);
            variant.put("funnel", funnel);
            out.put("variant_" + v, variant);
        }
        VariantTally a = tallies.get("A");
        VariantTally b = tallies.get("B");
        int last = FunnelStages.COUNT - 1;
        double convA = a.users > 0 ? (double) a.stageUsers[last] / a.users : 0;
        double convB = b.users > 0 ? (double) b.stageUsers[last] / b.users : 0;
        // The reference divides by A's rounded average; with A's average at 0 it would fail, we answer 0.
        out.put("lift", a.users > 0 && avg.get("A") != 0
                ? Rounding.python((avg.get("B") - avg.get("A")) / avg.get("A") * 100, 2) : 0);
        out.put("stats", AbTestStatistics.compute(a.users, convA, b.users, convB, q.confidenceLevel()));
        return out;
    }

    /**
     * The reference's {@code users.head(limit)} and {@code events.head(event_limit)} joined on
     * user id: only the first rows in input order count. Costs O(limit + event_limit).
     */
    private void tallyLimited(List<PartitionStores> partitions, AbTestQuery q, Map<String, VariantTally> tallies) {
        Map<String, String> variantOf = new HashMap<>();
        Map<String, UserSummary> selected = new HashMap<>();
        if (q.userLimit() != null) {
            for (KeyValue<Bytes, byte[]> kv : firstInOrder(partitions, IndexKeys.usersByPositionFrom(),
                    IndexKeys.usersByPositionTo(), q.userLimit())) {
                String userId = IndexKeys.idAfterPosition(kv.key);
                UserSummary state = userState(partitions, userId);
                if (state != null && state.isKnown()) {
                    selected.put(userId, state);
                    variantOf.put(userId, state.profile().variant());
                }
            }
            selected.values().forEach(s -> tallyUser(tallies, s.profile().variant()));
        } else {
            Counters c = new Counters(partitions);
            for (String v : VARIANTS) {
                tallies.get(v).users = c.get(AggregateKeys.variantUsers(v));
            }
        }

        if (q.eventLimit() == null) {
            for (UserSummary s : selected.values()) {
                VariantTally t = tallies.get(s.profile().variant());
                if (t != null) {
                    t.events += s.eventCount();
                    for (int st = 0; st < FunnelStages.COUNT; st++) {
                        if (s.reached(st)) {
                            t.stageUsers[st]++;
                        }
                    }
                }
            }
            return;
        }
        Set<String> reached = new HashSet<>();
        Bytes below = IndexKeys.eventsByPositionBelow(q.eventLimit());
        for (PartitionStores p : partitions) {
            try (KeyValueIterator<Bytes, byte[]> it = p.inputOrder().range(IndexKeys.eventsByPositionFrom(), below)) {
                while (it.hasNext()) {
                    OrderedEvent e = StoreValues.decodeOrderedEvent(it.next().value);
                    String variant;
                    if (q.userLimit() != null) {
                        variant = variantOf.get(e.userId());
                    } else {
                        variant = variantOf.computeIfAbsent(e.userId(), id -> {
                            UserSummary s = userState(partitions, id);
                            // "" (in no variant) for unknown users and users without a variant
                            return s != null && s.isKnown() && s.profile().variant() != null ? s.profile().variant() : "";
                        });
                    }
                    VariantTally t = variant == null ? null : tallies.get(variant);
                    if (t == null) {
                        continue;
                    }
                    t.events++;
                    if (e.stage() != FunnelStages.NONE && reached.add(e.userId() + AggregateKeys.SEP + e.stage())) {
                        t.stageUsers[e.stage()]++;
                    }
                }
            }
        }
    }

    private static void tallyUser(Map<String, VariantTally> tallies, String variant) {
        VariantTally t = tallies.get(variant);
        if (t != null) {
            t.users++;
        }
    }

    /** The first {@code limit} entries of a key range over all partitions, in key order. */
    private static List<KeyValue<Bytes, byte[]>> firstInOrder(List<PartitionStores> partitions, Bytes from, Bytes to, long limit) {
        List<KeyValue<Bytes, byte[]>> all = new ArrayList<>();
        for (PartitionStores p : partitions) {
            try (KeyValueIterator<Bytes, byte[]> it = p.inputOrder().range(from, to)) {
                for (long n = 0; n < limit && it.hasNext(); n++) {
                    all.add(it.next());
                }
            }
        }
        all.sort(Comparator.comparing(kv -> kv.key));
        return all.size() > limit ? all.subList(0, (int) limit) : all;
    }

    private UserSummary userState(List<PartitionStores> partitions, String userId) {
        PartitionStores p = partitionOfUser(partitions, userId);
        return p == null ? null : p.users().get(userId);
    }

    // ------------------------------------------------------------------ user sessions

    public Map<String, Object> userSessions(SessionsQuery q) {
        List<PartitionStores> partitions = partitions();
        Long max = new Counters(partitions).maxEventNanos();
        List<KeyValue<Bytes, byte[]>> top = new ArrayList<>();
        for (PartitionStores p : partitions) {
            try (KeyValueIterator<Bytes, byte[]> it = p.sessionRank().range(
                    IndexKeys.sessionRankFrom(q.sortBy()), IndexKeys.sessionRankTo(q.sortBy()))) {
                for (long n = 0; n < q.limit() && it.hasNext(); n++) {
                    top.add(it.next());
                }
            }
        }
        top.sort(Comparator.comparing(kv -> kv.key));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < top.size() && i < q.limit(); i++) {
            SessionSummary s = StoreValues.decodeSession(top.get(i).value);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("user_id", s.userId());
            row.put("total_sessions", s.totalSessions());
            row.put("total_hours", Rounding.pandas2(s.totalHours()));
            row.put("first_activity", Timestamps.formatSeconds(s.firstActivityNanos()));
            row.put("last_activity", Timestamps.formatSeconds(s.lastActivityNanos()));
            row.put("avg_session_duration", Rounding.pandas2(s.avgSessionHours()));
            row.put("status", max != null && s.lastActivityNanos() >= max - SESSION_ACTIVE_WINDOW_NANOS ? "active" : "inactive");
            rows.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user_sessions", rows);
        out.put("total_users", rows.size());
        return out;
    }

    // ------------------------------------------------------------------ users

    public Map<String, Object> users(UsersQuery q) {
        List<PartitionStores> partitions = partitions();
        long total = 0;
        String sep = String.valueOf(AggregateKeys.SEP);
        for (Map.Entry<String, Long> e : new Counters(partitions).withPrefix(AggregateKeys.SEGMENT_PREFIX).entrySet()) {
            String[] seg = e.getKey().split(sep, -1);
            if (matches(q.country(), seg[0]) && matches(q.device(), seg[1]) && matches(q.subscriptionStatus(), seg[2])) {
                total += e.getValue();
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        long toSkip = q.offset();
        try (MergedIterator<String, UserSummary> it = MergedIterator.of(
                partitions.stream().map(p -> p.users().all()).toList(), Comparator.naturalOrder())) {
            while (it.hasNext() && rows.size() < q.limit()) {
                UserSummary s = it.next().value;
                Profile p = s.profile();
                if (p == null || !matches(q.country(), p.country()) || !matches(q.device(), p.device())
                        || !matches(q.subscriptionStatus(), p.plan())) {
                    continue;
                }
                if (toSkip > 0) {
                    toSkip--;
                    continue;
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("user_id", s.userId());
                // a missing value (blank in users.csv) is null, as are the other fields below
                row.put("joined_at", p.hasJoinedAt() ? Timestamps.formatSeconds(p.joinedAtNanos()) : null);
                row.put("device", p.device());
                row.put("country", p.country());
                row.put("subscription_status", p.plan());
                row.put("ab_variant", p.variant());
                rows.add(row);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("users", rows);
        out.put("total", total);
        return out;
    }

    /** No filter, or the value equals it; a missing value (null or an empty segment part) never matches. */
    private static boolean matches(String wanted, String actual) {
        return wanted == null || wanted.equals(actual);
    }

    // ------------------------------------------------------------------ events

    public Map<String, Object> events(EventsQuery q) {
        List<PartitionStores> partitions = partitions();
        List<EventRecord> page = new ArrayList<>();
        long total;
        if (q.userId() != null) {
            total = 0;
            Bytes prefix = IndexKeys.eventsOfUserPrefix(q.userId());
            PartitionStores owner = partitionOfUser(partitions, q.userId());
            for (PartitionStores p : owner == null ? List.<PartitionStores>of() : List.of(owner)) {
                try (KeyValueIterator<Bytes, byte[]> it = p.timeline().prefixScan(prefix, Serdes.Bytes().serializer())) {
                    while (it.hasNext()) {
                        EventRecord e = StoreValues.decodeEvent(it.next().value);
                        if (matches(q, e)) {
                            total++;
                            if (page.size() < EventsQuery.MAX_EVENTS) {
                                page.add(e);
                            }
                        }
                    }
                }
            }
        } else {
            total = countEvents(partitions, q);
            List<KeyValue<Bytes, byte[]>> first = new ArrayList<>();
            Bytes from = q.startNanos() == null ? IndexKeys.eventsByTimeFrom(Long.MIN_VALUE) : IndexKeys.eventsByTimeFrom(q.startNanos());
            Bytes to = q.endNanos() == null || q.endNanos() == Long.MAX_VALUE
                    ? IndexKeys.eventsByTimeEnd() : IndexKeys.eventsByTimeFrom(q.endNanos() + 1);
            for (PartitionStores p : partitions) {
                int taken = 0;
                try (KeyValueIterator<Bytes, byte[]> it = p.timeline().range(from, to)) {
                    while (taken < EventsQuery.MAX_EVENTS && it.hasNext()) {
                        KeyValue<Bytes, byte[]> kv = it.next();
                        if (q.eventName() == null || q.eventName().equals(StoreValues.decodeEvent(kv.value).eventName())) {
                            first.add(kv);
                            taken++;
                        }
                    }
                }
            }
            first.sort(Comparator.comparing(kv -> kv.key));
            for (int i = 0; i < first.size() && i < EventsQuery.MAX_EVENTS; i++) {
                page.add(StoreValues.decodeEvent(first.get(i).value));
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>(page.size());
        for (EventRecord e : page) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("event_id", e.eventId());
            row.put("user_id", e.userId());
            row.put("event_name", e.eventName());
            row.put("timestamp", Timestamps.formatSeconds(Timestamps.parseNanos(e.timestamp())));
            row.put("metadata", e.metadata());
            rows.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("events", rows);
        out.put("total", total);
        return out;
    }

    private static boolean matches(EventsQuery q, EventRecord e) {
        if (q.eventName() != null && !q.eventName().equals(e.eventName())) {
            return false;
        }
        if (q.startNanos() == null && q.endNanos() == null) {
            return true;
        }
        long t = Timestamps.parseNanos(e.timestamp());
        return (q.startNanos() == null || t >= q.startNanos()) && (q.endNanos() == null || t <= q.endNanos());
    }

    /**
     * Matching events over all users: whole days inside the bounds come from per-day counters,
     * only the partly covered first and last days are scanned.
     */
    private long countEvents(List<PartitionStores> partitions, EventsQuery q) {
        Counters c = new Counters(partitions);
        if (q.startNanos() == null && q.endNanos() == null) {
            return q.eventName() == null ? c.totalEvents()
                    : c.eventsPerDayNamed(q.eventName()).values().stream().mapToLong(Long::longValue).sum();
        }
        long start = q.startNanos() == null ? Long.MIN_VALUE : q.startNanos();
        long end = q.endNanos() == null ? Long.MAX_VALUE : q.endNanos();
        if (start > end) {
            return 0;
        }
        Map<String, Long> perDay = q.eventName() == null ? c.withPrefix(AggregateKeys.EVENT_DAY_PREFIX) : c.eventsPerDayNamed(q.eventName());
        long total = 0;
        for (Map.Entry<String, Long> e : perDay.entrySet()) {
            long dayStart = java.time.LocalDate.parse(e.getKey()).toEpochDay() * DAY_NANOS;
            long dayEnd = dayStart + DAY_NANOS - 1;
            if (dayEnd < start || dayStart > end) {
                continue;
            }
            if (dayStart >= start && dayEnd <= end) {
                total += e.getValue();
            } else {
                total += scanCount(partitions, Math.max(start, dayStart), Math.min(end, dayEnd), q.eventName());
            }
        }
        return total;
    }

    private static long scanCount(List<PartitionStores> partitions, long from, long to, String eventName) {
        long n = 0;
        for (PartitionStores p : partitions) {
            try (KeyValueIterator<Bytes, byte[]> it = p.timeline().range(IndexKeys.eventsByTimeFrom(from), IndexKeys.eventsByTimeFrom(to + 1))) {
                while (it.hasNext()) {
                    KeyValue<Bytes, byte[]> kv = it.next();
                    if (eventName == null || eventName.equals(StoreValues.decodeEvent(kv.value).eventName())) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    /** Sort orders accepted by /api/user-sessions. */
    public static SessionOrder sessionOrder(String name) {
        return switch (name) {
            case "total_hours" -> SessionOrder.TOTAL_HOURS;
            case "total_sessions" -> SessionOrder.TOTAL_SESSIONS;
            case "last_activity" -> SessionOrder.LAST_ACTIVITY;
            default -> null;
        };
    }
}
