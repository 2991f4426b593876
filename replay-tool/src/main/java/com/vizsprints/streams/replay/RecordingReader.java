package com.vizsprints.streams.replay;

import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;

/**
 * Passes text through from another reader while keeping a copy of it, from a movable mark
 * onwards, addressed by character offset since this reader was created. The CSV parser reads
 * through it, and the row reader looks back at the raw text: to tell a quoted field from an
 * unquoted one, to find where lines start and to hand unparsed text to a new parser after a
 * syntax error. Memory use is the text from the mark to the parser's read-ahead.
 * Not thread-safe.
 */
final class RecordingReader extends Reader {
    private final Reader in;
    private char[] kept = new char[16 * 1024];
    /** Offset of {@code kept[0]}. */
    private long keptStart;
    private int keptLength;
    /** Text before this offset may be forgotten. */
    private long mark;
    private boolean endReached;

    RecordingReader(Reader in) {
        this.in = in;
    }

    @Override
    public int read(char[] target, int offset, int length) throws IOException {
        int n = in.read(target, offset, length);
        if (n < 0) {
            endReached = true;
        } else if (n > 0) {
            keep(target, offset, n);
        }
        return n;
    }

    /**
     * Reads more text from the underlying reader into the kept copy (only once the parser has
     * been abandoned: text read here is never seen by it).
     *
     * @return false at end of input
     */
    boolean readAhead() throws IOException {
        char[] chunk = new char[8 * 1024];
        int n;
        do {
            n = read(chunk, 0, chunk.length);
        } while (n == 0);
        return n > 0;
    }

    private void keep(char[] source, int offset, int n) {
        if (keptLength + n > kept.length) {
            int forgettable = (int) Math.min(keptLength, Math.max(0, mark - keptStart));
            if (forgettable > 0) {
                System.arraycopy(kept, forgettable, kept, 0, keptLength - forgettable);
                keptLength -= forgettable;
                keptStart += forgettable;
            }
            if (keptLength + n > kept.length) {
                kept = Arrays.copyOf(kept, Math.max(kept.length * 2, keptLength + n));
            }
        }
        System.arraycopy(source, offset, kept, keptLength, n);
        keptLength += n;
    }

    /** Allows the text before {@code offset} to be forgotten. */
    void forgetBefore(long offset) {
        mark = Math.max(mark, offset);
    }

    /** Offset just past the last character read so far. */
    long end() {
        return keptStart + keptLength;
    }

    boolean endReached() {
        return endReached;
    }

    /** The character at {@code offset}, which must have been read and not forgotten. */
    char charAt(long offset) {
        if (offset < keptStart || offset >= end()) {
            throw new IllegalStateException("offset " + offset + " is outside the kept text ["
                    + keptStart + ", " + end() + ")");
        }
        return kept[(int) (offset - keptStart)];
    }

    /** The text read so far from {@code offset} on. */
    char[] textFrom(long offset) {
        if (offset < keptStart || offset > end()) {
            throw new IllegalStateException("offset " + offset + " is outside the kept text ["
                    + keptStart + ", " + end() + "]");
        }
        int from = (int) (offset - keptStart);
        return Arrays.copyOfRange(kept, from, keptLength);
    }

    /**
     * The offset just after the {@code count}-th line break at or after {@code from}, where a
     * line break is {@code \n}, {@code \r\n} or a lone {@code \r}; -1 when the text read so far
     * does not tell yet.
     */
    long offsetAfterLineBreaks(long from, long count) {
        long seen = 0;
        long end = end();
        for (long i = from; i < end; i++) {
            char c = charAt(i);
            if (c == '\n' || c == '\r') {
                if (c == '\r') {
                    if (i + 1 < end) {
                        if (charAt(i + 1) == '\n') {
                            i++;
                        }
                    } else if (!endReached) {
                        return -1;
                    }
                }
                if (++seen == count) {
                    return i + 1;
                }
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
