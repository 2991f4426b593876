package com.vizsprints.streams.processor.state;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The entries of the next RocksDB write batch, puts and deletes in the default column family,
 * each copied when it is added into one growing byte array, already in RocksDB's record format
 * ({@code write_batch.cc}: a tag byte, a varint-prefixed key and, for a put, a varint-prefixed
 * value), with the first {@link KeyOrder#PREFIX} bytes of its key kept as two numbers.
 * {@link #encodeInKeyOrder} sorts the entries by those numbers and copies their records behind
 * RocksDB's header (a fixed 64-bit sequence number, set by RocksDB when it writes the batch, and
 * a fixed 32-bit count; integers little-endian); {@code new WriteBatch(encoded)} hands the batch
 * to RocksDB in one native call.
 *
 * <p>Why a copy at all: an entry is added while its key and value are in the CPU's caches, and
 * written out a commit interval later, when the objects that held them are scattered through
 * memory long evicted. Sorting and encoding those objects then cost a cache miss or more per
 * entry (a sort over the objects, then the encoding, took a quarter of the processing step's
 * CPU); the copies lie together. {@code WriteBatchBufferTest} holds the encoding to RocksDB's own.
 *
 * <p>Used by one thread at a time.
 */
final class WriteBatchBuffer {
    /** RocksDB's {@code kTypeDeletion}. */
    private static final byte DELETION = 0x0;
    /** RocksDB's {@code kTypeValue}. */
    private static final byte VALUE = 0x1;
    /** The sequence number (8 bytes) and the count (4 bytes). */
    private static final int HEADER = 12;
    /** The most bytes of records a batch holds: its encoding, with the header, is one Java array. */
    private static final int MAX_RECORDS = Integer.MAX_VALUE - 8 - HEADER;
    /**
     * Sizes beyond which the arrays are given back (records in bytes, entries), once
     * {@link #QUIET_BATCHES} batches in a row used at most a quarter of them: a burst (up to
     * {@code FactStore.MAX_STAGED} entries) does not hold memory for good, and a backlog, whose
     * batches of 0.1-7 MB (100k users) come one after the other, does not grow them again from
     * the start after each large one (a regrowth copies each byte about twice, in arrays large
     * enough for G1 to allocate outside its young generation, and the arrays of a batch that
     * live through a young collection are copied by it; kept, they age into the old generation).
     */
    private static final int KEPT_BYTES = 4 << 20;
    private static final int KEPT_ENTRIES = 64 << 10;
    private static final int QUIET_BATCHES = 64;
    private static final int FIRST_ENTRIES = 1024;

    private byte[] records = new byte[64 << 10];
    private int used;
    private int size;
    /** Per entry: where its record starts, and where its key starts and how long it is. */
    private int[] recordAt = new int[FIRST_ENTRIES];
    private int[] keyAt = new int[FIRST_ENTRIES];
    private int[] keyLength = new int[FIRST_ENTRIES];
    /** Per entry: bytes 0-7 and 8-15 of its key, big-endian, zeros past its end. */
    private long[] high = new long[FIRST_ENTRIES];
    private long[] low = new long[FIRST_ENTRIES];
    private KeyOrder keyOrder = new KeyOrder();
    /** Batches in a row, up to the last one cleared, that used at most a quarter of the arrays. */
    private int quietBatches;

    /** Adds a put of {@code value} under {@code key}, or a delete of {@code key} when {@code value} is null. */
    void add(byte[] key, byte[] value) {
        if (size == recordAt.length) {
            growEntries();
        }
        long length = 1 + 5 + (long) key.length + (value == null ? 0 : 5 + (long) value.length);
        if (used + length > records.length) {
            growRecords(length);
        }
        recordAt[size] = used;
        records[used++] = value == null ? DELETION : VALUE;
        used = varint32(records, used, key.length);
        keyAt[size] = used;
        keyLength[size] = key.length;
        System.arraycopy(key, 0, records, used, key.length);
        used += key.length;
        if (value != null) {
            used = varint32(records, used, value.length);
            System.arraycopy(value, 0, records, used, value.length);
            used += value.length;
        }
        high[size] = bigEndian(key, 0);
        low[size] = bigEndian(key, 8);
        size++;
    }

    int size() {
        return size;
    }

    /** The bytes its arrays of records and of entries take, what it holds between batches. */
    long heldBytes() {
        return records.length + (long) recordAt.length * (3 * Integer.BYTES + 2 * Long.BYTES);
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** RocksDB's encoding of a batch of the entries in key order; of entries with equal keys the one added later comes later, so it wins. */
    byte[] encodeInKeyOrder() {
        int[] order = keyOrder.sort(high, low, size, this::compareKeys);
        byte[] out = new byte[HEADER + used];
        int at = HEADER - 4;
        out[at] = (byte) size;
        out[at + 1] = (byte) (size >>> 8);
        out[at + 2] = (byte) (size >>> 16);
        out[at + 3] = (byte) (size >>> 24);
        at = HEADER;
        for (int k = 0; k < size; k++) {
            int i = order[k];
            int length = (i + 1 < size ? recordAt[i + 1] : used) - recordAt[i];
            System.arraycopy(records, recordAt[i], out, at, length);
            at += length;
        }
        return out;
    }

    /** The entries in key order as key-value pairs (a null value deletes), for stores written through {@code putAll}. */
    List<KeyValue<Bytes, byte[]>> inKeyOrder() {
        int[] order = keyOrder.sort(high, low, size, this::compareKeys);
        List<KeyValue<Bytes, byte[]>> out = new ArrayList<>(size);
        for (int k = 0; k < size; k++) {
            int i = order[k];
            int keyEnd = keyAt[i] + keyLength[i];
            byte[] key = Arrays.copyOfRange(records, keyAt[i], keyEnd);
            byte[] value = null;
            if (records[recordAt[i]] == VALUE) {
                int valueLength = 0;
                int at = keyEnd;
                for (int shift = 0; ; shift += 7) {
                    byte b = records[at++];
                    valueLength |= (b & 0x7f) << shift;
                    if (b >= 0) {
                        break;
                    }
                }
                value = Arrays.copyOfRange(records, at, at + valueLength);
            }
            out.add(KeyValue.pair(Bytes.wrap(key), value));
        }
        return out;
    }

    /** Forgets every entry (after a batch is written out, or when it is dropped). */
    void clear() {
        boolean quiet = used <= records.length / 4 && size <= recordAt.length / 4;
        quietBatches = quiet ? quietBatches + 1 : 0;
        used = 0;
        size = 0;
        if (quietBatches < QUIET_BATCHES) {
            return;
        }
        if (records.length > KEPT_BYTES) {
            records = new byte[64 << 10];
        }
        if (recordAt.length > KEPT_ENTRIES) {
            recordAt = new int[FIRST_ENTRIES];
            keyAt = new int[FIRST_ENTRIES];
            keyLength = new int[FIRST_ENTRIES];
            high = new long[FIRST_ENTRIES];
            low = new long[FIRST_ENTRIES];
            keyOrder = new KeyOrder();
        }
    }

    private int compareKeys(int i, int j) {
        return Arrays.compareUnsigned(records, keyAt[i], keyAt[i] + keyLength[i], records, keyAt[j], keyAt[j] + keyLength[j]);
    }

    private void growEntries() {
        int n = recordAt.length * 2;
        recordAt = Arrays.copyOf(recordAt, n);
        keyAt = Arrays.copyOf(keyAt, n);
        keyLength = Arrays.copyOf(keyLength, n);
        high = Arrays.copyOf(high, n);
        low = Arrays.copyOf(low, n);
    }

    /** Makes room for {@code needed} more bytes, up to {@link #MAX_RECORDS} in all (the encoded batch adds its header). */
    private void growRecords(long needed) {
        if (used + needed > MAX_RECORDS) {
            throw new IllegalStateException("a write batch of more than " + MAX_RECORDS + " bytes");
        }
        records = Arrays.copyOf(records, (int) Math.min(Math.max((long) records.length * 2, used + needed), MAX_RECORDS));
    }

    private static int varint32(byte[] out, int at, int value) {
        int v = value;
        while ((v & ~0x7f) != 0) {
            out[at++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out[at++] = (byte) v;
        return at;
    }

    /** Bytes {@code from} to {@code from + 7} of a key as an unsigned big-endian number, zeros past its end. */
    private static long bigEndian(byte[] key, int from) {
        long v = 0;
        int end = Math.min(key.length, from + 8);
        for (int i = from; i < end; i++) {
            v |= (key[i] & 0xffL) << (56 - 8 * (i - from));
        }
        return v;
    }
}
