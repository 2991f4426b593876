package com.vizsprints.streams.processor.schema;

import com.vizsprints.streams.processor.logic.SessionSummary;
import org.apache.kafka.common.utils.Bytes;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Byte keys of the ordered index stores. Stores compare keys as unsigned bytes, so numbers are
 * written big-endian with the sign bit flipped (ascending) or all bits flipped (descending).
 */
public final class IndexKeys {
    /** Session ranking orders, one key space each, best first. */
    public enum SessionOrder {
        TOTAL_HOURS((byte) 1), TOTAL_SESSIONS((byte) 2), LAST_ACTIVITY((byte) 3);

        final byte code;

        SessionOrder(byte code) {
            this.code = code;
        }
    }

    private static final byte USER_BY_POSITION = 'U';
    private static final byte EVENT_BY_POSITION = 'E';
    private static final byte EVENT_BY_TIME = 'T';
    /** First byte of the per-user event keys: in the facts store these are the event facts. */
    public static final byte EVENT_BY_USER = 'P';

    private IndexKeys() {
    }

    // ---- session ranking: [order][value, descending][user id] ----

    public static Bytes sessionRank(SessionOrder order, SessionSummary s) {
        long sortable = switch (order) {
            case TOTAL_HOURS -> ascendingDouble(s.totalHours());
            case TOTAL_SESSIONS -> ascendingLong(s.totalSessions());
            case LAST_ACTIVITY -> ascendingLong(s.lastActivityNanos());
        };
        byte[] id = utf8(s.userId());
        return Bytes.wrap(ByteBuffer.allocate(1 + 8 + id.length).put(order.code).putLong(~sortable).put(id).array());
    }

    /** All keys of one ranking: [from, to). */
    public static Bytes sessionRankFrom(SessionOrder order) {
        return Bytes.wrap(new byte[]{order.code});
    }

    public static Bytes sessionRankTo(SessionOrder order) {
        return Bytes.wrap(new byte[]{(byte) (order.code + 1)});
    }

    /** First key of the last-activity ranking for users last seen at or before {@code nanos}. */
    public static Bytes lastActivityAtOrBefore(long nanos) {
        return Bytes.wrap(ByteBuffer.allocate(9).put(SessionOrder.LAST_ACTIVITY.code).putLong(~ascendingLong(nanos)).array());
    }

    // ---- input order: users and events by row position ----

    public static Bytes userByPosition(long position, String userId) {
        return prefixed(USER_BY_POSITION, position, utf8(userId));
    }

    public static Bytes usersByPositionFrom() {
        return Bytes.wrap(new byte[]{USER_BY_POSITION});
    }

    public static Bytes usersByPositionTo() {
        return Bytes.wrap(new byte[]{USER_BY_POSITION + 1});
    }

    public static Bytes eventByPosition(long position, String eventId) {
        return prefixed(EVENT_BY_POSITION, position, utf8(eventId));
    }

    public static Bytes eventsByPositionFrom() {
        return Bytes.wrap(new byte[]{EVENT_BY_POSITION});
    }

    /** Upper bound (exclusive) of event positions below {@code limit}. */
    public static Bytes eventsByPositionBelow(long limit) {
        return Bytes.wrap(ByteBuffer.allocate(9).put(EVENT_BY_POSITION).putLong(ascendingLong(limit)).array());
    }

    public static long positionOf(Bytes key) {
        return ascendingLong(ByteBuffer.wrap(key.get(), 1, 8).getLong());
    }

    public static String idAfterPosition(Bytes key) {
        byte[] k = key.get();
        return new String(k, 9, k.length - 9, StandardCharsets.UTF_8);
    }

    // ---- timeline: events by (time, position) globally and per user ----

    public static Bytes eventByTime(long nanos, long position, String eventId) {
        byte[] id = utf8(eventId);
        return Bytes.wrap(ByteBuffer.allocate(17 + id.length).put(EVENT_BY_TIME)
                .putLong(ascendingLong(nanos)).putLong(ascendingLong(position)).put(id).array());
    }

    /** First timeline key at or after {@code nanos}. */
    public static Bytes eventsByTimeFrom(long nanos) {
        return Bytes.wrap(ByteBuffer.allocate(9).put(EVENT_BY_TIME).putLong(ascendingLong(nanos)).array());
    }

    /** The time of an {@link #eventByTime} key. */
    public static long nanosOfEventByTime(Bytes key) {
        return ascendingLong(ByteBuffer.wrap(key.get(), 1, 8).getLong());
    }

    public static Bytes eventsByTimeEnd() {
        return Bytes.wrap(new byte[]{EVENT_BY_TIME + 1});
    }

    public static Bytes eventOfUser(String userId, long nanos, long position, String eventId) {
        byte[] user = utf8(userId);
        byte[] id = utf8(eventId);
        return Bytes.wrap(ByteBuffer.allocate(1 + 4 + user.length + 16 + id.length).put(EVENT_BY_USER)
                .putInt(user.length).put(user).putLong(ascendingLong(nanos)).putLong(ascendingLong(position)).put(id).array());
    }

    /** The parts of an {@link #eventOfUser} key. */
    public record UserEventKey(String userId, long nanos, long position, String eventId) {
    }

    public static UserEventKey parseEventOfUser(Bytes key) {
        ByteBuffer b = ByteBuffer.wrap(key.get());
        b.get();
        int userLength = b.getInt();
        String user = new String(key.get(), 5, userLength, StandardCharsets.UTF_8);
        b.position(5 + userLength);
        long nanos = ascendingLong(b.getLong());
        long position = ascendingLong(b.getLong());
        String id = new String(key.get(), b.position(), key.get().length - b.position(), StandardCharsets.UTF_8);
        return new UserEventKey(user, nanos, position, id);
    }

    /** Prefix of all timeline keys of one user (use with prefixScan). */
    public static Bytes eventsOfUserPrefix(String userId) {
        byte[] user = utf8(userId);
        return Bytes.wrap(ByteBuffer.allocate(1 + 4 + user.length).put(EVENT_BY_USER).putInt(user.length).put(user).array());
    }

    // ---- encodings ----

    static long ascendingLong(long v) {
        return v ^ Long.MIN_VALUE;
    }

    static long ascendingDouble(double d) {
        long bits = Double.doubleToLongBits(d);
        return bits < 0 ? ~bits : bits ^ Long.MIN_VALUE;
    }

    private static Bytes prefixed(byte prefix, long position, byte[] id) {
        return Bytes.wrap(ByteBuffer.allocate(9 + id.length).put(prefix).putLong(ascendingLong(position)).put(id).array());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
