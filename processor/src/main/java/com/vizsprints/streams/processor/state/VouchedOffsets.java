package com.vizsprints.streams.processor.state;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.state.internals.OffsetCheckpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The changelog offsets a store may commit as "everything up to here is in the store": the
 * offset Kafka Streams hands it, except while the store holds only what it was opened with and
 * what it restored since.
 *
 * <p>Why: Kafka Streams 4.3 takes the offset to commit from the task's record collector, which
 * a task revived in place keeps. When a broker outage makes a task close dirty, acknowledgements
 * of the aborted transaction's changelog sends can still arrive afterwards and put their offsets
 * back into that collector. If the revived task is then closed while still restoring (a
 * rebalance after a missed heartbeat), those offsets are committed into the freshly wiped store,
 * and whoever opens it next restores only from there: every earlier fact is lost. Seen in
 * {@code BrokerFreezeIntegrationTest} under load: all users of a partition and the events before
 * the outage missing, with nothing pending.
 *
 * <p>So until the stream thread first writes to the store after it is opened, an offset beyond
 * the last restored record (or the offset the store was opened with) is lowered to that; with
 * nothing to vouch for, the offset is committed as unknown, which makes the next owner restore
 * the whole changelog. Once the stream thread writes, the store holds its own writes, whose
 * offsets the collector reports truly, and offsets pass unchanged.
 */
final class VouchedOffsets {
    private static final Logger LOG = LoggerFactory.getLogger(VouchedOffsets.class);
    static final long UNKNOWN = OffsetCheckpoint.OFFSET_UNKNOWN;

    private final String storeName;
    private final Map<TopicPartition, Long> lastRestored = new HashMap<>();
    private volatile boolean writtenSinceOpen;

    VouchedOffsets(String storeName) {
        this.storeName = storeName;
    }

    /** The store was (re)opened: it holds what its committed offsets say, nothing more. */
    synchronized void opened() {
        lastRestored.clear();
        writtenSinceOpen = false;
    }

    /**
     * Records read back from the changelog are in the store now. Kafka Streams restores a batch
     * from one changelog partition, in offset order, so its last record says how far the store got.
     */
    synchronized void restored(Collection<ConsumerRecord<byte[], byte[]>> records) {
        ConsumerRecord<byte[], byte[]> last = null;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            last = r;
        }
        if (last != null) {
            lastRestored.merge(new TopicPartition(last.topic(), last.partition()), last.offset(), Math::max);
        }
    }

    /** The stream thread wrote to the store. */
    void written() {
        if (!writtenSinceOpen) {
            writtenSinceOpen = true;
        }
    }

    /**
     * The offsets to commit for {@code reported}.
     *
     * @param committed the offset the store has committed for a partition (null or {@link #UNKNOWN} when none)
     */
    synchronized Map<TopicPartition, Long> committable(Map<TopicPartition, Long> reported,
                                                       Function<TopicPartition, Long> committed) {
        if (writtenSinceOpen || reported.isEmpty()) {
            return reported;
        }
        Map<TopicPartition, Long> out = new LinkedHashMap<>(reported);
        for (Map.Entry<TopicPartition, Long> e : reported.entrySet()) {
            Long offset = e.getValue();
            if (offset == null || offset == UNKNOWN) {
                continue;
            }
            long held = Math.max(known(committed.apply(e.getKey())), lastRestored.getOrDefault(e.getKey(), UNKNOWN));
            if (offset > held) {
                LOG.warn("store {}: changelog offset {} reported for {} lies beyond what the store holds ({}); committing {}",
                        storeName, offset, e.getKey(), held == UNKNOWN ? "nothing" : "up to " + held,
                        held == UNKNOWN ? "no offset (the next owner restores the whole changelog)" : held);
                out.put(e.getKey(), held);
            }
        }
        return out;
    }

    private static long known(Long offset) {
        return offset == null || offset < 0 ? UNKNOWN : offset;
    }
}
