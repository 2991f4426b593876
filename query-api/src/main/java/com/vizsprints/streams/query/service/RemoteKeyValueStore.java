package com.vizsprints.streams.query.service;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A partition's store held by other instances, read through their internal endpoint. Hosts
 * are tried in order: the active owner first, then standby replicas (stale reads). When none
 * answers, the query fails with {@link NotReadyException}: never a silently partial answer.
 */
final class RemoteKeyValueStore<K, V> implements ReadOnlyKeyValueStore<K, V> {
    static final int PAGE = 1000;

    /** A host and whether it holds a standby copy. */
    record Replica(HostInfo host, boolean standby) {
    }

    private final PeerClient client;
    private final StoreCodec<K, V> codec;
    private final int partition;
    private final List<Replica> replicas;

    RemoteKeyValueStore(PeerClient client, StoreCodec<K, V> codec, int partition, List<Replica> replicas) {
        this.client = client;
        this.codec = codec;
        this.partition = partition;
        this.replicas = replicas;
    }

    private interface Call<T> {
        T on(Replica replica);
    }

    private <T> T firstAnswer(Call<T> call) {
        StringBuilder failures = new StringBuilder();
        for (Replica r : replicas) {
            try {
                return call.on(r);
            } catch (PeerClient.PeerUnavailableException e) {
                failures.append(failures.length() == 0 ? "" : "; ").append(e.getMessage());
            }
        }
        throw new NotReadyException("partition " + partition + " of " + codec.store() + " is unavailable: "
                + (failures.length() == 0 ? "no instance owns it" : failures));
    }

    @Override
    public V get(K key) {
        byte[] k = codec.keyBytes(key);
        byte[] v = firstAnswer(r -> client.get(r.host(), codec.store(), partition, r.standby(), k));
        return v == null ? null : codec.value(v);
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        byte[] toBytes = to == null ? null : codec.keyBytes(to);
        return new PagedIterator(last -> {
            byte[] start = last == null ? (from == null ? null : codec.keyBytes(from)) : StoreCodec.successor(last);
            return firstAnswer(r -> client.range(r.host(), codec.store(), partition, r.standby(), start, toBytes, PAGE));
        });
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, PS prefixKeySerializer) {
        byte[] p = prefixKeySerializer.serialize(codec.store(), prefix);
        return new PagedIterator(last -> firstAnswer(r -> client.prefix(r.host(), codec.store(), partition, r.standby(), p, last, PAGE)));
    }

    @Override
    public KeyValueIterator<K, V> all() {
        return range(null, null);
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(K from, K to) {
        throw new UnsupportedOperationException("reverse scans are not served across instances");
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        throw new UnsupportedOperationException("reverse scans are not served across instances");
    }

    @Override
    public long approximateNumEntries() {
        return -1;
    }

    private interface PageSource {
        StorePeerService.Page after(byte[] lastKey);
    }

    /** Fetches pages lazily, so a scan that stops early (top-N, first 1000) moves little data. */
    private final class PagedIterator implements KeyValueIterator<K, V> {
        private final PageSource source;
        private Iterator<byte[][]> current;
        private boolean more = true;
        private byte[] lastKey;
        private KeyValue<K, V> peeked;

        PagedIterator(PageSource source) {
            this.source = source;
        }

        @Override
        public boolean hasNext() {
            if (peeked != null) {
                return true;
            }
            while ((current == null || !current.hasNext()) && more) {
                StorePeerService.Page page = source.after(lastKey);
                current = page.entries().iterator();
                more = page.more();
            }
            if (current == null || !current.hasNext()) {
                return false;
            }
            byte[][] e = current.next();
            lastKey = e[0];
            peeked = KeyValue.pair(codec.key(e[0]), codec.value(e[1]));
            return true;
        }

        @Override
        public KeyValue<K, V> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            KeyValue<K, V> kv = peeked;
            peeked = null;
            return kv;
        }

        @Override
        public K peekNextKey() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return peeked.key;
        }

        @Override
        public void close() {
        }
    }
}
