package com.vizsprints.streams.processor.state;

import java.util.Arrays;

/**
 * Puts entries in RocksDB's default key order (bytes compared unsigned, a prefix before the
 * longer key), stably: of entries with equal keys the later stays later, so a delete staged after
 * a put of the same key wins. Entries are given by the first {@link #PREFIX} bytes of their keys as
 * two numbers, and a comparison of whole keys for the entries whose prefixes are equal.
 *
 * <p>The entries are put in order by their first byte (the key space) in one counting pass; a
 * space whose entries arrived in order is left so (times, input positions and event ids mostly
 * grow), any other gets a radix sort on the rest of the prefix, least significant byte first,
 * skipping the bytes all its keys share. Entries whose prefixes are equal are then put in order
 * by their whole keys.
 *
 * <p>Keeps its arrays between calls; used by one thread at a time.
 */
final class KeyOrder {
    /** Bytes of a key the radix passes look at: two longs. */
    static final int PREFIX = 16;
    private static final int RADIX = 256;
    /** Runs of equal prefixes up to this long are sorted by insertion. */
    private static final int SHORT_RUN = 32;

    /** Compares the whole keys of two entries, by their indexes. */
    interface WholeKeys {
        int compare(int i, int j);
    }

    private long[] high = new long[0];
    private long[] low = new long[0];
    private int[] order = new int[0];
    private long[] highScratch = new long[0];
    private long[] lowScratch = new long[0];
    private int[] orderScratch = new int[0];
    private final int[][] counts = new int[PREFIX][RADIX];
    /** Where each digit's entries go next in a counting pass. */
    private final int[] start = new int[RADIX];

    /**
     * The indexes of entries {@code 0..n-1} in key order, equal keys in index order: the first
     * {@code n} elements of the array returned (kept by this object until its next call).
     *
     * @param keyHigh bytes 0-7 of each entry's key, big-endian, zeros past its end
     * @param keyLow  bytes 8-15, the same way
     */
    int[] sort(long[] keyHigh, long[] keyLow, int n, WholeKeys wholeKeys) {
        ensureCapacity(n);
        int[] spaceStart = new int[RADIX + 1];
        for (int i = 0; i < n; i++) {
            spaceStart[(int) (keyHigh[i] >>> 56) + 1]++;
        }
        for (int d = 1; d <= RADIX; d++) {
            spaceStart[d] += spaceStart[d - 1];
        }
        int[] next = Arrays.copyOf(spaceStart, RADIX);
        for (int i = 0; i < n; i++) {
            int to = next[(int) (keyHigh[i] >>> 56)]++;
            high[to] = keyHigh[i];
            low[to] = keyLow[i];
            order[to] = i;
        }
        for (int d = 0; d < RADIX; d++) {
            if (spaceStart[d + 1] - spaceStart[d] > 1) {
                sortSpace(spaceStart[d], spaceStart[d + 1]);
            }
        }
        orderTies(n, wholeKeys);
        return order;
    }

    /**
     * Sorts the entries of one key space (the first byte), {@code [from, to)} of the arrays, by the
     * rest of their prefixes, unless they are in order already (times, input positions and event
     * ids mostly arrive in order; the events of users do not).
     */
    private void sortSpace(int from, int to) {
        if (inOrder(from, to)) {
            return;
        }
        for (int[] c : counts) {
            Arrays.fill(c, 0);
        }
        for (int i = from; i < to; i++) {
            long h = high[i];
            long l = low[i];
            for (int b = 1; b < 8; b++) {
                counts[b][(int) (h >>> (56 - 8 * b)) & 0xff]++;
            }
            for (int b = 0; b < 8; b++) {
                counts[8 + b][(int) (l >>> (56 - 8 * b)) & 0xff]++;
            }
        }
        boolean inScratch = false;
        for (int b = PREFIX - 1; b >= 1; b--) {
            if (!sharedByAll(counts[b], to - from)) {
                pass(b, counts[b], from, to);
                inScratch = !inScratch;
            }
        }
        if (inScratch) {
            swapArrays();
            System.arraycopy(highScratch, from, high, from, to - from);
            System.arraycopy(lowScratch, from, low, from, to - from);
            System.arraycopy(orderScratch, from, order, from, to - from);
        }
    }

    /** Whether {@code [from, to)} is in key order already (equal prefixes are left to {@link #orderTies}). */
    private boolean inOrder(int from, int to) {
        for (int i = from + 1; i < to; i++) {
            int c = Long.compareUnsigned(high[i - 1], high[i]);
            if (c == 0) {
                c = Long.compareUnsigned(low[i - 1], low[i]);
            }
            if (c > 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean sharedByAll(int[] count, int n) {
        for (int c : count) {
            if (c != 0) {
                return c == n;
            }
        }
        return false;
    }

    /**
     * One stable counting pass on byte {@code b} of the prefixes in {@code [from, to)}, into the
     * scratch arrays, which then change places with the arrays (outside the range both hold what
     * they held: {@link #sortSpace} copies back a range that ends in the scratch arrays).
     */
    private void pass(int b, int[] count, int from, int to) {
        start[0] = from;
        for (int d = 1; d < RADIX; d++) {
            start[d] = start[d - 1] + count[d - 1];
        }
        boolean inHigh = b < 8;
        int shift = 56 - 8 * (b & 7);
        for (int i = from; i < to; i++) {
            long h = high[i];
            long l = low[i];
            int at = start[(int) ((inHigh ? h : l) >>> shift) & 0xff]++;
            highScratch[at] = h;
            lowScratch[at] = l;
            orderScratch[at] = order[i];
        }
        swapArrays();
    }

    private void swapArrays() {
        long[] t = high;
        high = highScratch;
        highScratch = t;
        t = low;
        low = lowScratch;
        lowScratch = t;
        int[] o = order;
        order = orderScratch;
        orderScratch = o;
    }

    /**
     * Runs of entries whose prefixes are equal, put in order by their whole keys: by insertion,
     * as such runs are short (a user's events close in time, when its id is long), or by a merge
     * sort when one is not. Both are stable.
     */
    private void orderTies(int n, WholeKeys wholeKeys) {
        int runStart = 0;
        for (int i = 1; i <= n; i++) {
            if (i == n || high[i] != high[runStart] || low[i] != low[runStart]) {
                if (i - runStart > SHORT_RUN) {
                    Integer[] run = new Integer[i - runStart];
                    for (int k = 0; k < run.length; k++) {
                        run[k] = order[runStart + k];
                    }
                    Arrays.sort(run, wholeKeys::compare);
                    for (int k = 0; k < run.length; k++) {
                        order[runStart + k] = run[k];
                    }
                } else if (i - runStart > 1) {
                    insertionSort(runStart, i, wholeKeys);
                }
                runStart = i;
            }
        }
    }

    private void insertionSort(int from, int to, WholeKeys wholeKeys) {
        for (int i = from + 1; i < to; i++) {
            int x = order[i];
            int j = i - 1;
            while (j >= from && wholeKeys.compare(order[j], x) > 0) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = x;
        }
    }

    private void ensureCapacity(int n) {
        if (order.length < n) {
            int size = Math.max(n, order.length * 3 / 2);
            high = new long[size];
            low = new long[size];
            order = new int[size];
            highScratch = new long[size];
            lowScratch = new long[size];
            orderScratch = new int[size];
        }
    }
}
