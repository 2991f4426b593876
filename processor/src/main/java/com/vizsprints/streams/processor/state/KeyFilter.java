package com.vizsprints.streams.processor.state;

import org.apache.kafka.common.utils.Bytes;

import java.util.ArrayList;
import java.util.List;

/**
 * A Bloom filter over store keys that grows with them: {@link #mightContain} is false only for a
 * key never {@link #add added}, and true for about 1% of the others. It lets the writing thread
 * answer "not in the store" for a new event id without asking RocksDB, whose lookup of an absent
 * key probes every memtable and sorted run (and, in rocksdbjni, throws and catches a C++
 * exception): that was a sixth of the processing step's CPU.
 *
 * <p>It grows by segments, each twice the capacity of the one before; a key is added to the
 * newest and looked up in all, so no key is ever re-hashed. Keys removed from the store stay in
 * the filter (a false positive costs one RocksDB lookup). Not thread-safe: one writer.
 */
final class KeyFilter {
    /** Keys the first segment holds at its designed false-positive rate. */
    static final int FIRST_CAPACITY = 1 << 16;
    private static final int BITS_PER_KEY = 10;
    private static final int PROBES = 7;

    private final List<Segment> segments = new ArrayList<>();
    private Segment newest;

    KeyFilter() {
        newest = new Segment(FIRST_CAPACITY);
        segments.add(newest);
    }

    void add(Bytes key) {
        if (newest.keys == newest.capacity) {
            newest = new Segment(newest.capacity * 2);
            segments.add(newest);
        }
        newest.add(hash(key.get()));
    }

    boolean mightContain(Bytes key) {
        long h = hash(key.get());
        for (int i = segments.size() - 1; i >= 0; i--) {
            if (segments.get(i).mightContain(h)) {
                return true;
            }
        }
        return false;
    }

    /** FNV-1a over the bytes, then MurmurHash3's finaliser, so both halves are well mixed. */
    static long hash(byte[] bytes) {
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }

    private static final class Segment {
        final long capacity;
        final long[] words;
        final long mask;
        long keys;

        Segment(long capacity) {
            this.capacity = capacity;
            long bits = Long.highestOneBit(capacity * BITS_PER_KEY - 1) << 1;
            this.words = new long[(int) (bits >>> 6)];
            this.mask = bits - 1;
        }

        void add(long hash) {
            int h1 = (int) hash;
            int h2 = (int) (hash >>> 32) | 1;
            for (int i = 0; i < PROBES; i++) {
                long bit = (h1 + (long) i * h2) & mask;
                words[(int) (bit >>> 6)] |= 1L << bit;
            }
            keys++;
        }

        boolean mightContain(long hash) {
            int h1 = (int) hash;
            int h2 = (int) (hash >>> 32) | 1;
            for (int i = 0; i < PROBES; i++) {
                long bit = (h1 + (long) i * h2) & mask;
                if ((words[(int) (bit >>> 6)] & (1L << bit)) == 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
