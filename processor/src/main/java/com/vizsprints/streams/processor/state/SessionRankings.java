package com.vizsprints.streams.processor.state;

import com.vizsprints.streams.processor.logic.SessionSummary;
import com.vizsprints.streams.processor.schema.IndexKeys;
import com.vizsprints.streams.processor.schema.IndexKeys.SessionOrder;
import com.vizsprints.streams.processor.schema.StoreValues;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The session rankings of one partition, kept in memory instead of RocksDB: for each {@link
 * SessionOrder}, the users with events in the order of their ranking keys ({@link
 * IndexKeys#sessionRank}), so a query reads the best N without sorting. They are derived from the
 * users' summaries: built from the stored summaries when the store opens, then moved user by user
 * as summaries change, a flush's moves at a time, which readers see whole. Readers (query threads)
 * get entries exactly as RocksDB held them under those keys, so nothing above the store changes.
 *
 * <p>A user's place in all three orders moved at every commit interval in which the user was
 * active: in RocksDB a delete and a put per order, 1.85 of the 6.5 entries written per event, in
 * random key order. Here a move is a few tree operations, and nothing reaches the disk.
 */
final class SessionRankings {
    private static final SessionOrder[] IN_KEY_ORDER = Arrays.stream(SessionOrder.values())
            .sorted(Comparator.comparingInt(o -> IndexKeys.firstByteOf(o) & 0xff)).toArray(SessionOrder[]::new);

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<SessionOrder, TreeSet<Point>> orders = new EnumMap<>(SessionOrder.class);

    SessionRankings() {
        for (SessionOrder order : SessionOrder.values()) {
            orders.put(order, new TreeSet<>(inKeyOrder(order)));
        }
    }

    /** A user's place changes from where {@code before} ranks the user to where {@code after} does; null: not ranked. */
    record Move(SessionSummary before, SessionSummary after) {
    }

    /**
     * Applies moves, all of them before any reader sees one.
     *
     * @throws IllegalStateException when a user is not ranked where {@code before} says: the
     *                               rankings no longer match the summaries they derive from
     */
    void apply(List<Move> moves) {
        if (moves.isEmpty()) {
            return;
        }
        lock.writeLock().lock();
        try {
            for (Move move : moves) {
                Ranked before = move.before() == null ? null : Ranked.of(move.before());
                Ranked after = move.after() == null ? null : Ranked.of(move.after());
                for (TreeSet<Point> ranking : orders.values()) {
                    if (before != null && !ranking.remove(before)) {
                        throw new IllegalStateException("user " + move.before().userId() + " is not ranked where its summary says");
                    }
                    if (after != null) {
                        ranking.add(after);
                    }
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Users ranked (each is in every order). */
    int size() {
        lock.readLock().lock();
        try {
            return orders.get(SessionOrder.TOTAL_HOURS).size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The entry under a ranking key, as RocksDB held it; null when there is none. */
    byte[] get(Bytes key) {
        List<KeyValue<Bytes, byte[]>> found = range(key, key, false);
        return found.isEmpty() ? null : found.get(0).value;
    }

    /**
     * The entries with keys in [from, to], both inclusive, null for no bound, in key order or its
     * reverse: what a RocksDB range over the rankings' keys gave.
     */
    List<KeyValue<Bytes, byte[]>> range(Bytes from, Bytes to, boolean reverse) {
        List<KeyValue<Bytes, byte[]>> out = new ArrayList<>();
        lock.readLock().lock();
        try {
            for (int i = 0; i < IN_KEY_ORDER.length; i++) {
                SessionOrder order = IN_KEY_ORDER[reverse ? IN_KEY_ORDER.length - 1 - i : i];
                for (Point p : within(order, from, to, reverse)) {
                    Ranked ranked = (Ranked) p;
                    Bytes key = ranked.key(order);
                    if ((from == null || key.compareTo(from) >= 0) && (to == null || key.compareTo(to) <= 0)) {
                        out.add(KeyValue.pair(key, ranked.value()));
                    }
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        return out;
    }

    /**
     * The users of one order whose keys may lie in [from, to]: bounds of another order leave all
     * or none; a bound of this order becomes a {@link Probe} at or beyond it, so the caller's exact
     * comparison of each key decides at the edges.
     */
    private Iterable<Point> within(SessionOrder order, Bytes from, Bytes to, boolean reverse) {
        int code = IndexKeys.firstByteOf(order) & 0xff;
        if ((from != null && firstByte(from) > code) || (to != null && firstByte(to) < code)) {
            return List.of();
        }
        Point lo = from != null && firstByte(from) == code ? Probe.of(from) : null;
        Point hi = to != null && firstByte(to) == code ? Probe.of(to) : null;
        NavigableSet<Point> ranking = orders.get(order);
        if (lo != null && hi != null && ranking.comparator().compare(lo, hi) > 0) {
            return List.of();
        }
        NavigableSet<Point> part = lo == null
                ? (hi == null ? ranking : ranking.headSet(hi, true))
                : (hi == null ? ranking.tailSet(lo, true) : ranking.subSet(lo, true, hi, true));
        return reverse ? part.descendingSet() : part;
    }

    private static int firstByte(Bytes key) {
        byte[] k = key.get();
        return k.length == 0 ? -1 : k[0] & 0xff;
    }

    /** The order of one ranking's keys: the rank as an unsigned number, then the user id's bytes. */
    private static Comparator<Point> inKeyOrder(SessionOrder order) {
        return (a, b) -> {
            int byRank = Long.compareUnsigned(a.rank(order), b.rank(order));
            return byRank != 0 ? byRank : Arrays.compareUnsigned(a.userId, b.userId);
        };
    }

    /** A place in a ranking: a user ranked there, or a probe for a key bound. */
    private abstract static class Point {
        /** UTF-8. */
        final byte[] userId;

        Point(byte[] userId) {
            this.userId = userId;
        }

        abstract long rank(SessionOrder order);
    }

    /** A ranked user: the session summary's fields, the user id in UTF-8 (48 bytes and the id's). */
    private static final class Ranked extends Point {
        private final int totalSessions;
        private final double totalHours;
        private final long firstActivityNanos;
        private final long lastActivityNanos;

        private Ranked(SessionSummary s) {
            super(s.userId().getBytes(StandardCharsets.UTF_8));
            this.totalSessions = s.totalSessions();
            this.totalHours = s.totalHours();
            this.firstActivityNanos = s.firstActivityNanos();
            this.lastActivityNanos = s.lastActivityNanos();
        }

        static Ranked of(SessionSummary s) {
            return new Ranked(s);
        }

        @Override
        long rank(SessionOrder order) {
            return IndexKeys.rankOf(order, totalSessions, totalHours, lastActivityNanos);
        }

        Bytes key(SessionOrder order) {
            return IndexKeys.sessionRank(order, rank(order), userId);
        }

        byte[] value() {
            return StoreValues.encodeSession(new SessionSummary(new String(userId, StandardCharsets.UTF_8),
                    totalSessions, totalHours, firstActivityNanos, lastActivityNanos));
        }
    }

    /**
     * A key bound of one ranking as a place in it: the eight bytes after the first as the rank
     * (zeros appended to a shorter bound), the rest as the user id. Not beyond the bound: every
     * key at or after the bound compares at or after the probe, every key at or before it at or
     * before the probe.
     */
    private static final class Probe extends Point {
        private final long rank;

        private Probe(long rank, byte[] userId) {
            super(userId);
            this.rank = rank;
        }

        static Probe of(Bytes bound) {
            byte[] b = bound.get();
            byte[] rankBytes = Arrays.copyOfRange(b, 1, 9);
            byte[] userId = b.length > 9 ? Arrays.copyOfRange(b, 9, b.length) : new byte[0];
            return new Probe(ByteBuffer.wrap(rankBytes).getLong(), userId);
        }

        @Override
        long rank(SessionOrder order) {
            return rank;
        }
    }
}
