package com.vizsprints.streams.query.service;

import com.vizsprints.streams.processor.schema.FactKeys;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.Arrays;

/**
 * One key space of the facts store (the keys that start with one byte) read as a typed store:
 * keys lose their first byte and are deserialised, values are deserialised.
 */
final class KeySpaceView<K, V> implements ReadOnlyKeyValueStore<K, V> {
    private final ReadOnlyKeyValueStore<Bytes, byte[]> facts;
    private final byte space;
    private final Serde<K> keys;
    private final Serde<V> values;

    KeySpaceView(ReadOnlyKeyValueStore<Bytes, byte[]> facts, byte space, Serde<K> keys, Serde<V> values) {
        this.facts = facts;
        this.space = space;
        this.keys = keys;
        this.values = values;
    }

    @Override
    public V get(K key) {
        byte[] v = facts.get(inSpace(keys.serializer().serialize(null, key)));
        return v == null ? null : values.deserializer().deserialize(null, v);
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        return typed(facts.range(lower(from), upper(to)), to);
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(K from, K to) {
        return typed(facts.reverseRange(lower(from), upper(to)), to);
    }

    @Override
    public KeyValueIterator<K, V> all() {
        return range(null, null);
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        return reverseRange(null, null);
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, PS prefixKeySerializer) {
        Bytes p = inSpace(prefixKeySerializer.serialize(null, prefix));
        return typed(facts.prefixScan(p, new org.apache.kafka.common.serialization.BytesSerializer()), null);
    }

    @Override
    public long approximateNumEntries() {
        return facts.approximateNumEntries();
    }

    private Bytes inSpace(byte[] key) {
        return FactKeys.inSpace(space, key);
    }

    private Bytes lower(K from) {
        return from == null ? FactKeys.spaceFrom(space) : inSpace(keys.serializer().serialize(null, from));
    }

    /** Inclusive upper bound; an open end stops before the next key space. */
    private Bytes upper(K to) {
        return to == null ? FactKeys.spaceTo(space) : inSpace(keys.serializer().serialize(null, to));
    }

    private KeyValueIterator<K, V> typed(KeyValueIterator<Bytes, byte[]> raw, K to) {
        Bytes end = FactKeys.spaceTo(space);
        boolean openEnd = to == null;
        return new KeyValueIterator<>() {
            private KeyValue<Bytes, byte[]> next = advance();

            private KeyValue<Bytes, byte[]> advance() {
                while (raw.hasNext()) {
                    KeyValue<Bytes, byte[]> kv = raw.next();
                    if (openEnd && kv.key.equals(end)) {
                        continue;
                    }
                    return kv;
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public KeyValue<K, V> next() {
                if (next == null) {
                    throw new java.util.NoSuchElementException();
                }
                KeyValue<Bytes, byte[]> kv = next;
                next = advance();
                byte[] k = kv.key.get();
                return KeyValue.pair(keys.deserializer().deserialize(null, Arrays.copyOfRange(k, 1, k.length)),
                        values.deserializer().deserialize(null, kv.value));
            }

            @Override
            public K peekNextKey() {
                if (next == null) {
                    throw new java.util.NoSuchElementException();
                }
                byte[] k = next.key.get();
                return keys.deserializer().deserialize(null, Arrays.copyOfRange(k, 1, k.length));
            }

            @Override
            public void close() {
                raw.close();
            }
        };
    }
}
