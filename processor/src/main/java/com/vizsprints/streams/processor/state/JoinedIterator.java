package com.vizsprints.streams.processor.state;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.util.NoSuchElementException;

/**
 * The entries of one iterator, then those of another: the {@link FactStore}'s in-memory key
 * spaces sort before every key RocksDB holds, so a range over both is the one followed by the
 * other (in reverse, the other way round). Closing it closes both.
 */
final class JoinedIterator implements KeyValueIterator<Bytes, byte[]> {
    private final KeyValueIterator<Bytes, byte[]> first;
    private final KeyValueIterator<Bytes, byte[]> second;

    /** @param first, second iterators, or null for none */
    JoinedIterator(KeyValueIterator<Bytes, byte[]> first, KeyValueIterator<Bytes, byte[]> second) {
        this.first = first;
        this.second = second;
    }

    private KeyValueIterator<Bytes, byte[]> current() {
        if (first != null && first.hasNext()) {
            return first;
        }
        return second != null && second.hasNext() ? second : null;
    }

    @Override
    public boolean hasNext() {
        return current() != null;
    }

    @Override
    public KeyValue<Bytes, byte[]> next() {
        KeyValueIterator<Bytes, byte[]> it = current();
        if (it == null) {
            throw new NoSuchElementException();
        }
        return it.next();
    }

    @Override
    public Bytes peekNextKey() {
        KeyValueIterator<Bytes, byte[]> it = current();
        if (it == null) {
            throw new NoSuchElementException();
        }
        return it.peekNextKey();
    }

    @Override
    public void close() {
        try {
            if (first != null) {
                first.close();
            }
        } finally {
            if (second != null) {
                second.close();
            }
        }
    }
}
