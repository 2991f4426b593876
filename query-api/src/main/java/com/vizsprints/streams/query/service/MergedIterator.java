package com.vizsprints.streams.query.service;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/** Merges the key-ordered iterators of several partitions into one key-ordered iterator. */
final class MergedIterator<K, V> implements Iterator<KeyValue<K, V>>, AutoCloseable {
    private final List<KeyValueIterator<K, V>> sources;
    private final PriorityQueue<Head<K, V>> heads;

    private record Head<K, V>(KeyValue<K, V> entry, KeyValueIterator<K, V> source) {
    }

    private MergedIterator(List<KeyValueIterator<K, V>> sources, Comparator<K> order) {
        this.sources = sources;
        this.heads = new PriorityQueue<>(Math.max(1, sources.size()), (a, b) -> order.compare(a.entry.key, b.entry.key));
        sources.forEach(this::advance);
    }

    static <K, V> MergedIterator<K, V> of(List<KeyValueIterator<K, V>> sources, Comparator<K> order) {
        return new MergedIterator<>(sources, order);
    }

    private void advance(KeyValueIterator<K, V> source) {
        if (source.hasNext()) {
            heads.add(new Head<>(source.next(), source));
        }
    }

    @Override
    public boolean hasNext() {
        return !heads.isEmpty();
    }

    @Override
    public KeyValue<K, V> next() {
        Head<K, V> head = heads.poll();
        if (head == null) {
            throw new NoSuchElementException();
        }
        advance(head.source);
        return head.entry;
    }

    @Override
    public void close() {
        sources.forEach(KeyValueIterator::close);
    }
}
