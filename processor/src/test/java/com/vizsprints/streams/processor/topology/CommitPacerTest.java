package com.vizsprints.streams.processor.topology;

import com.vizsprints.streams.processor.schema.StateStores;
import com.vizsprints.streams.processor.schema.Topics;
import com.vizsprints.streams.processor.state.FactStore;
import com.vizsprints.streams.processor.state.FactStoreSupplier;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stream thread that keeps up with its input commits every tick, so its results are visible
 * that soon; one working through a backlog leaves its commits to {@code commit.interval.ms}.
 * Keeping up: its newest record is fresh, or it processed only a trickle of records.
 */
class CommitPacerTest {
    private static final long TICK = CommitPacer.TICK.toMillis();
    /** A record timestamp long before every judgement of these tests (a backlog's). */
    private static final long OLD = -CommitPacer.FRESH_RECORD_AGE.toMillis() - 1;

    @Test
    void aThreadThatKeepsUpCommitsEveryTick() {
        CommitPacer pacer = new CommitPacer();
        pacer.commitNow(0);
        for (long now = TICK; now <= 10 * TICK; now += TICK) {
            processed(pacer, 20);
            assertTrue(pacer.commitNow(now), "tick at " + now);
        }
    }

    @Test
    void aThreadWorkingThroughABacklogLeavesCommitsToTheInterval() {
        CommitPacer pacer = new CommitPacer();
        pacer.commitNow(0);
        processed(pacer, CommitPacer.BUSY_RECORDS_PER_TICK);
        assertFalse(pacer.commitNow(TICK));
        processed(pacer, 5_000);
        assertFalse(pacer.commitNow(2 * TICK));
        processed(pacer, CommitPacer.BUSY_RECORDS_PER_TICK - 1);
        assertTrue(pacer.commitNow(3 * TICK), "the backlog is gone");
    }

    @Test
    void aThreadWhoseNewestRecordIsFreshKeepsUpHoweverManyItProcessed() {
        CommitPacer pacer = new CommitPacer();
        pacer.commitNow(0);
        processed(pacer, 10 * CommitPacer.BUSY_RECORDS_PER_TICK, OLD);
        processed(pacer, 1, TICK - CommitPacer.FRESH_RECORD_AGE.toMillis());
        assertTrue(pacer.commitNow(TICK), "a burst of a live stream, the newest record just within the fresh age");
        processed(pacer, 10 * CommitPacer.BUSY_RECORDS_PER_TICK, 2 * TICK - CommitPacer.FRESH_RECORD_AGE.toMillis() - 1);
        assertFalse(pacer.commitNow(2 * TICK), "as many records, the newest just older than that: a backlog");
        processed(pacer, 10 * CommitPacer.BUSY_RECORDS_PER_TICK, 3 * TICK + 5_000);
        assertTrue(pacer.commitNow(3 * TICK), "timestamps ahead of this clock (a producer's skew) count as fresh");
    }

    @Test
    void aThreadWithNothingNewDoesNotCommit() {
        CommitPacer pacer = new CommitPacer();
        pacer.commitNow(0);
        assertFalse(pacer.commitNow(TICK));
        assertFalse(pacer.commitNow(5 * TICK));
    }

    @Test
    void theRateCountsOverTheTimeSinceTheLastJudgement() {
        CommitPacer pacer = new CommitPacer();
        pacer.commitNow(0);
        processed(pacer, CommitPacer.BUSY_RECORDS_PER_TICK + 50);
        assertTrue(pacer.commitNow(2 * TICK), "fewer than the busy rate over two ticks");
        processed(pacer, 3 * CommitPacer.BUSY_RECORDS_PER_TICK);
        assertFalse(pacer.commitNow(4 * TICK), "more than the busy rate over two ticks");
    }

    @Test
    void theTasksOfOneThreadShareOneJudgementPerTick() {
        CommitPacer pacer = new CommitPacer();
        pacer.commitNow(0);
        processed(pacer, 10);
        assertTrue(pacer.commitNow(TICK), "the first task's punctuation judges");
        assertFalse(pacer.commitNow(TICK + TICK / 2), "the second task's, half a tick later, waits for a whole tick");
        processed(pacer, 10);
        assertTrue(pacer.commitNow(2 * TICK + TICK / 2));
    }

    @Test
    void eachThreadHasItsOwnPacer() throws Exception {
        CommitPacer mine = CommitPacer.ofCurrentThread();
        AtomicReference<CommitPacer> other = new AtomicReference<>();
        Thread thread = new Thread(() -> other.set(CommitPacer.ofCurrentThread()));
        thread.start();
        thread.join();
        assertEquals(mine, CommitPacer.ofCurrentThread());
        assertFalse(mine == other.get(), "another thread's pacer");
    }

    @Test
    void theProcessorAsksForACommitOnlyWhileItsThreadKeepsUp(@TempDir Path stateDir) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // A thread of its own: the pacer belongs to the thread, and other tests process records on theirs.
        Thread streamThread = new Thread(() -> {
            try {
                processorAsksForACommitOnlyWhileItsThreadKeepsUp(stateDir);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        streamThread.start();
        streamThread.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    private static void processorAsksForACommitOnlyWhileItsThreadKeepsUp(Path stateDir) throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "pacer-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        MockProcessorContext<byte[], byte[]> context = new MockProcessorContext<>(props, new TaskId(0, 0),
                stateDir.toFile());
        FactStore store = (FactStore) new FactStoreSupplier(StateStores.FACTS).get();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        Topics topics = Topics.defaults();
        AnalyticsProcessor processor = new AnalyticsProcessor(topics);
        processor.init(context);

        List<MockProcessorContext.CapturedPunctuator> punctuators = context.scheduledPunctuators();
        assertEquals(1, punctuators.size());
        assertEquals(CommitPacer.TICK, punctuators.get(0).getInterval());
        assertEquals(PunctuationType.WALL_CLOCK_TIME, punctuators.get(0).getType());

        long start = System.currentTimeMillis();
        punctuators.get(0).getPunctuator().punctuate(start);
        long offset = 0;
        for (int i = 0; i < 5; i++) {
            context.setRecordMetadata(topics.events(), 0, offset++);
            processor.process(event(offset));
        }
        punctuators.get(0).getPunctuator().punctuate(start + TICK);
        assertTrue(context.committed(), "a few old records in a tick: commit now");

        context.resetCommit();
        for (int i = 0; i < 10 * CommitPacer.BUSY_RECORDS_PER_TICK; i++) {
            context.setRecordMetadata(topics.events(), 0, offset++);
            processor.process(event(offset));
        }
        punctuators.get(0).getPunctuator().punctuate(start + 2 * TICK);
        assertFalse(context.committed(), "a backlog of old records: commits are left to commit.interval.ms");

        for (int i = 0; i < 10 * CommitPacer.BUSY_RECORDS_PER_TICK; i++) {
            context.setRecordMetadata(topics.events(), 0, offset++);
            processor.process(event(offset).withTimestamp(start + 3 * TICK));
        }
        punctuators.get(0).getPunctuator().punctuate(start + 3 * TICK);
        assertTrue(context.committed(), "as many records, just sent: the thread is at the head of its input");
        store.close();
    }

    private static Record<String, byte[]> event(long n) {
        String json = "{\"event_id\":\"e" + n + "\",\"user_id\":\"u" + (n % 7) + "\",\"event_name\":\"page_view\","
                + "\"timestamp\":\"2024-01-01T00:00:00Z\",\"position\":" + n + "}";
        return new Record<>("u" + (n % 7), json.getBytes(StandardCharsets.UTF_8), 0L);
    }

    private static void processed(CommitPacer pacer, int records) {
        processed(pacer, records, OLD);
    }

    private static void processed(CommitPacer pacer, int records, long timestampMs) {
        for (int i = 0; i < records; i++) {
            pacer.processed(timestampMs);
        }
    }
}
