package com.vizsprints.streams.processor.state;

import com.vizsprints.streams.processor.logic.Profile;
import com.vizsprints.streams.processor.schema.FactKeys;
import com.vizsprints.streams.processor.schema.StateStores;
import com.vizsprints.streams.processor.schema.StoreValues;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The changelog offset a facts store commits says "every fact up to here is in the store"; the
 * next owner of the task restores only what follows it. A store must never commit an offset
 * beyond what it holds, even when Kafka Streams reports one (acknowledgements of an aborted
 * transaction reaching a task revived in place, see {@link VouchedOffsets}).
 */
class FactStoreCommittedOffsetsTest {
    private static final TopicPartition CHANGELOG = new TopicPartition("vizsprints-streams-facts-changelog", 2);

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
    void aStoreThatRestoredPartOfItsChangelogCommitsTheLastRestoredOffsetNotALaterReportedOne() {
        store = opened();
        store.restoreBatch(changelogRecords(0, 10));
        store.commit(Map.of(CHANGELOG, 546L));
        assertEquals(9L, store.committedOffset(CHANGELOG));
    }

    @Test
    void aStoreThatRestoredNothingCommitsNoOffsetSoTheNextOwnerRestoresEverything() {
        store = opened();
        store.commit(Map.of(CHANGELOG, 546L));
        assertEquals(VouchedOffsets.UNKNOWN, store.committedOffset(CHANGELOG));
    }

    @Test
    void anOffsetUpToTheLastRestoredRecordIsCommittedAsReported() {
        store = opened();
        store.restoreBatch(changelogRecords(0, 10));
        store.commit(Map.of(CHANGELOG, 7L));
        assertEquals(7L, store.committedOffset(CHANGELOG));
    }

    @Test
    void onceTheStreamThreadHasWrittenTheReportedOffsetIsCommitted() {
        store = opened();
        store.restoreBatch(changelogRecords(0, 10));
        store.put(FactKeys.profile("u-new"), profile());
        store.commit(Map.of(CHANGELOG, 30L));
        assertEquals(30L, store.committedOffset(CHANGELOG));
    }

    @Test
    void aReopenedStoreVouchesForTheOffsetItHadCommittedAndWhatItRestoresAfterIt() {
        store = opened();
        store.restoreBatch(changelogRecords(0, 10));
        store.commit(Map.of(CHANGELOG, 9L));
        store.close();

        store = opened();
        store.commit(Map.of(CHANGELOG, 20L));
        assertEquals(9L, store.committedOffset(CHANGELOG), "nothing restored since it was reopened");
        store.restoreBatch(changelogRecords(10, 15));
        store.commit(Map.of(CHANGELOG, 20L));
        assertEquals(14L, store.committedOffset(CHANGELOG));
    }

    private FactStore opened() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "offsets-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        MockProcessorContext<byte[], byte[]> context = new MockProcessorContext<>(props, new TaskId(0, 2), dir.toFile());
        FactStore s = (FactStore) new FactStoreSupplier(StateStores.FACTS).get();
        s.init(context.getStateStoreContext(), s);
        return s;
    }

    /** Profile facts at changelog offsets {@code from} to {@code to - 1}. */
    private static List<ConsumerRecord<byte[], byte[]>> changelogRecords(int from, int to) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int offset = from; offset < to; offset++) {
            records.add(new ConsumerRecord<>(CHANGELOG.topic(), CHANGELOG.partition(), offset,
                    FactKeys.profile("u" + offset).get(), profile()));
        }
        return records;
    }

    private static byte[] profile() {
        return StoreValues.encodeProfile(new Profile(
                1_600_000_000_000_000_000L, "Mobile", "US", "Free", "A", 0));
    }
}
