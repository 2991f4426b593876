package com.vizsprints.streams.processor.topology;

import com.vizsprints.streams.processor.config.ProcessorConfig;

import java.time.Duration;

/**
 * When a stream thread asks Kafka Streams for an early commit. A commit is what makes results
 * visible (queries read what the last commit wrote), and under exactly-once it is also a
 * transaction: a round of requests to the broker whose cost hardly depends on how many records
 * it carries. So a thread that keeps up with its input commits every {@link #TICK}, and its
 * results are visible that soon; a thread working through a backlog leaves its commits to Kafka
 * Streams' {@code commit.interval.ms}, longer, so fewer transactions carry more records each.
 *
 * <p>Keeping up is judged by the records the thread processed since its last judgement: one
 * working through a backlog processes as many as it can, far more than {@link
 * #BUSY_RECORDS_PER_TICK}; one that keeps up processes what arrived. The judgement is per thread,
 * not per task, because Kafka Streams commits all the tasks of a thread together, and one task of
 * a busy thread may get no records for a while. The count only paces commits: it is no state.
 */
final class CommitPacer {
    static final Duration TICK = Duration.ofMillis(ProcessorConfig.KEEPING_UP_COMMIT_INTERVAL_MS);
    /** Records per tick from which a thread is taken to be working through a backlog (2,000 per second). */
    static final int BUSY_RECORDS_PER_TICK = 200;

    private static final ThreadLocal<CommitPacer> OF_THREAD = ThreadLocal.withInitial(CommitPacer::new);

    private long processed;
    private long judgedAtMs = -1;

    /** The pacer of the calling stream thread, shared by the tasks it runs. */
    static CommitPacer ofCurrentThread() {
        return OF_THREAD.get();
    }

    void processed() {
        processed++;
    }

    /**
     * Called by each task every {@link #TICK} (wall-clock): true when, over at least a tick since
     * the last judgement, the thread processed records and kept up with its input.
     */
    boolean commitNow(long nowMs) {
        if (judgedAtMs < 0) {
            judgedAtMs = nowMs;
        }
        long elapsedMs = nowMs - judgedAtMs;
        if (elapsedMs < TICK.toMillis()) {
            return false;
        }
        boolean keptUp = processed > 0 && processed * TICK.toMillis() < BUSY_RECORDS_PER_TICK * elapsedMs;
        processed = 0;
        judgedAtMs = nowMs;
        return keptUp;
    }
}
