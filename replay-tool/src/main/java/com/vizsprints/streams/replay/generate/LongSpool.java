package com.vizsprints.streams.replay.generate;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An append-only temporary file of {@code long} values with a small write buffer; the file is
 * created on the first value. {@link #readAll(Path)} reads such a file back into an array.
 */
final class LongSpool implements Closeable {
    private static final int BUFFER_BYTES = 16 * 1024;

    private final Path file;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    private FileChannel channel;
    private long count;

    LongSpool(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** The number of values added so far. */
    long count() {
        return count;
    }

    void add(long value) throws IOException {
        if (!buffer.hasRemaining()) {
            flush();
        }
        buffer.putLong(value);
        count++;
    }

    private void flush() throws IOException {
        if (channel == null) {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    @Override
    public void close() throws IOException {
        if (count > 0) {
            flush();
        }
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    /** The values of a closed spool file, in the order they were added; empty when the file is missing. */
    static long[] readAll(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new long[0];
        }
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            if (size % Long.BYTES != 0 || size / Long.BYTES > Integer.MAX_VALUE - 8) {
                throw new IOException("temporary file " + file + " has an unexpected size " + size);
            }
            long[] values = new long[(int) (size / Long.BYTES)];
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
            int filled = 0;
            while (filled < values.length) {
                buffer.clear();
                int remaining = (values.length - filled) * Long.BYTES;
                if (remaining < buffer.capacity()) {
                    buffer.limit(remaining);
                }
                while (buffer.hasRemaining()) {
                    if (in.read(buffer) < 0) {
                        throw new IOException("temporary file " + file + " ended early");
                    }
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    values[filled++] = buffer.getLong();
                }
            }
            return values;
        }
    }
}
