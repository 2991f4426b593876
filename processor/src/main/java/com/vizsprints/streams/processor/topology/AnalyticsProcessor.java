package com.vizsprints.streams.processor.topology;

import com.vizsprints.streams.processor.logic.AggregateKeys;
import com.vizsprints.streams.processor.model.EventRecord;
import com.vizsprints.streams.processor.schema.FactKeys;
import com.vizsprints.streams.processor.schema.IndexKeys;
import com.vizsprints.streams.processor.schema.StateStores;
import com.vizsprints.streams.processor.schema.StoreValues;
import com.vizsprints.streams.processor.schema.StoreValues.SeenEvent;
import com.vizsprints.streams.processor.schema.Topics;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * The one processor of the topology: turns input records into facts in the facts store (a
 * user's profile, an event of a user), which derives every aggregate and index from them.
 * Decides what is a fact: an event id seen before is a duplicate, counted, and kept only when
 * it comes from an earlier row (the earliest row of an event id wins in every field, whatever
 * the arrival order). Records that cannot be processed are forwarded to the dead-letter sink
 * with the reason in headers. It keeps no state of its own between records; it paces commits
 * ({@link CommitPacer}).
 */
final class AnalyticsProcessor implements Processor<String, byte[], byte[], byte[]> {
    static final String HEADER_REASON = "dlq.reason";
    static final String HEADER_TOPIC = "dlq.topic";
    static final String HEADER_PARTITION = "dlq.partition";
    static final String HEADER_OFFSET = "dlq.offset";

    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsProcessor.class);

    private final Topics topics;
    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<Bytes, byte[]> facts;
    /** The pacer of the stream thread running this task (init, process and punctuation all run on it). */
    private CommitPacer pacer;

    AnalyticsProcessor(Topics topics) {
        this.topics = topics;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        facts = context.getStateStore(StateStores.FACTS);
        pacer = CommitPacer.ofCurrentThread();
        context.schedule(CommitPacer.TICK, PunctuationType.WALL_CLOCK_TIME, now -> {
            if (pacer.commitNow(now)) {
                context.commit();
            }
        });
    }

    @Override
    public void process(Record<String, byte[]> record) {
        pacer.processed(record.timestamp());
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        try {
            if (topic.equals(topics.users())) {
                onUserRow(record);
            } else if (topic.equals(topics.events())) {
                onEvent(record);
            } else {
                throw new PoisonRecordException("record from unexpected topic '" + topic + "'");
            }
        } catch (PoisonRecordException poison) {
            deadLetter(record, poison.getMessage());
        }
    }

    private void onUserRow(Record<String, byte[]> record) {
        if (record.value() == null) {
            if (record.key() != null) {
                facts.delete(FactKeys.profile(record.key()));
            }
            return;
        }
        InputParser.ParsedUser parsed = InputParser.user(record.key(), record.value());
        facts.put(FactKeys.profile(parsed.userId()), StoreValues.encodeProfile(parsed.profile()));
    }

    private void onEvent(Record<String, byte[]> record) {
        if (record.value() == null) {
            throw new PoisonRecordException("event value is null (events cannot be deleted)");
        }
        InputParser.ParsedEvent parsed = InputParser.event(record.key(), record.value());
        EventRecord e = parsed.record();
        Bytes fact = IndexKeys.eventOfUser(e.userId(), parsed.nanos(), e.position(), e.eventId());
        byte[] seenBytes = facts.get(FactKeys.eventId(e.eventId()));
        if (seenBytes != null) {
            increment(AggregateKeys.DUPLICATE_EVENTS);
            SeenEvent seen = StoreValues.decodeSeen(seenBytes);
            if (e.position() >= seen.position()) {
                return;
            }
            facts.delete(IndexKeys.eventOfUser(seen.userId(), seen.nanos(), seen.position(), e.eventId()));
        }
        facts.put(fact, StoreValues.encodeEvent(e));
    }

    /** Counters only this processor knows of (duplicates, dead letters) are facts themselves. */
    private void increment(String counter) {
        Bytes key = FactKeys.counter(counter);
        byte[] stored = facts.get(key);
        facts.put(key, StoreValues.encodeCount((stored == null ? 0 : StoreValues.decodeCount(stored)) + 1));
    }

    private void deadLetter(Record<String, byte[]> record, String reason) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        String source = meta == null ? "?" : meta.topic() + "-" + meta.partition() + "@" + meta.offset();
        LOG.warn("dead-lettering record from {}: {}", source, reason);
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(HEADER_REASON, utf8(reason));
        if (meta != null) {
            headers.add(HEADER_TOPIC, utf8(meta.topic()));
            headers.add(HEADER_PARTITION, utf8(Integer.toString(meta.partition())));
            headers.add(HEADER_OFFSET, utf8(Long.toString(meta.offset())));
        }
        byte[] key = record.key() == null ? null : utf8(record.key());
        context.forward(new Record<>(key, record.value(), record.timestamp(), headers));
        increment(AggregateKeys.DEAD_LETTERED);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
