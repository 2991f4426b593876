package com.vizsprints.streams.processor.schema;

import org.apache.kafka.common.utils.Bytes;

import java.nio.charset.StandardCharsets;

/**
 * Keys of the facts store that {@link IndexKeys} does not already declare. The store holds every
 * key space under its own first byte:
 * <ul>
 *   <li>facts, changelogged: {@code A} profile of a user, {@code P} an event of a user
 *       ({@link IndexKeys#eventOfUser}), {@code C} the counters only the processor writes
 *       (duplicates, dead letters);</li>
 *   <li>derived from the facts on every replica, never changelogged: {@code I} event ids seen,
 *       {@code S} per-user summary, {@code C} every other counter, {@code T}, {@code E}, {@code U}
 *       time and input-order indexes and the session rankings ({@link IndexKeys}).</li>
 * </ul>
 */
public final class FactKeys {
    public static final byte PROFILE = 'A';
    public static final byte EVENT_ID = 'I';
    public static final byte SUMMARY = 'S';
    public static final byte COUNTER = 'C';

    private FactKeys() {
    }

    public static Bytes profile(String userId) {
        return prefixed(PROFILE, userId);
    }

    public static Bytes eventId(String eventId) {
        return prefixed(EVENT_ID, eventId);
    }

    public static Bytes summary(String userId) {
        return prefixed(SUMMARY, userId);
    }

    public static Bytes counter(String counterKey) {
        return prefixed(COUNTER, counterKey);
    }

    /** The text after the first byte of a key ({@code A}, {@code I}, {@code S}, {@code C} keys). */
    public static String textOf(Bytes key) {
        byte[] k = key.get();
        return new String(k, 1, k.length - 1, StandardCharsets.UTF_8);
    }

    /** All keys of one key space: [from, to). */
    public static Bytes spaceFrom(byte space) {
        return Bytes.wrap(new byte[]{space});
    }

    public static Bytes spaceTo(byte space) {
        return Bytes.wrap(new byte[]{(byte) (space + 1)});
    }

    static Bytes prefixed(byte space, String text) {
        return inSpace(space, text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code key} with the key space's byte in front. */
    public static Bytes inSpace(byte space, byte[] key) {
        byte[] k = new byte[key.length + 1];
        k[0] = space;
        System.arraycopy(key, 0, k, 1, key.length);
        return Bytes.wrap(k);
    }

    public static byte spaceOf(Bytes key) {
        return key.get()[0];
    }
}
