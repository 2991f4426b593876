package com.vizsprints.streams.processor.state;

import com.vizsprints.streams.processor.logic.AggregateKeys;
import com.vizsprints.streams.processor.logic.FunnelStages;
import com.vizsprints.streams.processor.logic.Profile;
import com.vizsprints.streams.processor.logic.SessionSummary;
import com.vizsprints.streams.processor.logic.UserContribution;
import com.vizsprints.streams.processor.logic.UserState;
import com.vizsprints.streams.processor.logic.UserSummary;
import com.vizsprints.streams.processor.model.Timestamps;
import com.vizsprints.streams.processor.schema.FactKeys;
import com.vizsprints.streams.processor.schema.IndexKeys;
import com.vizsprints.streams.processor.schema.IndexKeys.SessionOrder;
import com.vizsprints.streams.processor.schema.IndexKeys.UserEventKey;
import com.vizsprints.streams.processor.schema.StoreValues;
import com.vizsprints.streams.processor.schema.StoreValues.OrderedEvent;
import com.vizsprints.streams.processor.schema.StoreValues.SeenEvent;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the facts store derives from its facts: the event-id index, the per-user summaries,
 * the time and input-order indexes, the session rankings and the partition's counters. A fact
 * written by the processor and a fact read back from the changelog (restore, standby) go through
 * the same code, so every replica holds the same derived entries, and derived entries reach
 * RocksDB in the same batch as their fact.
 *
 * <p>The derived state is a function of the set of facts, not of their order: applying a fact
 * again changes nothing, and an event older than its user's last event rebuilds that user's
 * summary from all the user's events.
 *
 * <p>Facts and the indexes of each event are staged as they come. What many events of a commit
 * interval change again and again (counters, the largest event time, a user's summary and
 * session rankings) is changed here in memory and staged once, just before the staged writes
 * are written out ({@link StagedWrites#flush} calls {@link #stagePending}): a user active
 * throughout an interval is written once, and a session ranking that moves several times only
 * from where it was stored to where it ends. Everything kept here is a copy of what the store
 * holds, plus these pending changes, and is dropped whenever the store is (re)opened.
 */
final class FactDerivation {
    private final StagedWrites writes;
    /** Counters as stored, with their store keys; this class is their only writer while the store is open. */
    private final Map<String, Counter> counters = new HashMap<>();
    private Long maxEventNanos;
    private boolean maxEventNanosLoaded;
    private boolean maxEventNanosPending;
    /** Counters changed since the last flush. */
    private final java.util.List<Counter> pendingCounters = new java.util.ArrayList<>();
    /** Users whose summary changed since the last flush, with their session summary as ranked in the store. */
    private final Map<String, Pending> pendingUsers = new HashMap<>();
    /**
     * The summaries of recently active users, as stored (write-through): a user's events come in
     * bursts (sessions), so most events find their user here instead of decoding it from RocksDB.
     */
    private final Map<String, UserSummary> recentSummaries = new java.util.LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, UserSummary> eldest) {
            return size() > RECENT_SUMMARIES;
        }
    };
    private static final int RECENT_SUMMARIES = 20_000;

    FactDerivation(StagedWrites writes) {
        this.writes = writes;
        writes.beforeFlush(this::stagePending);
    }

    /** Entries changed in memory and not yet staged (they are staged before the next flush). */
    int pendingEntries() {
        return pendingCounters.size() + pendingUsers.size();
    }

    /** Stages the pending counters, largest event time, summaries and session rankings. */
    private void stagePending() {
        for (Counter counter : pendingCounters) {
            counter.pending = false;
            if (counter.value == 0) {
                writes.delete(counter.key);
            } else {
                writes.put(counter.key, StoreValues.encodeCount(counter.value));
            }
        }
        pendingCounters.clear();
        if (maxEventNanosPending) {
            maxEventNanosPending = false;
            stage(FactKeys.counter(AggregateKeys.MAX_EVENT_NANOS), maxEventNanos == null ? null : StoreValues.encodeCount(maxEventNanos));
        }
        for (Pending user : pendingUsers.values()) {
            Bytes key = FactKeys.summary(user.summary.userId());
            if (user.summary.isEmpty()) {
                writes.delete(key);
            } else {
                writes.put(key, StoreValues.encodeSummary(user.summary));
            }
            rerank(user.rankedAs, user.summary.sessions());
        }
        pendingUsers.clear();
    }

    /** A user's summary changed since the last flush, and the session summary the store ranks the user by. */
    private record Pending(UserSummary summary, SessionSummary rankedAs) {
    }

    /** Stages a fact and what it changes; a null value deletes the fact. */
    void apply(Bytes key, byte[] value) {
        switch (FactKeys.spaceOf(key)) {
            case IndexKeys.EVENT_BY_USER -> {
                if (value == null) {
                    deleteEvent(key);
                } else {
                    putEvent(key, value);
                }
            }
            case FactKeys.PROFILE -> putProfile(key, value == null ? null : StoreValues.decodeProfile(value));
            case FactKeys.COUNTER -> {
                // a counter only the processor writes (duplicates, dead letters): stored as given
                counters.put(FactKeys.textOf(key), new Counter(key, value == null ? 0L : StoreValues.decodeCount(value)));
                stage(key, value);
            }
            default -> throw new IllegalArgumentException("not a fact key: first byte " + FactKeys.spaceOf(key));
        }
    }

    private void stage(Bytes key, byte[] value) {
        if (value == null) {
            writes.delete(key);
        } else {
            writes.put(key, value);
        }
    }

    // ------------------------------------------------------------------ events

    private void putEvent(Bytes key, byte[] value) {
        UserEventKey k = IndexKeys.parseEventOfUser(key);
        Bytes idKey = FactKeys.eventId(k.eventId());
        byte[] seenBytes = writes.get(idKey);
        if (seenBytes != null) {
            SeenEvent seen = StoreValues.decodeSeen(seenBytes);
            Bytes seenKey = IndexKeys.eventOfUser(seen.userId(), seen.nanos(), seen.position(), k.eventId());
            if (seenKey.equals(key)) {
                writes.putIndexEntry(key, value);
                return;
            }
            deleteEvent(seenKey);
        }
        String name = StoreValues.eventNameOf(value);
        int stage = FunnelStages.indexOf(name);
        // the event, staged with the indexes: only a conflicting duplicate reads it back (deleteEvent)
        writes.putIndexEntry(key, value);
        writes.put(idKey, StoreValues.encodeSeen(new SeenEvent(k.position(), k.nanos(), k.userId(), stage)));
        writes.putIndexEntry(IndexKeys.eventByPosition(k.position(), k.eventId()), StoreValues.encodeOrderedEvent(new OrderedEvent(stage, k.userId())));
        writes.putIndexEntry(IndexKeys.eventByTime(k.nanos(), k.position(), k.eventId()), value);
        int day = Timestamps.epochDay(k.nanos());
        add(AggregateKeys.eventDay(day), 1);
        add(AggregateKeys.eventDayName(day, name), 1);
        Long max = maxEventNanos();
        if (max == null || k.nanos() > max) {
            setMaxEventNanos(k.nanos());
        }

        UserSummary summary = summaryToChange(k.userId());
        if (summary.canAddLatest(k.nanos())) {
            UserContribution.ofLatestEvent(summary, k.nanos(), stage, this::add);
            summary.addLatest(k.nanos(), stage);
        } else {
            replaceSummary(summary, rebuild(summary, k.nanos(), true));
        }
    }

    private void deleteEvent(Bytes key) {
        byte[] value = writes.get(key);
        if (value == null) {
            return;
        }
        UserEventKey k = IndexKeys.parseEventOfUser(key);
        String name = StoreValues.eventNameOf(value);
        writes.deleteIndexEntry(key);
        writes.delete(FactKeys.eventId(k.eventId()));
        writes.deleteIndexEntry(IndexKeys.eventByPosition(k.position(), k.eventId()));
        writes.deleteIndexEntry(IndexKeys.eventByTime(k.nanos(), k.position(), k.eventId()));
        int day = Timestamps.epochDay(k.nanos());
        add(AggregateKeys.eventDay(day), -1);
        add(AggregateKeys.eventDayName(day, name), -1);
        if (Objects.equals(maxEventNanos(), k.nanos())) {
            KeyValue<Bytes, byte[]> last = writes.last(IndexKeys.eventsByTimeFrom(Long.MIN_VALUE), IndexKeys.eventsByTimeEnd());
            setMaxEventNanos(last == null ? null : IndexKeys.nanosOfEventByTime(last.key));
        }
        UserSummary summary = summaryToChange(k.userId());
        replaceSummary(summary, rebuild(summary, k.nanos(), false));
    }

    /**
     * Rebuilds a user's summary from all the user's stored events (the event at {@code nanos}
     * already added or removed) and applies the change in the user's contribution.
     *
     * @param added true when the event at {@code nanos} was added, false when it was removed
     */
    private UserSummary rebuild(UserSummary old, long nanos, boolean added) {
        UserEvents now = UserEvents.read(writes, old.userId());
        long[] before = added ? now.without(nanos) : now.with(nanos);
        int stagesBefore = old.stageMask();
        UserState beforeState = new UserState(old.userId(), old.profile(), before, stagesBefore);
        UserState afterState = new UserState(old.userId(), old.profile(), now.times, now.stageMask);
        UserContribution.difference(UserContribution.of(beforeState), UserContribution.of(afterState)).forEach(this::add);
        return UserSummary.of(old.userId(), old.profile(), now.times, now.stageMask);
    }

    // ------------------------------------------------------------------ profiles

    private void putProfile(Bytes key, Profile profile) {
        String userId = FactKeys.textOf(key);
        stage(key, profile == null ? null : StoreValues.encodeProfile(profile));
        UserSummary summary = summary(userId);
        Profile old = summary.profile();
        if (Objects.equals(old, profile)) {
            return;
        }
        changing(summary);
        int n = summary.eventCount();
        int stages = summary.stageMask();
        int[] months = summary.months();
        UserContribution.difference(UserContribution.ofProfile(old, n, stages, months),
                UserContribution.ofProfile(profile, n, stages, months)).forEach(this::add);
        if (old != null) {
            writes.delete(IndexKeys.userByPosition(old.position(), userId));
        }
        if (profile != null) {
            writes.put(IndexKeys.userByPosition(profile.position(), userId), new byte[0]);
        }
        summary.setProfile(profile);
    }

    // ------------------------------------------------------------------ summaries and rankings

    /** The user's summary, as stored or pending; not to be changed (see {@link #summaryToChange}). */
    private UserSummary summary(String userId) {
        Pending pending = pendingUsers.get(userId);
        if (pending != null) {
            return pending.summary;
        }
        UserSummary recent = recentSummaries.get(userId);
        if (recent != null) {
            return recent;
        }
        byte[] stored = writes.get(FactKeys.summary(userId));
        return stored == null ? UserSummary.empty(userId) : StoreValues.decodeSummary(stored);
    }

    /**
     * The user's summary, to be changed in place or {@link #replaceSummary replaced}: from now on
     * it is pending, staged before the next flush together with the move of its session rankings
     * from where the store has them.
     */
    private UserSummary summaryToChange(String userId) {
        return changing(summary(userId));
    }

    /** {@link #summaryToChange} for a summary just read by {@link #summary} (not read again). */
    private UserSummary changing(UserSummary summary) {
        String userId = summary.userId();
        if (!pendingUsers.containsKey(userId)) {
            pendingUsers.put(userId, new Pending(summary, summary.sessions()));
            recentSummaries.put(userId, summary);
        }
        return summary;
    }

    /**
     * A user's summary rebuilt: the new object replaces {@code old}, the one {@link
     * #summaryToChange} gave. Rebuilding reads the user's events, which writes the staged entries
     * out first, {@code old} with them (and the rankings by it).
     */
    private void replaceSummary(UserSummary old, UserSummary rebuilt) {
        String userId = rebuilt.userId();
        Pending pending = pendingUsers.get(userId);
        pendingUsers.put(userId, new Pending(rebuilt, pending != null ? pending.rankedAs : old.sessions()));
        recentSummaries.put(userId, rebuilt);
    }

    private void rerank(SessionSummary before, SessionSummary after) {
        byte[] value = after == null ? null : StoreValues.encodeSession(after);
        for (SessionOrder order : SessionOrder.values()) {
            Bytes oldKey = before == null ? null : IndexKeys.sessionRank(order, before);
            Bytes newKey = after == null ? null : IndexKeys.sessionRank(order, after);
            if (oldKey != null && !oldKey.equals(newKey)) {
                writes.deleteIndexEntry(oldKey);
            }
            if (newKey != null) {
                writes.putIndexEntry(newKey, value);
            }
        }
    }

    // ------------------------------------------------------------------ counters

    private void add(String counterKey, long delta) {
        if (delta == 0) {
            return;
        }
        Counter counter = counters.get(counterKey);
        if (counter == null) {
            Bytes key = FactKeys.counter(counterKey);
            byte[] stored = writes.get(key);
            counter = new Counter(key, stored == null ? 0L : StoreValues.decodeCount(stored));
            counters.put(counterKey, counter);
        }
        counter.value += delta;
        if (!counter.pending) {
            counter.pending = true;
            pendingCounters.add(counter);
        }
    }

    /** A counter's store key and its value, staged or pending. */
    private static final class Counter {
        final Bytes key;
        long value;
        /** Changed since the last flush (and listed in {@link #pendingCounters}). */
        boolean pending;

        Counter(Bytes key, long value) {
            this.key = key;
            this.value = value;
        }
    }

    private Long maxEventNanos() {
        if (!maxEventNanosLoaded) {
            byte[] stored = writes.get(FactKeys.counter(AggregateKeys.MAX_EVENT_NANOS));
            maxEventNanos = stored == null ? null : StoreValues.decodeCount(stored);
            maxEventNanosLoaded = true;
        }
        return maxEventNanos;
    }

    private void setMaxEventNanos(Long nanos) {
        maxEventNanos = nanos;
        maxEventNanosLoaded = true;
        maxEventNanosPending = true;
    }

    /** A user's stored event times (ascending, duplicates kept) and the funnel stages they reach. */
    private record UserEvents(long[] times, int stageMask) {
        static UserEvents read(StagedWrites writes, String userId) {
            long[] times = new long[16];
            int n = 0;
            int mask = 0;
            try (KeyValueIterator<Bytes, byte[]> it = writes.prefixScan(IndexKeys.eventsOfUserPrefix(userId))) {
                while (it.hasNext()) {
                    KeyValue<Bytes, byte[]> kv = it.next();
                    if (n == times.length) {
                        times = Arrays.copyOf(times, n * 2);
                    }
                    times[n++] = IndexKeys.parseEventOfUser(kv.key).nanos();
                    int stage = FunnelStages.indexOf(StoreValues.eventNameOf(kv.value));
                    if (stage != FunnelStages.NONE) {
                        mask |= 1 << stage;
                    }
                }
            }
            return new UserEvents(Arrays.copyOf(times, n), mask);
        }

        long[] without(long nanos) {
            int at = Arrays.binarySearch(times, nanos);
            long[] out = new long[times.length - 1];
            System.arraycopy(times, 0, out, 0, at);
            System.arraycopy(times, at + 1, out, at, times.length - at - 1);
            return out;
        }

        long[] with(long nanos) {
            int at = Arrays.binarySearch(times, nanos);
            int insertAt = at >= 0 ? at : -at - 1;
            long[] out = new long[times.length + 1];
            System.arraycopy(times, 0, out, 0, insertAt);
            out[insertAt] = nanos;
            System.arraycopy(times, insertAt, out, insertAt + 1, times.length - insertAt);
            return out;
        }
    }
}
