package com.vizsprints.streams.processor.state;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** {@link KeyOrder} through the buffer that uses it, against a plain stable sort in RocksDB's order. */
class KeyOrderTest {
    /**
     * The order RocksDB keeps, written out byte by byte, and {@link List#sort}'s stability: the
     * oracle every case compares with.
     */
    private static int rocksDbOrder(byte[] a, byte[] b) {
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            int d = (a[i] & 0xff) - (b[i] & 0xff);
            if (d != 0) {
                return d;
            }
        }
        return a.length - b.length;
    }

    /** Sorts the entries through a buffer (used again, as the store uses one) and compares with the oracle. */
    private static void assertSortedLikeTheOracle(List<KeyValue<Bytes, byte[]>> entries, WriteBatchBuffer buffer) {
        List<KeyValue<Bytes, byte[]>> expected = new ArrayList<>(entries);
        expected.sort((x, y) -> rocksDbOrder(x.key.get(), y.key.get()));
        for (KeyValue<Bytes, byte[]> kv : entries) {
            buffer.add(kv.key.get(), kv.value);
        }
        List<KeyValue<Bytes, byte[]>> actual = buffer.inKeyOrder();
        buffer.clear();
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).key, actual.get(i).key, "key of entry " + i + " of " + expected.size());
            // the serial number in the value: equal keys keep their order
            assertArrayEquals(expected.get(i).value, actual.get(i).value, "value of entry " + i + " of " + expected.size());
        }
    }

    private static KeyValue<Bytes, byte[]> entry(byte[] key, int serial) {
        return KeyValue.pair(Bytes.wrap(key), ByteBuffer.allocate(4).putInt(serial).array());
    }

    @Test
    void randomKeysOfEveryLengthFromAFewBytesSortAsRocksDbOrdersThemWithEqualKeysInArrivalOrder() {
        Random random = new Random(7);
        WriteBatchBuffer order = new WriteBatchBuffer();
        for (int round = 0; round < 200; round++) {
            int n = random.nextInt(2_000);
            List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] key = new byte[random.nextInt(40)];
                for (int b = 0; b < key.length; b++) {
                    // few distinct bytes, 0 and 255 among them: shared prefixes, keys that are prefixes of others, equal keys
                    key[b] = (byte) new int[]{0, 1, 'P', 128, 255}[random.nextInt(5)];
                }
                entries.add(entry(key, i));
            }
            assertSortedLikeTheOracle(entries, order);
        }
    }

    @Test
    void keysThatDifferOnlyPastTheRadixPrefixAndLongRunsOfThemSortByTheirWholeKeys() {
        Random random = new Random(11);
        List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>();
        byte[] shared = new byte[KeyOrder.PREFIX + 3];
        for (int i = 0; i < 5_000; i++) {
            byte[] key = shared.clone();
            int tail = random.nextInt(3);
            key[KeyOrder.PREFIX + tail] = (byte) random.nextInt(256);
            // some a byte shorter than the prefix, or exactly as long: zeros past the end must not tie them wrongly
            int length = new int[]{KeyOrder.PREFIX - 1, KeyOrder.PREFIX, key.length}[random.nextInt(3)];
            entries.add(entry(java.util.Arrays.copyOf(key, length), i));
        }
        assertSortedLikeTheOracle(entries, new WriteBatchBuffer());
    }

    @Test
    void aBatchLikeTheFactStoresWithSpacesInterleavedSortsLikeTheOracleAgainAndAgainWithOneSorter() {
        Random random = new Random(3);
        WriteBatchBuffer order = new WriteBatchBuffer();
        for (int batch = 0; batch < 20; batch++) {
            List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>();
            int n = 100 + random.nextInt(20_000);
            for (int i = 0; i < n; i++) {
                String user = "u_" + (100_000 + random.nextInt(5_000));
                long nanos = 1_700_000_000_000_000_000L + random.nextInt(1_000_000) * 1_000_000_000L;
                String space = "PTIE".substring(i % 4, i % 4 + 1);
                // input positions (E) arrive in order, as in a task; the other spaces do not here
                String key = space.equals("E") ? "E" + (1_000_000_000L + i) + "e_" + i
                        : space + (space.equals("P") ? user : "") + Long.toString(nanos, 36) + "e_" + random.nextInt(n);
                entries.add(entry(key.getBytes(java.nio.charset.StandardCharsets.UTF_8), i));
            }
            assertSortedLikeTheOracle(entries, order);
        }
    }
}
