package com.vizsprints.streams.query.service;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Store access that becomes available once the stream processing has been created: the HTTP
 * server starts first (so its port can be advertised as {@code application.server}), and
 * answers 503 until then.
 */
public final class DeferredStoreAccess implements StoreAccess {
    private final AtomicReference<StoreAccess> delegate = new AtomicReference<>();

    public void bind(StoreAccess access) {
        delegate.set(access);
    }

    @Override
    public List<PartitionStores> allPartitions() {
        return current().allPartitions();
    }

    @Override
    public PartitionSet partitions() {
        return current().partitions();
    }

    @Override
    public int partitionOf(String userId) {
        return current().partitionOf(userId);
    }

    @Override
    public StreamStatus status() {
        StoreAccess access = delegate.get();
        return access == null ? new StreamStatus("CREATED", false, null) : access.status();
    }

    @Override
    public OptionalLong dataVersion() {
        StoreAccess access = delegate.get();
        return access == null ? OptionalLong.empty() : access.dataVersion();
    }

    private StoreAccess current() {
        StoreAccess access = delegate.get();
        if (access == null) {
            throw new NotReadyException("stream processing is not created yet");
        }
        return access;
    }
}
