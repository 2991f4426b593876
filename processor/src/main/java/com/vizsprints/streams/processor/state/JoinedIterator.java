package com.vizsprints.streams.processor.state;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Entries read from memory, then those of a store iterator (or the other way round): the
 * {@link FactStore}'s in-memory key spaces sort before every key RocksDB holds, so a range over
 * both is the one followed by the other.
 */
final class JoinedIterator implements KeyValueIterator<Bytes, byte[]> {
    private final Iterator<KeyValue<Bytes, byte[]>> first;
    private final KeyValueIterator<Bytes, byte[]> stored;
    private final Iterator<KeyValue<Bytes, byte[]>> last;
    private KeyValue<Bytes, byte[]> next;

    private JoinedIterator(List<KeyValue<Bytes, byte[]>> first, KeyValueIterator<Bytes, byte[]> stored,
                           List<KeyValue<Bytes, byte[]>> last) {
        this.first = first.iterator();
        this.stored = stored;
        this.last = last.iterator();
    }

    /** {@code inMemory}, then {@code stored} (null: nothing stored). */
    static JoinedIterator memoryThenStored(List<KeyValue<Bytes, byte[]>> inMemory, KeyValueIterator<Bytes, byte[]> stored) {
        return new JoinedIterator(inMemory, stored, List.of());
    }

    /** {@code stored} (null: nothing stored), then {@code inMemory}. */
    static JoinedIterator storedThenMemory(KeyValueIterator<Bytes, byte[]> stored, List<KeyValue<Bytes, byte[]>> inMemory) {
        return new JoinedIterator(List.of(), stored, inMemory);
    }

    private KeyValue<Bytes, byte[]> peek() {
        if (next == null) {
            if (first.hasNext()) {
                next = first.next();
            } else if (stored != null && stored.hasNext()) {
                next = stored.next();
            } else if (last.hasNext()) {
                next = last.next();
            }
        }
        return next;
    }

    @Override
    public boolean hasNext() {
        return peek() != null;
    }

    @Override
    public KeyValue<Bytes, byte[]> next() {
        KeyValue<Bytes, byte[]> kv = peek();
        if (kv == null) {
            throw new NoSuchElementException();
        }
        next = null;
        return kv;
    }

    @Override
    public Bytes peekNextKey() {
        KeyValue<Bytes, byte[]> kv = peek();
        if (kv == null) {
            throw new NoSuchElementException();
        }
        return kv.key;
    }

    @Override
    public void close() {
        if (stored != null) {
            stored.close();
        }
    }
}
