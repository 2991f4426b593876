package com.vizsprints.streams.processor.state;

import com.vizsprints.streams.processor.schema.FactKeys;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.RocksDBStore;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes to the underlying store, staged in memory until {@link #flush} writes them out in one
 * atomic batch: a fact and everything derived from it always reach RocksDB together, and a key
 * written many times between flushes reaches it once. Reads see the staged writes; a scan first
 * writes them out. Index entries that nothing reads back through these writes (only queries read
 * them, from the store) are {@link #putIndexEntry appended} instead, in order, without a lookup
 * table. Keys of one key space are also kept in a {@link KeyFilter}, seeded from the store when
 * it is opened, so most reads of an absent key of that space (a new event id) never reach RocksDB.
 * Used by one thread at a time (the stream thread, or the restoring thread before it).
 */
final class StagedWrites {
    private static final BytesSerializer KEYS = new BytesSerializer();
    /** RocksDB's default order: bytes compared unsigned, a prefix before the longer key. */
    private static final Comparator<KeyValue<Bytes, byte[]>> IN_KEY_ORDER = (a, b) -> Arrays.compareUnsigned(a.key.get(), b.key.get());

    private final KeyValueStore<Bytes, byte[]> store;
    /** The first byte of the keys {@link #filter} keeps. */
    private final byte filteredSpace;
    /** Every key of {@link #filteredSpace} the store holds or this stages (and some it held once). */
    private final KeyFilter filter = new KeyFilter();
    /** Key to staged value; a null value stages a delete. */
    private final Map<Bytes, byte[]> staged = new LinkedHashMap<>();
    /** Index entries in the order they were written (a null value deletes); their keys are never in {@link #staged}. */
    private List<KeyValue<Bytes, byte[]>> indexEntries = new ArrayList<>();
    /**
     * A key the writing thread has just read and found absent (the processor asks whether an
     * event id was seen before it writes the event), so the derivation need not read it again.
     * Forgotten at the next flush.
     */
    private Bytes knownAbsent;
    /** Stages what its owner keeps pending in memory; runs at the start of every {@link #flush}. */
    private Runnable beforeFlush = () -> { };

    /**
     * @param store         an open store; the keys it holds in {@code filteredSpace} are read once, here
     * @param filteredSpace the first byte of the keys whose absence a filter answers
     */
    StagedWrites(KeyValueStore<Bytes, byte[]> store, byte filteredSpace) {
        this.store = store;
        this.filteredSpace = filteredSpace;
        try (KeyValueIterator<Bytes, byte[]> held = store.range(FactKeys.spaceFrom(filteredSpace), FactKeys.spaceTo(filteredSpace))) {
            while (held.hasNext()) {
                filter.add(held.next().key);
            }
        }
    }

    byte[] get(Bytes key) {
        byte[] value = staged.get(key);
        if (value != null || staged.containsKey(key)) {
            return value;
        }
        if (key.equals(knownAbsent) || (filters(key) && !filter.mightContain(key))) {
            return null;
        }
        return store.get(key);
    }

    private boolean filters(Bytes key) {
        byte[] k = key.get();
        return k.length > 0 && k[0] == filteredSpace;
    }

    /** The writing thread read {@code key} and found nothing; true until the key is written or the next flush. */
    void rememberAbsent(Bytes key) {
        knownAbsent = key;
    }

    int size() {
        return staged.size() + indexEntries.size();
    }

    void put(Bytes key, byte[] value) {
        if (value != null && filters(key)) {
            filter.add(key);
        }
        staged.put(key, value);
    }

    void delete(Bytes key) {
        staged.put(key, null);
    }

    /**
     * Stages an index entry that is never read back through these writes ({@link #get} does not
     * see it): written out in the order of these calls, so a later delete of the same key wins.
     * A key space is either written here or through {@link #put}, never both.
     */
    void putIndexEntry(Bytes key, byte[] value) {
        indexEntries.add(KeyValue.pair(key, value));
    }

    /** Stages the delete of an index entry ({@link #putIndexEntry}). */
    void deleteIndexEntry(Bytes key) {
        indexEntries.add(KeyValue.pair(key, null));
    }

    /** Entries whose key starts with {@code prefix}, staged writes included. Close the iterator. */
    KeyValueIterator<Bytes, byte[]> prefixScan(Bytes prefix) {
        flush();
        return store.prefixScan(prefix, KEYS);
    }

    /** The last entry whose key starts with {@code prefix}, staged writes included; null when none. */
    KeyValue<Bytes, byte[]> last(Bytes prefix, Bytes prefixEnd) {
        flush();
        try (KeyValueIterator<Bytes, byte[]> it = store.reverseRange(prefix, prefixEnd)) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                if (!kv.key.equals(prefixEnd)) {
                    return kv;
                }
            }
        }
        return null;
    }

    /** Sets what stages pending changes at the start of every flush (replacing what was set before). */
    void beforeFlush(Runnable stagePending) {
        this.beforeFlush = stagePending;
    }

    /** Stages what is pending, then writes out everything staged, in one batch. */
    void flush() {
        beforeFlush.run();
        knownAbsent = null;
        if (staged.isEmpty() && indexEntries.isEmpty()) {
            return;
        }
        // the keys of the two parts are disjoint, so their order in the batch does not matter
        List<KeyValue<Bytes, byte[]>> batch = indexEntries;
        indexEntries = new ArrayList<>(batch.size());
        staged.forEach((k, v) -> batch.add(KeyValue.pair(k, v)));
        staged.clear();
        // In key order, each entry goes into RocksDB's memtable (a skip list) next to the one
        // before it, along a search path still in the CPU's caches; in arrival order each insert
        // walked the list from the top through cold memory (1 us an entry, half of the step's
        // CPU). The sort is stable, so of an index entry written and deleted the later stays last.
        writeOut(inKeyOrder(batch));
    }

    /**
     * Writes a batch to the store atomically: to a plain RocksDB store as one encoded write batch
     * (one native call, {@link EncodedWriteBatch}), to any other store through {@code putAll}. Only
     * the plain store keeps its entries in RocksDB's default column family, the one the encoded
     * batch writes; its subclasses (the timestamped store) keep them in another.
     */
    private void writeOut(List<KeyValue<Bytes, byte[]>> batch) {
        if (store.getClass() != RocksDBStore.class) {
            store.putAll(batch);
            return;
        }
        RocksDBStore rocksdb = (RocksDBStore) store;
        try (WriteBatch encoded = new WriteBatch(EncodedWriteBatch.encode(batch))) {
            rocksdb.write(encoded);
        } catch (RocksDBException e) {
            throw new ProcessorStateException("Error while batch writing to store " + store.name(), e);
        }
        // what putAll does after its write: the store's position (the input offsets it holds)
        rocksdb.putAll(List.of());
    }

    /**
     * The entries sorted by key, stably: first by key space (the first byte, a counting sort), then
     * each space on its own. Within a space most entries arrive in key order already (times,
     * input positions and event ids grow), and a merge sort over a few long runs is almost
     * linear, where the interleaved spaces made one sort of the whole batch a sixth of the step.
     */
    private static List<KeyValue<Bytes, byte[]>> inKeyOrder(List<KeyValue<Bytes, byte[]>> batch) {
        int[] start = new int[257];
        for (KeyValue<Bytes, byte[]> kv : batch) {
            start[space(kv) + 1]++;
        }
        for (int b = 1; b < start.length; b++) {
            start[b] += start[b - 1];
        }
        @SuppressWarnings("unchecked")
        KeyValue<Bytes, byte[]>[] sorted = new KeyValue[batch.size()];
        int[] next = Arrays.copyOf(start, 256);
        for (KeyValue<Bytes, byte[]> kv : batch) {
            sorted[next[space(kv)]++] = kv;
        }
        for (int b = 0; b < 256; b++) {
            if (start[b + 1] - start[b] > 1) {
                Arrays.sort(sorted, start[b], start[b + 1], IN_KEY_ORDER);
            }
        }
        return Arrays.asList(sorted);
    }

    private static int space(KeyValue<Bytes, byte[]> kv) {
        return kv.key.get()[0] & 0xff;
    }

    /** Forgets staged writes (the store is closing without them). */
    void discard() {
        knownAbsent = null;
        staged.clear();
        indexEntries.clear();
    }
}
