package com.vizsprints.streams.processor.schema;

import com.vizsprints.streams.processor.logic.Profile;
import com.vizsprints.streams.processor.logic.SessionSummary;
import com.vizsprints.streams.processor.logic.UserState;
import com.vizsprints.streams.processor.logic.UserSummary;
import com.vizsprints.streams.processor.model.EventRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Compact binary serdes for the values of the internal stores (cheaper than JSON, and the
 * stores are private to the application).
 */
public final class StoreValues {
    private static final byte VERSION = 1;

    private StoreValues() {
    }

    public static Serde<UserState> userState() {
        return Serdes.serdeFrom((topic, s) -> s == null ? null : encodeUserState(s),
                (topic, b) -> b == null ? null : decodeUserState(b));
    }

    public static byte[] encodeUserState(UserState s) {
        return BinaryCodec.encode(out -> {
            out.writeByte(VERSION);
            BinaryCodec.writeString(out, s.userId());
            Profile p = s.profile();
            out.writeBoolean(p != null);
            if (p != null) {
                out.writeLong(p.joinedAtMillis());
                BinaryCodec.writeString(out, p.device());
                BinaryCodec.writeString(out, p.country());
                BinaryCodec.writeString(out, p.plan());
                BinaryCodec.writeString(out, p.variant());
                out.writeLong(p.position());
            }
            out.writeInt(s.stageMask());
            long[] t = s.eventMillis();
            out.writeInt(t.length);
            for (long v : t) {
                out.writeLong(v);
            }
        });
    }

    public static UserState decodeUserState(byte[] bytes) {
        return BinaryCodec.decode(bytes, in -> {
            in.readByte();
            String userId = BinaryCodec.readString(in);
            Profile p = null;
            if (in.readBoolean()) {
                p = new Profile(in.readLong(), BinaryCodec.readString(in), BinaryCodec.readString(in),
                        BinaryCodec.readString(in), BinaryCodec.readString(in), in.readLong());
            }
            int mask = in.readInt();
            long[] t = new long[in.readInt()];
            for (int i = 0; i < t.length; i++) {
                t[i] = in.readLong();
            }
            return new UserState(userId, p, t, mask);
        });
    }

    /** The user-summary view's serde (peers exchange summaries in this form). */
    public static Serde<UserSummary> userSummary() {
        return Serdes.serdeFrom((topic, s) -> s == null ? null : encodeSummary(s),
                (topic, b) -> b == null ? null : decodeSummary(b));
    }

    public static byte[] encodeProfile(Profile p) {
        return BinaryCodec.encode(out -> writeProfile(out, p));
    }

    public static Profile decodeProfile(byte[] bytes) {
        return BinaryCodec.decode(bytes, StoreValues::readProfile);
    }

    private static void writeProfile(java.io.DataOutputStream out, Profile p) throws java.io.IOException {
        out.writeLong(p.joinedAtMillis());
        BinaryCodec.writeString(out, p.device());
        BinaryCodec.writeString(out, p.country());
        BinaryCodec.writeString(out, p.plan());
        BinaryCodec.writeString(out, p.variant());
        out.writeLong(p.position());
    }

    private static Profile readProfile(java.io.DataInputStream in) throws java.io.IOException {
        return new Profile(in.readLong(), BinaryCodec.readString(in), BinaryCodec.readString(in),
                BinaryCodec.readString(in), BinaryCodec.readString(in), in.readLong());
    }

    public static byte[] encodeSummary(UserSummary s) {
        return BinaryCodec.encode(out -> {
            out.writeByte(VERSION);
            BinaryCodec.writeString(out, s.userId());
            Profile p = s.profile();
            out.writeBoolean(p != null);
            if (p != null) {
                writeProfile(out, p);
            }
            out.writeInt(s.eventCount());
            out.writeInt(s.stageMask());
            out.writeLong(s.firstMillis());
            out.writeLong(s.lastMillis());
            out.writeInt(s.sessionCount());
            out.writeDouble(s.closedHours());
            out.writeDouble(s.closedCompensation());
            out.writeLong(s.lastSessionStart());
            out.writeByte(s.lastSessionEvents());
            int[] months = s.months();
            out.writeShort(months.length);
            for (int m : months) {
                out.writeInt(m);
            }
        });
    }

    public static UserSummary decodeSummary(byte[] bytes) {
        return BinaryCodec.decode(bytes, in -> {
            in.readByte();
            String userId = BinaryCodec.readString(in);
            Profile p = in.readBoolean() ? readProfile(in) : null;
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
        });
    }

    public static byte[] encodeCount(long v) {
        return java.nio.ByteBuffer.allocate(8).putLong(v).array();
    }

    public static long decodeCount(byte[] bytes) {
        return java.nio.ByteBuffer.wrap(bytes).getLong();
    }

    public static byte[] encodeSession(SessionSummary s) {
        return BinaryCodec.encode(out -> {
            BinaryCodec.writeString(out, s.userId());
            out.writeInt(s.totalSessions());
            out.writeDouble(s.totalHours());
            out.writeLong(s.firstActivityMillis());
            out.writeLong(s.lastActivityMillis());
        });
    }

    public static SessionSummary decodeSession(byte[] bytes) {
        return BinaryCodec.decode(bytes, in -> new SessionSummary(BinaryCodec.readString(in), in.readInt(),
                in.readDouble(), in.readLong(), in.readLong()));
    }

    public static byte[] encodeEvent(EventRecord e) {
        return BinaryCodec.encode(out -> {
            BinaryCodec.writeString(out, e.eventId());
            BinaryCodec.writeString(out, e.userId());
            BinaryCodec.writeString(out, e.eventName());
            BinaryCodec.writeString(out, e.timestamp());
            BinaryCodec.writeString(out, e.metadata());
            out.writeLong(e.position());
        });
    }

    public static EventRecord decodeEvent(byte[] bytes) {
        return BinaryCodec.decode(bytes, in -> new EventRecord(BinaryCodec.readString(in), BinaryCodec.readString(in),
                BinaryCodec.readString(in), BinaryCodec.readString(in), BinaryCodec.readString(in), in.readLong()));
    }

    /** An event id already seen: where its index entries live, so a duplicate can move them. */
    public record SeenEvent(long position, long millis, String userId, int stage) {
    }

    public static byte[] encodeSeen(SeenEvent s) {
        return BinaryCodec.encode(out -> {
            out.writeLong(s.position());
            out.writeLong(s.millis());
            BinaryCodec.writeString(out, s.userId());
            out.writeInt(s.stage());
        });
    }

    public static SeenEvent decodeSeen(byte[] bytes) {
        return BinaryCodec.decode(bytes, in -> new SeenEvent(in.readLong(), in.readLong(), BinaryCodec.readString(in), in.readInt()));
    }

    /** Value of an input-order entry for an event: its funnel stage and user. */
    public record OrderedEvent(int stage, String userId) {
    }

    public static byte[] encodeOrderedEvent(OrderedEvent e) {
        return BinaryCodec.encode(out -> {
            out.writeInt(e.stage());
            BinaryCodec.writeString(out, e.userId());
        });
    }

    public static OrderedEvent decodeOrderedEvent(byte[] bytes) {
        return BinaryCodec.decode(bytes, in -> new OrderedEvent(in.readInt(), BinaryCodec.readString(in)));
    }
}
