package com.vizsprints.streams.processor.topology;

import com.vizsprints.streams.processor.model.EventRecord;

import java.nio.charset.StandardCharsets;

/**
 * Reads an event value written the way the replay writes it (Jackson's output for {@link
 * EventRecord}: its six fields in declaration order, no whitespace, ASCII text, strings with
 * JSON's short escapes only) without Jackson's data binding, whose setup per value (a parser, a
 * deserialization context, a symbol table) cost more than the reading itself. Any other value,
 * however valid, is not read here ({@link #read} answers null) and goes to Jackson, so a value
 * means the same either way; {@code CanonicalEventJsonTest} checks that against Jackson on
 * generated and mutated values.
 */
final class CanonicalEventJson {
    private static final byte[][] FIELD_OPENINGS = {
            ascii("{\"event_id\":"), ascii(",\"user_id\":"), ascii(",\"event_name\":"),
            ascii(",\"timestamp\":"), ascii(",\"metadata\":"), ascii(",\"position\":")};
    private static final byte[] NULL = ascii("null");
    /** Longest position read here: 18 digits cannot overflow a long. */
    private static final int MAX_DIGITS = 18;

    private final byte[] in;
    private int at;
    /** Set by {@link #string} and {@link #position} when the value is not in the canonical form. */
    private boolean notCanonical;

    private CanonicalEventJson(byte[] in) {
        this.in = in;
    }

    /** The event, or null when the value is not in the form read here (then Jackson reads it). */
    static EventRecord read(byte[] value) {
        return new CanonicalEventJson(value).event();
    }

    private EventRecord event() {
        String[] text = new String[5];
        for (int field = 0; field < text.length; field++) {
            if (!skip(FIELD_OPENINGS[field])) {
                return null;
            }
            text[field] = skip(NULL) ? null : string();
            if (notCanonical) {
                return null;
            }
        }
        if (!skip(FIELD_OPENINGS[5])) {
            return null;
        }
        long position = position();
        if (notCanonical || at != in.length - 1 || in[at] != '}') {
            return null;
        }
        return new EventRecord(text[0], text[1], text[2], text[3], text[4], position);
    }

    private boolean skip(byte[] expected) {
        if (in.length - at < expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (in[at + i] != expected[i]) {
                return false;
            }
        }
        at += expected.length;
        return true;
    }

    /** A JSON string of printable ASCII, with the escapes {@code \" \\ \/ \b \f \n \r \t} at most. */
    private String string() {
        if (at >= in.length || in[at] != '"') {
            notCanonical = true;
            return null;
        }
        int start = ++at;
        boolean escaped = false;
        while (at < in.length) {
            byte b = in[at];
            if (b == '"') {
                String s = escaped ? unescape(start, at) : new String(in, start, at - start, StandardCharsets.ISO_8859_1);
                at++;
                return s;
            }
            if (b < 0x20) { // a control character, or a byte of a multi-byte UTF-8 sequence (negative)
                break;
            }
            if (b == '\\') {
                if (at + 1 >= in.length || unescaped(in[at + 1]) < 0) {
                    break;
                }
                escaped = true;
                at++;
            }
            at++;
        }
        notCanonical = true;
        return null;
    }

    private String unescape(int from, int to) {
        byte[] out = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            byte b = in[i];
            if (b == '\\') {
                b = (byte) unescaped(in[++i]);
            }
            out[n++] = b;
        }
        return new String(out, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** The character a short escape stands for, or -1 when this is not one read here. */
    private static int unescaped(byte c) {
        return switch (c) {
            case '"', '\\', '/' -> c;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            default -> -1;
        };
    }

    /** A non-negative integer without leading zeros, at most {@link #MAX_DIGITS} digits. */
    private long position() {
        int start = at;
        long v = 0;
        while (at < in.length && in[at] >= '0' && in[at] <= '9') {
            v = v * 10 + (in[at] - '0');
            at++;
        }
        int digits = at - start;
        if (digits == 0 || digits > MAX_DIGITS || (digits > 1 && in[start] == '0')) {
            notCanonical = true;
        }
        return v;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
