package com.vizsprints.streams.query.service;

import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one instance serves to its peers: raw entries of its local stores, a page at a time, so
 * a peer can merge them with its own (counters are partial sums, indexes are partial lists).
 */
public final class StorePeerService {
    public static final int MAX_PAGE = 2000;

    private final LocalStoreReader stores;

    public StorePeerService(LocalStoreReader stores) {
        this.stores = stores;
    }

    public record Page(List<byte[][]> entries, boolean more) {
    }

    public byte[] get(String store, int partition, boolean stale, byte[] key) {
        return get(codec(store), partition, stale, key);
    }

    private <K, V> byte[] get(StoreCodec<K, V> codec, int partition, boolean stale, byte[] key) {
        V value = this.<K, V>open(codec, partition, stale).get(codec.key(key));
        return value == null ? null : codec.valueBytes(value);
    }

    /** Entries with from <= key <= to (null: open), at most {@code limit}. */
    public Page range(String store, int partition, boolean stale, byte[] from, byte[] to, int limit) {
        return range(codec(store), partition, stale, from, to, limit);
    }

    private <K, V> Page range(StoreCodec<K, V> codec, int partition, boolean stale, byte[] from, byte[] to, int limit) {
        ReadOnlyKeyValueStore<K, V> store = open(codec, partition, stale);
        try (KeyValueIterator<K, V> it = store.range(from == null ? null : codec.key(from), to == null ? null : codec.key(to))) {
            return page(codec, it, null, limit);
        }
    }

    /** Entries whose key starts with {@code prefix}, after the key {@code after} (null: from the first), at most {@code limit}. */
    public Page prefix(String store, int partition, boolean stale, byte[] prefix, byte[] after, int limit) {
        return prefix(codec(store), partition, stale, prefix, after, limit);
    }

    private <K, V> Page prefix(StoreCodec<K, V> codec, int partition, boolean stale, byte[] prefix, byte[] after, int limit) {
        ReadOnlyKeyValueStore<K, V> store = open(codec, partition, stale);
        try (KeyValueIterator<K, V> it = store.prefixScan(Bytes.wrap(prefix), new BytesSerializer())) {
            return page(codec, it, after, limit);
        }
    }

    private static <K, V> Page page(StoreCodec<K, V> codec, KeyValueIterator<K, V> it, byte[] after, int limit) {
        int max = Math.max(1, Math.min(limit, MAX_PAGE));
        List<byte[][]> entries = new ArrayList<>();
        while (it.hasNext()) {
            KeyValue<K, V> kv = it.next();
            byte[] key = codec.keyBytes(kv.key);
            if (after != null && Arrays.compareUnsigned(key, after) <= 0) {
                continue;
            }
            if (entries.size() == max) {
                return new Page(entries, true);
            }
            entries.add(new byte[][]{key, codec.valueBytes(kv.value)});
        }
        return new Page(entries, false);
    }

    private <K, V> ReadOnlyKeyValueStore<K, V> open(StoreCodec<K, V> codec, int partition, boolean stale) {
        try {
            return stores.open(codec.store(), partition, stale);
        } catch (InvalidStateStoreException e) {
            throw new NotReadyException("store " + codec.store() + " of partition " + partition + " is not queryable here: " + e.getMessage());
        }
    }

    private static StoreCodec<?, ?> codec(String store) {
        StoreCodec<?, ?> codec = StoreCodec.of(store);
        if (codec == null) {
            throw new BadRequestException("store", "no queryable store named '" + store + "'");
        }
        return codec;
    }
}
