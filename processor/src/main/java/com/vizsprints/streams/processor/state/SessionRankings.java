package com.vizsprints.streams.processor.state;

import com.vizsprints.streams.processor.logic.SessionSummary;
import com.vizsprints.streams.processor.schema.IndexKeys;
import com.vizsprints.streams.processor.schema.IndexKeys.SessionOrder;
import com.vizsprints.streams.processor.schema.StoreValues;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;

import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.StampedLock;

/**
 * The session rankings of one partition, kept in memory instead of RocksDB: for each {@link
 * SessionOrder}, the users with events in the order of their ranking keys ({@link
 * IndexKeys#sessionRank}), so a query reads the best N without sorting. They are derived from the
 * users' summaries: built from the stored summaries when the store opens, then moved user by user
 * as summaries change, a flush's moves at a time, which readers see whole. Readers (query threads)
 * get entries exactly as RocksDB held them under those keys, lazily and from one state of the
 * rankings, so nothing above the store changes.
 *
 * <p>A user's place in all three orders moved at every commit interval in which the user was
 * active: in RocksDB a delete and a put per order, 1.85 of the 6.5 entries written per event, in
 * random key order. Here a move is a few tree operations, and nothing reaches the disk.
 */
final class SessionRankings {
    private static final Logger LOG = LoggerFactory.getLogger(SessionRankings.class);
    private static final SessionOrder[] IN_KEY_ORDER = Arrays.stream(SessionOrder.values())
            .sorted(Comparator.comparingInt(o -> IndexKeys.firstByteOf(o) & 0xff)).toArray(SessionOrder[]::new);
    /** How long the writer waits for readers before it leaves them their rankings and goes on with a copy. */
    static final Duration WRITER_WAIT = Duration.ofSeconds(1);

    private final Duration writerWait;
    private volatile Generation current = Generation.empty();

    SessionRankings() {
        this(WRITER_WAIT);
    }

    SessionRankings(Duration writerWait) {
        this.writerWait = writerWait;
    }

    /** A user's place changes from where {@code before} ranks the user to where {@code after} does; null: not ranked. */
    record Move(SessionSummary before, SessionSummary after) {
    }

    /**
     * Applies moves, all of them before any reader sees one: readers hold the rankings while they
     * iterate, and the writer waits for them. A reader that holds them longer than the writer's
     * wait (an iterator left open) keeps what it reads, unchanged, and the writer goes on with a
     * copy of it; processing never waits longer than that.
     *
     * @throws IllegalStateException when a user is not ranked where {@code before} says: the
     *                               rankings no longer match the summaries they derive from
     */
    void apply(List<Move> moves) {
        if (moves.isEmpty()) {
            return;
        }
        Generation g = current;
        long stamp;
        try {
            stamp = g.lock.tryWriteLock(writerWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
        if (stamp == 0L) {
            LOG.warn("a reader held the session rankings for more than {} ms (an iterator left open?): "
                    + "going on with a copy of them ({} users)", writerWait.toMillis(), g.size());
            Generation copy = g.copy();
            copy.move(moves);
            current = copy;
            return;
        }
        try {
            g.move(moves);
        } finally {
            g.lock.unlockWrite(stamp);
        }
    }

    /** Users ranked (each is in every order). */
    int size() {
        Generation g = current;
        long stamp = g.lock.readLock();
        try {
            return g.size();
        } finally {
            g.lock.unlockRead(stamp);
        }
    }

    /** The entry under a ranking key, as RocksDB held it; null when there is none. */
    byte[] get(Bytes key) {
        try (KeyValueIterator<Bytes, byte[]> it = range(key, key, false)) {
            return it.hasNext() ? it.next().value : null;
        }
    }

    /**
     * The entries with keys in [from, to], both inclusive, null for no bound, in key order or its
     * reverse: what a RocksDB iterator over the rankings' keys gave, read lazily. The iterator
     * holds the rankings as they are (the writer waits) until it is exhausted or closed: close it.
     */
    KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to, boolean reverse) {
        Generation g = current;
        return new RankingIterator(g, g.lock.readLock(), from, to, true, reverse);
    }

    /** The entries whose keys start with {@code prefix} (not empty, not all 0xff bytes), in key order, lazily as {@link #range}. */
    KeyValueIterator<Bytes, byte[]> prefixed(Bytes prefix) {
        // every key from the prefix up to, not including, its increment starts with it
        Generation g = current;
        return new RankingIterator(g, g.lock.readLock(), prefix, Bytes.increment(prefix), false, false);
    }

    /** One state of the rankings, with the lock its readers and its writer share. */
    private static final class Generation {
        final StampedLock lock = new StampedLock();
        final Map<SessionOrder, TreeSet<Point>> orders = new EnumMap<>(SessionOrder.class);

        static Generation empty() {
            Generation g = new Generation();
            for (SessionOrder order : SessionOrder.values()) {
                g.orders.put(order, new TreeSet<>(inKeyOrder(order)));
            }
            return g;
        }

        /** A copy, to be changed while readers still read this one (which nobody changes any more). */
        Generation copy() {
            Generation g = new Generation();
            orders.forEach((order, ranking) -> g.orders.put(order, new TreeSet<>(ranking)));
            return g;
        }

        int size() {
            return orders.get(SessionOrder.TOTAL_HOURS).size();
        }

        void move(List<Move> moves) {
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
        }

        /**
         * The users of one order whose keys may lie in [from, to]: bounds of another order leave
         * all or none; a bound of this order becomes a {@link Probe} at or beyond it, so the
         * caller's exact comparison of each key decides at the edges.
         */
        Iterator<Point> within(SessionOrder order, Bytes from, Bytes to, boolean reverse) {
            int code = IndexKeys.firstByteOf(order) & 0xff;
            if ((from != null && firstByte(from) > code) || (to != null && firstByte(to) < code)) {
                return Collections.emptyIterator();
            }
            Point lo = from != null && firstByte(from) == code ? Probe.of(from) : null;
            Point hi = to != null && firstByte(to) == code ? Probe.of(to) : null;
            NavigableSet<Point> ranking = orders.get(order);
            if (lo != null && hi != null && ranking.comparator().compare(lo, hi) > 0) {
                return Collections.emptyIterator();
            }
            NavigableSet<Point> part = lo == null
                    ? (hi == null ? ranking : ranking.headSet(hi, true))
                    : (hi == null ? ranking.tailSet(lo, true) : ranking.subSet(lo, true, hi, true));
            return reverse ? part.descendingIterator() : part.iterator();
        }
    }

    /**
     * Reads the rankings of one generation lazily, under its read lock, released when the
     * iterator is exhausted or closed, whichever comes first.
     */
    private static final class RankingIterator implements KeyValueIterator<Bytes, byte[]> {
        private final Generation generation;
        private final Bytes from;
        private final Bytes to;
        private final boolean toInclusive;
        private final boolean reverse;
        private long stamp;
        private int nextOrder;
        private SessionOrder order;
        private Iterator<Point> points = Collections.emptyIterator();
        private KeyValue<Bytes, byte[]> next;

        RankingIterator(Generation generation, long stamp, Bytes from, Bytes to, boolean toInclusive, boolean reverse) {
            this.generation = generation;
            this.stamp = stamp;
            this.from = from;
            this.to = to;
            this.toInclusive = toInclusive;
            this.reverse = reverse;
        }

        private KeyValue<Bytes, byte[]> peek() {
            while (next == null && stamp != 0L) {
                if (points.hasNext()) {
                    Ranked ranked = (Ranked) points.next();
                    Bytes key = ranked.key(order);
                    if ((from == null || key.compareTo(from) >= 0) && (to == null || key.compareTo(to) < (toInclusive ? 1 : 0))) {
                        next = KeyValue.pair(key, ranked.value());
                    }
                } else if (nextOrder < IN_KEY_ORDER.length) {
                    order = IN_KEY_ORDER[reverse ? IN_KEY_ORDER.length - 1 - nextOrder : nextOrder];
                    nextOrder++;
                    points = generation.within(order, from, to, reverse);
                } else {
                    close();
                }
            }
            return next;
        }

        @Override
        public boolean hasNext() {
            return peek() != null;
        }

        @Override
        public KeyValue<Bytes, byte[]> next() {
            KeyValue<Bytes, byte[]> kv = peek();
            if (kv == null) {
                throw new NoSuchElementException();
            }
            next = null;
            return kv;
        }

        @Override
        public Bytes peekNextKey() {
            KeyValue<Bytes, byte[]> kv = peek();
            if (kv == null) {
                throw new NoSuchElementException();
            }
            return kv.key;
        }

        @Override
        public void close() {
            if (stamp != 0L) {
                generation.lock.unlockRead(stamp);
                stamp = 0L;
                points = Collections.emptyIterator();
            }
        }
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
