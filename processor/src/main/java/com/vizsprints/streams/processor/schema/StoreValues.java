package com.vizsprints.streams.processor.schema;

import com.vizsprints.streams.processor.logic.Profile;
import com.vizsprints.streams.processor.logic.SessionSummary;
import com.vizsprints.streams.processor.logic.UserState;
import com.vizsprints.streams.processor.logic.UserSummary;
import com.vizsprints.streams.processor.model.EventRecord;
import com.vizsprints.streams.processor.schema.BinaryCodec.Reader;
import com.vizsprints.streams.processor.schema.BinaryCodec.Writer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Compact binary values of the internal stores (cheaper than JSON, and the stores are private to
 * the application).
 */
public final class StoreValues {
    private static final byte VERSION = 1;

    private StoreValues() {
    }

    // ------------------------------------------------------------------ user state (the legacy per-user value, every event time)

    public static Serde<UserState> userState() {
        return Serdes.serdeFrom((topic, s) -> s == null ? null : encodeUserState(s),
                (topic, b) -> b == null ? null : decodeUserState(b));
    }

    public static byte[] encodeUserState(UserState s) {
        Writer out = new Writer(64 + 8 * s.eventCount());
        out.writeByte(VERSION).writeString(s.userId());
        writeOptionalProfile(out, s.profile());
        out.writeInt(s.stageMask());
        long[] t = s.eventNanos();
        out.writeInt(t.length);
        for (long v : t) {
            out.writeLong(v);
        }
        return out.toBytes();
    }

    public static UserState decodeUserState(byte[] bytes) {
        Reader in = new Reader(bytes);
        in.readByte();
        String userId = in.readString();
        Profile p = readOptionalProfile(in);
        int mask = in.readInt();
        long[] t = new long[in.readInt()];
        for (int i = 0; i < t.length; i++) {
            t[i] = in.readLong();
        }
        return new UserState(userId, p, t, mask);
    }

    // ------------------------------------------------------------------ profiles and user summaries

    /** The user-summary view's serde (peers exchange summaries in this form). */
    public static Serde<UserSummary> userSummary() {
        return Serdes.serdeFrom((topic, s) -> s == null ? null : encodeSummary(s),
                (topic, b) -> b == null ? null : decodeSummary(b));
    }

    public static byte[] encodeProfile(Profile p) {
        Writer out = new Writer(64);
        writeProfile(out, p);
        return out.toBytes();
    }

    public static Profile decodeProfile(byte[] bytes) {
        return readProfile(new Reader(bytes));
    }

    private static void writeProfile(Writer out, Profile p) {
        out.writeLong(p.joinedAtNanos()).writeString(p.device()).writeString(p.country()).writeString(p.plan())
                .writeString(p.variant()).writeLong(p.position());
    }

    private static Profile readProfile(Reader in) {
        return new Profile(in.readLong(), in.readString(), in.readString(), in.readString(), in.readString(), in.readLong());
    }

    private static void writeOptionalProfile(Writer out, Profile p) {
        out.writeBoolean(p != null);
        if (p != null) {
            writeProfile(out, p);
        }
    }

    private static Profile readOptionalProfile(Reader in) {
        return in.readBoolean() ? readProfile(in) : null;
    }

    public static byte[] encodeSummary(UserSummary s) {
        int[] months = s.months();
        Writer out = new Writer(128 + 4 * months.length);
        out.writeByte(VERSION).writeString(s.userId());
        writeOptionalProfile(out, s.profile());
        out.writeInt(s.eventCount()).writeInt(s.stageMask()).writeLong(s.firstNanos()).writeLong(s.lastNanos())
                .writeInt(s.sessionCount()).writeDouble(s.closedHours()).writeDouble(s.closedCompensation())
                .writeLong(s.lastSessionStart()).writeByte(s.lastSessionEvents()).writeShort(months.length);
        for (int m : months) {
            out.writeInt(m);
        }
        return out.toBytes();
    }

    public static UserSummary decodeSummary(byte[] bytes) {
        Reader in = new Reader(bytes);
        in.readByte();
        String userId = in.readString();
        Profile p = readOptionalProfile(in);
        int eventCount = in.readInt();
        int stageMask = in.readInt();
        long first = in.readLong();
        long last = in.readLong();
        int sessions = in.readInt();
        double closedHours = in.readDouble();
        double closedCompensation = in.readDouble();
        long lastSessionStart = in.readLong();
        int lastSessionEvents = in.readByte();
        int[] months = new int[in.readUnsignedShort()];
        for (int i = 0; i < months.length; i++) {
            months[i] = in.readInt();
        }
        return UserSummary.restore(userId, p, eventCount, stageMask, first, last, sessions, closedHours,
                closedCompensation, lastSessionStart, lastSessionEvents, months);
    }

    public static byte[] encodeCount(long v) {
        return new Writer(8).writeLong(v).toBytes();
    }

    public static long decodeCount(byte[] bytes) {
        return new Reader(bytes).readLong();
    }

    // ------------------------------------------------------------------ sessions

    public static byte[] encodeSession(SessionSummary s) {
        return new Writer(64).writeString(s.userId()).writeInt(s.totalSessions()).writeDouble(s.totalHours())
                .writeLong(s.firstActivityNanos()).writeLong(s.lastActivityNanos()).toBytes();
    }

    public static SessionSummary decodeSession(byte[] bytes) {
        Reader in = new Reader(bytes);
        return new SessionSummary(in.readString(), in.readInt(), in.readDouble(), in.readLong(), in.readLong());
    }

    // ------------------------------------------------------------------ events

    /** An event; its name comes first, so {@link #eventNameOf} reads it alone. */
    public static byte[] encodeEvent(EventRecord e) {
        return new Writer(160).writeString(e.eventName()).writeString(e.eventId()).writeString(e.userId())
                .writeString(e.timestamp()).writeString(e.metadata()).writeLong(e.position()).toBytes();
    }

    public static EventRecord decodeEvent(byte[] bytes) {
        Reader in = new Reader(bytes);
        String name = in.readString();
        return new EventRecord(in.readString(), in.readString(), name, in.readString(), in.readString(), in.readLong());
    }

    /** The event name of an {@link #encodeEvent} value, without decoding the rest. */
    public static String eventNameOf(byte[] bytes) {
        return new Reader(bytes).readString();
    }

    /** An event id already seen: where its index entries live, so a duplicate can move them. */
    public record SeenEvent(long position, long nanos, String userId, int stage) {
    }

    public static byte[] encodeSeen(SeenEvent s) {
        return new Writer(32).writeLong(s.position()).writeLong(s.nanos()).writeString(s.userId()).writeInt(s.stage()).toBytes();
    }

    public static SeenEvent decodeSeen(byte[] bytes) {
        Reader in = new Reader(bytes);
        return new SeenEvent(in.readLong(), in.readLong(), in.readString(), in.readInt());
    }

    /** Value of an input-order entry for an event: its funnel stage and user. */
    public record OrderedEvent(int stage, String userId) {
    }

    public static byte[] encodeOrderedEvent(OrderedEvent e) {
        return new Writer(24).writeInt(e.stage()).writeString(e.userId()).toBytes();
    }

    public static OrderedEvent decodeOrderedEvent(byte[] bytes) {
        Reader in = new Reader(bytes);
        return new OrderedEvent(in.readInt(), in.readString());
    }
}
