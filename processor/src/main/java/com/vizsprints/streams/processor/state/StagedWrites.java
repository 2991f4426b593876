package com.vizsprints.streams.processor.state;

import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes to the underlying store, staged in memory until {@link #flush} writes them out in one
 * atomic batch: a fact and everything derived from it always reach RocksDB together, and a key
 * written many times between flushes reaches it once. Reads see the staged writes; a scan first
 * writes them out. Used by one thread at a time (the stream thread, or the restoring thread
 * before it).
 */
final class StagedWrites {
    private static final BytesSerializer KEYS = new BytesSerializer();

    private final KeyValueStore<Bytes, byte[]> store;
    /** Key to staged value; a null value stages a delete. */
    private final Map<Bytes, byte[]> staged = new LinkedHashMap<>();
    /**
     * A key the writing thread has just read and found absent (the processor asks whether an
     * event id was seen before it writes the event), so the derivation need not read it again.
     * Forgotten at the next flush.
     */
    private Bytes knownAbsent;
    /** Stages what its owner keeps pending in memory; runs at the start of every {@link #flush}. */
    private Runnable beforeFlush = () -> { };

    StagedWrites(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    byte[] get(Bytes key) {
        if (staged.containsKey(key)) {
            return staged.get(key);
        }
        if (key.equals(knownAbsent)) {
            return null;
        }
        return store.get(key);
    }

    /** The writing thread read {@code key} and found nothing; true until the key is written or the next flush. */
    void rememberAbsent(Bytes key) {
        knownAbsent = key;
    }

    int size() {
        return staged.size();
    }

    void put(Bytes key, byte[] value) {
        staged.put(key, value);
    }

    void delete(Bytes key) {
        staged.put(key, null);
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
        if (staged.isEmpty()) {
            return;
        }
        List<KeyValue<Bytes, byte[]>> batch = new ArrayList<>(staged.size());
        staged.forEach((k, v) -> batch.add(KeyValue.pair(k, v)));
        staged.clear();
        store.putAll(batch);
    }

    /** Forgets staged writes (the store is closing without them). */
    void discard() {
        knownAbsent = null;
        staged.clear();
    }
}
