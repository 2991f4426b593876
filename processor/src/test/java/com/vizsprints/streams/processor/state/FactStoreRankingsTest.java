package com.vizsprints.streams.processor.state;

import com.vizsprints.streams.processor.logic.SessionSummary;
import com.vizsprints.streams.processor.model.EventRecord;
import com.vizsprints.streams.processor.model.Timestamps;
import com.vizsprints.streams.processor.schema.IndexKeys;
import com.vizsprints.streams.processor.schema.IndexKeys.SessionOrder;
import com.vizsprints.streams.processor.schema.StateStores;
import com.vizsprints.streams.processor.schema.StoreValues;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The facts store keeps its session rankings in memory and answers reads over them as if RocksDB
 * held them: in key order before every stored key, rebuilt from the stored summaries whenever the
 * store opens.
 */
class FactStoreRankingsTest {
    @TempDir
    Path dir;
    private FactStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void theRankingsOfTheUsersEventsAreReadInKeyOrderBeforeTheStoredEntries() {
        store = opened();
        // u1: two sessions (10:00 and 12:00), u2: one session of 30 minutes ending at 11:30
        event("u1", "e1", "2024-03-01T10:00:00Z", 0);
        event("u1", "e2", "2024-03-01T12:00:00Z", 1);
        event("u2", "e3", "2024-03-01T11:00:00Z", 2);
        event("u2", "e4", "2024-03-01T11:30:00Z", 3);
        store.flushCache();

        assertEquals(List.of("u2 1 0.5", "u1 2 0.03333333333333333"), ranking(SessionOrder.TOTAL_HOURS));
        assertEquals(List.of("u1 2 0.03333333333333333", "u2 1 0.5"), ranking(SessionOrder.TOTAL_SESSIONS));
        assertEquals(List.of("u1 2 0.03333333333333333", "u2 1 0.5"), ranking(SessionOrder.LAST_ACTIVITY));

        List<Bytes> keys = keys(store.all());
        assertEquals(6 + storedKeys(), keys.size());
        assertEquals(keys.stream().sorted().toList(), keys, "all keys in order, the rankings' first");
        assertTrue(IndexKeys.sessionOrderOf(keys.get(5).get()[0]) != null);
        assertTrue(IndexKeys.sessionOrderOf(keys.get(6).get()[0]) == null);
        List<Bytes> reversed = new ArrayList<>(keys(store.reverseAll()));
        Collections.reverse(reversed);
        assertEquals(keys, reversed);
        assertEquals(2, keys(store.prefixScan(IndexKeys.sessionRankFrom(SessionOrder.LAST_ACTIVITY), new BytesSerializer())).size());
    }

    @Test
    void aReopenedStoreRanksItsUsersFromTheStoredSummaries() {
        store = opened();
        event("u1", "e1", "2024-03-01T10:00:00Z", 0);
        event("u2", "e2", "2024-03-02T10:00:00Z", 1);
        event("u3", "e3", "2024-03-03T10:00:00Z", 2);
        store.flush();
        List<String> before = contents();
        store.close();

        store = opened();
        assertEquals(before, contents());
        assertEquals(List.of("u3 1 0.016666666666666666", "u2 1 0.016666666666666666", "u1 1 0.016666666666666666"),
                ranking(SessionOrder.LAST_ACTIVITY));
    }

    @Test
    void rankingEntriesAnEarlierVersionStoredInRocksDbAreDroppedWhenTheStoreOpens() {
        KeyValueStore<Bytes, byte[]> earlier = Stores.persistentKeyValueStore(StateStores.FACTS).get();
        MockProcessorContext<byte[], byte[]> context = context();
        earlier.init(context.getStateStoreContext(), earlier);
        SessionSummary stale = new SessionSummary("gone", 1, 0.25, 0, 0);
        earlier.put(IndexKeys.sessionRank(SessionOrder.TOTAL_HOURS, stale), StoreValues.encodeSession(stale));
        earlier.flush();
        earlier.close();

        store = opened();
        assertEquals(List.of(), ranking(SessionOrder.TOTAL_HOURS));
        assertFalse(contents().stream().anyMatch(entry -> entry.contains("gone")));
    }

    private void event(String user, String eventId, String timestamp, long position) {
        long nanos = Timestamps.parseNanos(timestamp);
        store.put(IndexKeys.eventOfUser(user, nanos, position, eventId),
                StoreValues.encodeEvent(new EventRecord(eventId, user, "login", timestamp, "{}", position)));
    }

    private List<String> ranking(SessionOrder order) {
        List<String> users = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(IndexKeys.sessionRankFrom(order), IndexKeys.sessionRankTo(order))) {
            it.forEachRemaining(kv -> {
                SessionSummary s = StoreValues.decodeSession(kv.value);
                users.add(s.userId() + " " + s.totalSessions() + " " + s.totalHours());
            });
        }
        return users;
    }

    private List<String> contents() {
        List<String> entries = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            it.forEachRemaining(kv -> entries.add(kv.key + "=" + Bytes.wrap(kv.value)));
        }
        return entries;
    }

    private int storedKeys() {
        int n = 0;
        for (Bytes key : keys(store.all())) {
            if (IndexKeys.sessionOrderOf(key.get()[0]) == null) {
                n++;
            }
        }
        return n;
    }

    private static List<Bytes> keys(KeyValueIterator<Bytes, byte[]> it) {
        List<Bytes> keys = new ArrayList<>();
        try (it) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }

    private FactStore opened() {
        FactStore s = (FactStore) new FactStoreSupplier(StateStores.FACTS).get();
        s.init(context().getStateStoreContext(), s);
        return s;
    }

    private MockProcessorContext<byte[], byte[]> context() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "rankings-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return new MockProcessorContext<>(props, new TaskId(0, 1), dir.toFile());
    }
}
