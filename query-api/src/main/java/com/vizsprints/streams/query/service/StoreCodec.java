package com.vizsprints.streams.query.service;

import com.vizsprints.streams.processor.logic.UserSummary;
import com.vizsprints.streams.processor.schema.StateStores;
import com.vizsprints.streams.processor.schema.StoreValues;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;

import java.util.Map;

/**
 * Key and value serdes of each queryable store, so store entries can cross the wire between
 * instances as the bytes the store itself holds.
 */
public record StoreCodec<K, V>(String store, Serde<K> keys, Serde<V> values) {
    public static final StoreCodec<String, UserSummary> USER_STATE =
            new StoreCodec<>(StateStores.USER_STATE, Serdes.String(), StoreValues.userSummary());
    public static final StoreCodec<String, Long> AGGREGATES =
            new StoreCodec<>(StateStores.AGGREGATES, Serdes.String(), Serdes.Long());
    public static final StoreCodec<Bytes, byte[]> SESSION_RANK =
            new StoreCodec<>(StateStores.SESSION_RANK, Serdes.Bytes(), Serdes.ByteArray());
    public static final StoreCodec<Bytes, byte[]> INPUT_ORDER =
            new StoreCodec<>(StateStores.INPUT_ORDER, Serdes.Bytes(), Serdes.ByteArray());
    public static final StoreCodec<Bytes, byte[]> TIMELINE =
            new StoreCodec<>(StateStores.TIMELINE, Serdes.Bytes(), Serdes.ByteArray());

    private static final Map<String, StoreCodec<?, ?>> BY_NAME = Map.of(
            USER_STATE.store, USER_STATE, AGGREGATES.store, AGGREGATES, SESSION_RANK.store, SESSION_RANK,
            INPUT_ORDER.store, INPUT_ORDER, TIMELINE.store, TIMELINE);

    /** The codec of a queryable store, or null. */
    public static StoreCodec<?, ?> of(String store) {
        return BY_NAME.get(store);
    }

    public byte[] keyBytes(K key) {
        return keys.serializer().serialize(store, key);
    }

    public K key(byte[] bytes) {
        return keys.deserializer().deserialize(store, bytes);
    }

    public byte[] valueBytes(V value) {
        return values.serializer().serialize(store, value);
    }

    public V value(byte[] bytes) {
        return values.deserializer().deserialize(store, bytes);
    }

    /** The smallest key after {@code key} in the stores' byte order: the key with a 0 byte appended. */
    public static byte[] successor(byte[] key) {
        byte[] next = java.util.Arrays.copyOf(key, key.length + 1);
        return next;
    }
}
