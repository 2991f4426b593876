package com.vizsprints.streams.replay.generate;

import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;

/**
 * Builds CSV lines in a reused character buffer and hands them to a {@link Writer} in large
 * chunks; formats numbers and timestamps without allocating.
 */
final class LineWriter implements Closeable {
    private static final int FLUSH_AT = 1 << 16;

    private final Writer out;
    private final StringBuilder buffer = new StringBuilder(FLUSH_AT + 1024);

    LineWriter(Writer out) {
        this.out = out;
    }

    LineWriter append(String s) {
        buffer.append(s);
        return this;
    }

    LineWriter append(char c) {
        buffer.append(c);
        return this;
    }

    LineWriter append(long value) {
        buffer.append(value);
        return this;
    }

    /** {@code value} in decimal, left-padded with zeros to at least {@code width} digits. */
    LineWriter appendPadded(long value, int width) {
        int digits = digits(value);
        for (int i = digits; i < width; i++) {
            buffer.append('0');
        }
        buffer.append(value);
        return this;
    }

    /** {@code HH:MM:SSZ} of a second of the day. */
    LineWriter appendTimeOfDay(int secondOfDay) {
        int hours = secondOfDay / 3600;
        int minutes = secondOfDay / 60 % 60;
        int seconds = secondOfDay % 60;
        buffer.append((char) ('0' + hours / 10)).append((char) ('0' + hours % 10)).append(':')
                .append((char) ('0' + minutes / 10)).append((char) ('0' + minutes % 10)).append(':')
                .append((char) ('0' + seconds / 10)).append((char) ('0' + seconds % 10)).append('Z');
        return this;
    }

    /** Ends the current line and passes the buffer on when it is large. */
    void endLine() throws IOException {
        buffer.append('\n');
        if (buffer.length() >= FLUSH_AT) {
            drain();
        }
    }

    private void drain() throws IOException {
        out.append(buffer);
        buffer.setLength(0);
    }

    @Override
    public void close() throws IOException {
        try {
            drain();
        } finally {
            out.close();
        }
    }

    static int digits(long value) {
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        return digits;
    }
}
