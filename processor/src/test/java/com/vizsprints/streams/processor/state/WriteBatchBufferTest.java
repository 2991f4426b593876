package com.vizsprints.streams.processor.state;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The encoded batch against RocksDB's own encoder of the same entries sorted by a plain stable sort (the oracle): byte for byte, and as RocksDB applies it. */
class WriteBatchBufferTest {
    static {
        RocksDB.loadLibrary();
    }

    /** Puts and deletes of keys and values of every length class a varint distinguishes, some keys repeated. */
    private static List<KeyValue<Bytes, byte[]>> randomEntries(Random random, int n) {
        int[] lengths = {0, 1, 5, 126, 127, 128, 129, 300, 16_383, 16_384, 70_000};
        List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] key;
            if (random.nextInt(5) == 0) {
                key = new byte[]{(byte) random.nextInt(4)}; // a key written again, by a put or a delete
            } else {
                key = new byte[Math.max(1, random.nextInt(3) == 0 ? lengths[random.nextInt(lengths.length)] : random.nextInt(40))];
                random.nextBytes(key);
            }
            byte[] value = null;
            if (random.nextInt(4) != 0) {
                value = new byte[random.nextInt(3) == 0 ? lengths[random.nextInt(lengths.length)] : random.nextInt(200)];
                random.nextBytes(value);
            }
            entries.add(KeyValue.pair(Bytes.wrap(key), value));
        }
        return entries;
    }

    private static byte[] rocksDbsOwnEncodingInKeyOrder(List<KeyValue<Bytes, byte[]>> entries) throws Exception {
        List<KeyValue<Bytes, byte[]>> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> Arrays.compareUnsigned(a.key.get(), b.key.get()));
        try (WriteBatch batch = new WriteBatch()) {
            for (KeyValue<Bytes, byte[]> kv : sorted) {
                if (kv.value == null) {
                    batch.delete(kv.key.get());
                } else {
                    batch.put(kv.key.get(), kv.value);
                }
            }
            return batch.data();
        }
    }

    /** The entries through a buffer (used again after a clear, as the store uses one). */
    private static byte[] encoded(WriteBatchBuffer buffer, List<KeyValue<Bytes, byte[]>> entries) {
        for (KeyValue<Bytes, byte[]> kv : entries) {
            buffer.add(kv.key.get(), kv.value);
        }
        byte[] encoded = buffer.encodeInKeyOrder();
        buffer.clear();
        return encoded;
    }

    @Test
    void aBatchIsEncodedByteForByteAsRocksDbEncodesItsPutsAndDeletes() throws Exception {
        Random random = new Random(7);
        WriteBatchBuffer buffer = new WriteBatchBuffer();
        for (int round = 0; round < 200; round++) {
            List<KeyValue<Bytes, byte[]>> entries = randomEntries(random, random.nextInt(300));
            assertArrayEquals(rocksDbsOwnEncodingInKeyOrder(entries), encoded(buffer, entries), "round " + round);
        }
    }

    @Test
    void theEntriesReadBackInKeyOrderAreTheOnesAddedWithTheirValuesOfEveryLength() {
        Random random = new Random(5);
        WriteBatchBuffer buffer = new WriteBatchBuffer();
        for (int round = 0; round < 50; round++) {
            List<KeyValue<Bytes, byte[]>> entries = randomEntries(random, random.nextInt(300));
            List<KeyValue<Bytes, byte[]>> expected = new ArrayList<>(entries);
            expected.sort((a, b) -> Arrays.compareUnsigned(a.key.get(), b.key.get()));
            entries.forEach(kv -> buffer.add(kv.key.get(), kv.value));
            List<KeyValue<Bytes, byte[]>> actual = buffer.inKeyOrder();
            buffer.clear();
            assertEquals(expected.size(), actual.size());
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i).key, actual.get(i).key, "round " + round + ", entry " + i);
                assertArrayEquals(expected.get(i).value, actual.get(i).value, "round " + round + ", entry " + i);
            }
        }
    }

    @Test
    void aBufferThatHeldAHugeBatchEncodesTheBatchesAfterItAsBefore() throws Exception {
        Random random = new Random(13);
        WriteBatchBuffer buffer = new WriteBatchBuffer();
        List<KeyValue<Bytes, byte[]>> huge = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            byte[] key = new byte[1 + random.nextInt(30)];
            random.nextBytes(key);
            huge.add(KeyValue.pair(Bytes.wrap(key), new byte[random.nextInt(60)]));
        }
        assertArrayEquals(rocksDbsOwnEncodingInKeyOrder(huge), encoded(buffer, huge), "the huge batch");
        // enough small batches after it for the buffer to give its large arrays back, and more
        for (int round = 0; round < 100; round++) {
            List<KeyValue<Bytes, byte[]>> entries = randomEntries(random, random.nextInt(300));
            assertArrayEquals(rocksDbsOwnEncodingInKeyOrder(entries), encoded(buffer, entries), "batch " + round + " after it");
        }
    }

    @Test
    void aBufferKeepsItsArraysWhileLargeBatchesComeAndGivesThemBackAfterSixtyFourSmallOnesInARow() {
        Random random = new Random(17);
        WriteBatchBuffer buffer = new WriteBatchBuffer();
        long small = buffer.heldBytes();
        addAndClear(buffer, largeBatch(random));
        long large = buffer.heldBytes();
        assertTrue(large > 8 * small, "held after a large batch: " + large + " bytes, at first " + small);
        for (int round = 0; round < 200; round++) {
            // a backlog: small batches between large ones
            addAndClear(buffer, round % 10 == 9 ? largeBatch(random) : randomEntries(random, 100));
            assertEquals(large, buffer.heldBytes(), "batch " + round + " of a backlog");
        }
        for (int round = 0; round < 63; round++) {
            addAndClear(buffer, randomEntries(random, 100));
        }
        assertEquals(large, buffer.heldBytes(), "after 63 small batches in a row");
        addAndClear(buffer, randomEntries(random, 100));
        assertEquals(small, buffer.heldBytes(), "after the 64th");
    }

    /** About 6 MB in 100,000 entries: more than the buffer keeps for good. */
    private static List<KeyValue<Bytes, byte[]>> largeBatch(Random random) {
        List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            byte[] key = new byte[20];
            random.nextBytes(key);
            entries.add(KeyValue.pair(Bytes.wrap(key), new byte[40]));
        }
        return entries;
    }

    private static void addAndClear(WriteBatchBuffer buffer, List<KeyValue<Bytes, byte[]>> entries) {
        entries.forEach(e -> buffer.add(e.key.get(), e.value));
        buffer.encodeInKeyOrder();
        buffer.clear();
    }

    @Test
    void anEmptyBatchIsRocksDbsEmptyBatch() throws Exception {
        assertArrayEquals(rocksDbsOwnEncodingInKeyOrder(List.of()), encoded(new WriteBatchBuffer(), List.of()));
    }

    @Test
    void rocksDbAppliesTheEncodedBatchInOrderSoTheLastWriteOfAKeyWins(@TempDir Path dir) throws Exception {
        Random random = new Random(11);
        List<KeyValue<Bytes, byte[]>> entries = randomEntries(random, 5_000);
        Map<Bytes, byte[]> expected = new HashMap<>();
        for (KeyValue<Bytes, byte[]> kv : entries) {
            expected.put(kv.key, kv.value);
        }
        try (Options options = new Options().setCreateIfMissing(true);
             RocksDB db = RocksDB.open(options, dir.toString());
             WriteOptions writeOptions = new WriteOptions();
             WriteBatch batch = new WriteBatch(encoded(new WriteBatchBuffer(), entries))) {
            assertEquals(entries.size(), batch.count());
            db.write(writeOptions, batch);
            for (Map.Entry<Bytes, byte[]> e : expected.entrySet()) {
                if (e.getValue() == null) {
                    assertNull(db.get(e.getKey().get()), "deleted key " + e.getKey());
                } else {
                    assertArrayEquals(e.getValue(), db.get(e.getKey().get()), "key " + e.getKey());
                }
            }
        }
    }
}
