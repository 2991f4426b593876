package com.vizsprints.streams.processor.schema;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The compact binary values of the internal stores: big-endian numbers and length-prefixed
 * UTF-8 strings (length -1 for null), written to and read from plain byte arrays (no streams:
 * a value is encoded or decoded several times per event).
 */
final class BinaryCodec {
    private BinaryCodec() {
    }

    static final class Writer {
        private byte[] buf;
        private int n;

        Writer(int capacity) {
            buf = new byte[capacity];
        }

        private void ensure(int more) {
            if (n + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + more));
            }
        }

        Writer writeByte(int v) {
            ensure(1);
            buf[n++] = (byte) v;
            return this;
        }

        Writer writeBoolean(boolean v) {
            return writeByte(v ? 1 : 0);
        }

        Writer writeShort(int v) {
            ensure(2);
            buf[n++] = (byte) (v >>> 8);
            buf[n++] = (byte) v;
            return this;
        }

        Writer writeInt(int v) {
            ensure(4);
            buf[n++] = (byte) (v >>> 24);
            buf[n++] = (byte) (v >>> 16);
            buf[n++] = (byte) (v >>> 8);
            buf[n++] = (byte) v;
            return this;
        }

        Writer writeLong(long v) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buf[n++] = (byte) (v >>> shift);
            }
            return this;
        }

        Writer writeDouble(double v) {
            return writeLong(Double.doubleToRawLongBits(v));
        }

        Writer writeString(String s) {
            if (s == null) {
                return writeInt(-1);
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            writeInt(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, buf, n, b.length);
            n += b.length;
            return this;
        }

        byte[] toBytes() {
            return n == buf.length ? buf : Arrays.copyOf(buf, n);
        }
    }

    static final class Reader {
        private final byte[] buf;
        private int at;

        Reader(byte[] buf) {
            this.buf = buf;
        }

        int readByte() {
            return buf[at++];
        }

        boolean readBoolean() {
            return buf[at++] != 0;
        }

        int readUnsignedShort() {
            int v = ((buf[at] & 0xff) << 8) | (buf[at + 1] & 0xff);
            at += 2;
            return v;
        }

        int readInt() {
            int v = ((buf[at] & 0xff) << 24) | ((buf[at + 1] & 0xff) << 16) | ((buf[at + 2] & 0xff) << 8) | (buf[at + 3] & 0xff);
            at += 4;
            return v;
        }

        long readLong() {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (buf[at++] & 0xff);
            }
            return v;
        }

        double readDouble() {
            return Double.longBitsToDouble(readLong());
        }

        String readString() {
            int len = readInt();
            if (len < 0) {
                return null;
            }
            String s = new String(buf, at, len, StandardCharsets.UTF_8);
            at += len;
            return s;
        }
    }
}
