package com.vizsprints.streams.processor.state;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/** Supplies {@link FactStore}s over RocksDB, one per task. */
public final class FactStoreSupplier implements KeyValueBytesStoreSupplier {
    private final KeyValueBytesStoreSupplier rocks;

    public FactStoreSupplier(String name) {
        this.rocks = Stores.persistentKeyValueStore(name);
    }

    @Override
    public String name() {
        return rocks.name();
    }

    @Override
    public KeyValueStore<Bytes, byte[]> get() {
        return new FactStore(rocks.get());
    }

    @Override
    public String metricsScope() {
        return rocks.metricsScope();
    }
}
