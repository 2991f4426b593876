package com.vizsprints.streams.processor.state;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A number that grows after every write to a facts store of this JVM (each batch written out,
 * whether processed or restored) and whenever one opens or closes. An answer computed from the
 * stores after reading {@link #version()} holds for as long as {@link #version()} returns the
 * same number: the number grows only once a write is in RocksDB, so a computation that read
 * part of a write, or none of it, sees a number that is already or soon outdated.
 */
public final class StoreChanges {
    private static final AtomicLong VERSION = new AtomicLong();

    private StoreChanges() {
    }

    /** The current number; read it before reading the stores. */
    public static long version() {
        return VERSION.get();
    }

    /** After a write, or a store opening or closing. */
    static void changed() {
        VERSION.incrementAndGet();
    }
}
