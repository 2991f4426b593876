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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes to the underlying store, staged in memory until {@link #flush} writes them out in one
 * atomic batch: a fact and everything derived from it always reach RocksDB together, and a key
 * written many times between flushes reaches it once. Reads see the staged writes; a scan first
 * writes them out. Index entries that nothing reads back through these writes (only queries read
 * them, from the store) are {@link #putIndexEntry copied} into the next batch as they come
 * ({@link WriteBatchBuffer}), without a lookup table. Keys of one key space are also kept in a
 * {@link KeyFilter}, seeded from the store when it is opened, so most reads of an absent key of
 * that space (a new event id) never reach RocksDB.
 * Used by one thread at a time (the stream thread, or the restoring thread before it).
 */
final class StagedWrites {
    private static final BytesSerializer KEYS = new BytesSerializer();

    private final KeyValueStore<Bytes, byte[]> store;
    /** The first byte of the keys {@link #filter} keeps. */
    private final byte filteredSpace;
    /** The first byte of keys written as index entries that are read all the same, rarely: {@link #get} writes the batch out first. */
    private final byte rarelyReadSpace;
    /** Every key of {@link #filteredSpace} the store holds or this stages (and some it held once). */
    private final KeyFilter filter = new KeyFilter();
    /** Key to staged value; a null value stages a delete. */
    private final Map<Bytes, byte[]> staged = new LinkedHashMap<>();
    /**
     * The next batch: index entries as they are written (a null value deletes; their keys are
     * never in {@link #staged}), then, at a flush, what is staged.
     */
    private final WriteBatchBuffer batch = new WriteBatchBuffer();
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
     * @param rarelyReadSpace the first byte of keys written as {@link #putIndexEntry index entries}
     *                        and read all the same, rarely (a read writes the staged entries out first)
     */
    StagedWrites(KeyValueStore<Bytes, byte[]> store, byte filteredSpace, byte rarelyReadSpace) {
        this.store = store;
        this.filteredSpace = filteredSpace;
        this.rarelyReadSpace = rarelyReadSpace;
        try (KeyValueIterator<Bytes, byte[]> held = store.range(FactKeys.spaceFrom(filteredSpace), FactKeys.spaceTo(filteredSpace))) {
            while (held.hasNext()) {
                filter.add(held.next().key);
            }
        }
    }

    byte[] get(Bytes key) {
        if (!batch.isEmpty() && inSpace(key, rarelyReadSpace)) {
            flush();
            return store.get(key);
        }
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
        return inSpace(key, filteredSpace);
    }

    private static boolean inSpace(Bytes key, byte space) {
        byte[] k = key.get();
        return k.length > 0 && k[0] == space;
    }

    /** The writing thread read {@code key} and found nothing; true until the key is written or the next flush. */
    void rememberAbsent(Bytes key) {
        knownAbsent = key;
    }

    int size() {
        return staged.size() + batch.size();
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
     * Stages an index entry, one that is not read back through these writes ({@link #get} does not
     * see it, but for the rarely read space, whose reads write the staged entries out first):
     * written out in the order of these calls, so a later delete of the same key wins. A key
     * space is either written here or through {@link #put}, never both.
     */
    void putIndexEntry(Bytes key, byte[] value) {
        batch.add(key.get(), value);
    }

    /** Stages the delete of an index entry ({@link #putIndexEntry}). */
    void deleteIndexEntry(Bytes key) {
        batch.add(key.get(), null);
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
        if (staged.isEmpty() && batch.isEmpty()) {
            return;
        }
        // the keys of the two parts are disjoint, so their order in the batch does not matter
        staged.forEach((k, v) -> batch.add(k.get(), v));
        staged.clear();
        // In key order, each entry goes into RocksDB's memtable (a skip list) next to the one
        // before it, along a search path still in the CPU's caches; in arrival order each insert
        // walked the list from the top through cold memory (1 us an entry, half of the step's
        // CPU). The sort is stable, so of an index entry written and deleted the later stays last.
        writeOut();
        batch.clear();
    }

    /**
     * Writes the batch to the store atomically: to a plain RocksDB store as one encoded write
     * batch (one native call), to any other store through {@code putAll}. Only the plain store keeps
     * its entries in RocksDB's default column family, the one the encoded batch writes; its
     * subclasses (the timestamped store) keep them in another.
     */
    private void writeOut() {
        try {
            if (store.getClass() != RocksDBStore.class) {
                store.putAll(batch.inKeyOrder());
                return;
            }
            RocksDBStore rocksdb = (RocksDBStore) store;
            try (WriteBatch encoded = new WriteBatch(batch.encodeInKeyOrder())) {
                rocksdb.write(encoded);
            } catch (RocksDBException e) {
                throw new ProcessorStateException("Error while batch writing to store " + store.name(), e);
            }
            // what putAll does after its write: the store's position (the input offsets it holds)
            rocksdb.putAll(List.of());
        } finally {
            StoreChanges.changed();
        }
    }

    /** Forgets staged writes (the store is closing without them). */
    void discard() {
        knownAbsent = null;
        staged.clear();
        batch.clear();
    }
}
