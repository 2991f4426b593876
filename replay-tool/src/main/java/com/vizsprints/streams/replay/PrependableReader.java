package com.vizsprints.streams.replay;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A reader over another reader in front of which already-read text can be put back, so that
 * a fresh CSV parser can start again at an earlier point (the next line after a broken row).
 * Not thread-safe.
 */
final class PrependableReader extends Reader {
    private final Reader in;
    private final Deque<Chunk> prepended = new ArrayDeque<>();

    private static final class Chunk {
        final char[] chars;
        int next;

        Chunk(char[] chars) {
            this.chars = chars;
        }
    }

    PrependableReader(Reader in) {
        this.in = in;
    }

    /** Makes {@code chars} the next text this reader returns, before anything else. */
    void prepend(char[] chars) {
        if (chars.length > 0) {
            prepended.addFirst(new Chunk(chars));
        }
    }

    @Override
    public int read(char[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        Chunk chunk = prepended.peekFirst();
        if (chunk == null) {
            return in.read(target, offset, length);
        }
        int n = Math.min(length, chunk.chars.length - chunk.next);
        System.arraycopy(chunk.chars, chunk.next, target, offset, n);
        chunk.next += n;
        if (chunk.next == chunk.chars.length) {
            prepended.removeFirst();
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        prepended.clear();
        in.close();
    }
}
