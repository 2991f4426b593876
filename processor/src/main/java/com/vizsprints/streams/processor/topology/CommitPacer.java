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
 * <p>A thread keeps up when the newest record it processed since its last judgement is at most
 * {@link #FRESH_RECORD_AGE} old (record timestamps are the producers' send times unless a
 * producer sets them), or when it processed fewer than {@link #BUSY_RECORDS_PER_TICK} records
 * (a trickle, whatever its timestamps). A thread working through a backlog processes old
 * records, and as many as it can. Age alone would misjudge a producer that stamps records with
 * past event times; the count alone misjudged bursts of a steady live stream (a 2,000 records/s
 * replay reached 200-800 records per tick on one thread), whose commits then waited for the
 * interval. The judgement is per thread, not per task, because Kafka Streams commits all the
 * tasks of a thread together, and one task of a busy thread may get no records for a while. It
 * only paces commits: it is no state.
 */
final class CommitPacer {
    static final Duration TICK = Duration.ofMillis(ProcessorConfig.KEEPING_UP_COMMIT_INTERVAL_MS);
    /** Records per tick from which a thread whose records are not fresh is taken to be working through a backlog (2,000 per second). */
    static final int BUSY_RECORDS_PER_TICK = 200;
    /** The age of the newest record processed up to which a thread is at the head of its input. */
    static final Duration FRESH_RECORD_AGE = Duration.ofSeconds(1);

    private static final ThreadLocal<CommitPacer> OF_THREAD = ThreadLocal.withInitial(CommitPacer::new);

    private long processed;
    private long newestTimestampMs = Long.MIN_VALUE;
    private long judgedAtMs = -1;

    /** The pacer of the calling stream thread, shared by the tasks it runs. */
    static CommitPacer ofCurrentThread() {
        return OF_THREAD.get();
    }

    /** One record processed, with its timestamp (milliseconds since the epoch). */
    void processed(long timestampMs) {
        processed++;
        newestTimestampMs = Math.max(newestTimestampMs, timestampMs);
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
        boolean trickle = processed * TICK.toMillis() < BUSY_RECORDS_PER_TICK * elapsedMs;
        boolean fresh = newestTimestampMs >= nowMs - FRESH_RECORD_AGE.toMillis();
        boolean keptUp = processed > 0 && (trickle || fresh);
        processed = 0;
        newestTimestampMs = Long.MIN_VALUE;
        judgedAtMs = nowMs;
        return keptUp;
    }
}
