package com.vizsprints.streams.processor.topology;

import com.vizsprints.streams.processor.logic.AggregateKeys;
import com.vizsprints.streams.processor.logic.SessionSummary;
import com.vizsprints.streams.processor.logic.UserContribution;
import com.vizsprints.streams.processor.logic.UserState;
import com.vizsprints.streams.processor.model.EventRecord;
import com.vizsprints.streams.processor.model.Timestamps;
import com.vizsprints.streams.processor.schema.IndexKeys;
import com.vizsprints.streams.processor.schema.IndexKeys.SessionOrder;
import com.vizsprints.streams.processor.schema.StoreValues;
import com.vizsprints.streams.processor.schema.StoreValues.OrderedEvent;
import com.vizsprints.streams.processor.schema.StoreValues.SeenEvent;
import com.vizsprints.streams.processor.schema.Topics;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The processor as it was before the facts store (commit 9277501), kept as the oracle the
 * new design is checked against: its answers are the reference for every property test.
 * The one processor of the topology: applies user rows and events to the per-user state and
 * keeps the partition's aggregates and indexes in step with it. Records that cannot be
 * processed are forwarded to the dead-letter sink with the reason in headers.
 */
final class LegacyAnalyticsProcessor implements Processor<String, byte[], byte[], byte[]> {
    static final String HEADER_REASON = "dlq.reason";
    static final String HEADER_TOPIC = "dlq.topic";
    static final String HEADER_PARTITION = "dlq.partition";
    static final String HEADER_OFFSET = "dlq.offset";

    private static final Logger LOG = LoggerFactory.getLogger(LegacyAnalyticsProcessor.class);

    private final Topics topics;
    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<String, UserState> users;
    private KeyValueStore<String, byte[]> eventIds;
    private KeyValueStore<String, Long> aggregates;
    private KeyValueStore<Bytes, byte[]> sessionRank;
    private KeyValueStore<Bytes, byte[]> inputOrder;
    private KeyValueStore<Bytes, byte[]> timeline;
    /**
     * The task's counters as last written to the aggregates store. This processor is their only
     * writer, so a counter update costs one store write and no read (a profiled hot spot).
     */
    private final Map<String, Long> counters = new HashMap<>();
    /** The partition's largest event time, kept here so an event costs no store read for it. */
    private Long maxEventNanos;

    LegacyAnalyticsProcessor(Topics topics) {
        this.topics = topics;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        users = context.getStateStore(LegacyTopology.USER_STATE);
        eventIds = context.getStateStore(LegacyTopology.EVENT_IDS);
        aggregates = context.getStateStore(LegacyTopology.AGGREGATES);
        sessionRank = context.getStateStore(LegacyTopology.SESSION_RANK);
        inputOrder = context.getStateStore(LegacyTopology.INPUT_ORDER);
        timeline = context.getStateStore(LegacyTopology.TIMELINE);
        maxEventNanos = aggregates.get(AggregateKeys.MAX_EVENT_NANOS);
    }

    @Override
    public void process(Record<String, byte[]> record) {
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
                replaceProfile(record.key(), null);
            }
            return;
        }
        InputParser.ParsedUser parsed = InputParser.user(record.key(), record.value());
        replaceProfile(parsed.userId(), parsed);
    }

    private void replaceProfile(String userId, InputParser.ParsedUser parsed) {
        UserState state = users.get(userId);
        if (state == null) {
            state = UserState.empty(userId);
        }
        Map<String, Long> before = UserContribution.of(state);
        if (state.profile() != null) {
            inputOrder.delete(IndexKeys.userByPosition(state.profile().position(), userId));
        }
        state.setProfile(parsed == null ? null : parsed.profile());
        if (state.profile() != null) {
            inputOrder.put(IndexKeys.userByPosition(state.profile().position(), userId), new byte[0]);
        }
        applyDifference(before, UserContribution.of(state));
        saveUser(state);
    }

    private void onEvent(Record<String, byte[]> record) {
        if (record.value() == null) {
            throw new PoisonRecordException("event value is null (events cannot be deleted)");
        }
        InputParser.ParsedEvent parsed = InputParser.event(record.key(), record.value());
        EventRecord e = parsed.record();
        byte[] seenBytes = eventIds.get(e.eventId());
        if (seenBytes != null) {
            add(AggregateKeys.DUPLICATE_EVENTS, 1);
            SeenEvent seen = StoreValues.decodeSeen(seenBytes);
            if (e.position() < seen.position()) {
                moveToEarlierPosition(seen, e);
            }
            return;
        }
        eventIds.put(e.eventId(), StoreValues.encodeSeen(new SeenEvent(e.position(), parsed.nanos(), e.userId(), parsed.stage())));

        int day = Timestamps.epochDay(parsed.nanos());
        // Totals per event name and overall are sums of these per-day counters (read side).
        add(AggregateKeys.eventDay(day), 1);
        add(AggregateKeys.eventDayName(day, e.eventName()), 1);
        if (maxEventNanos == null || parsed.nanos() > maxEventNanos) {
            maxEventNanos = parsed.nanos();
            aggregates.put(AggregateKeys.MAX_EVENT_NANOS, maxEventNanos);
        }
        indexEvent(e, parsed.nanos(), parsed.stage());

        UserState state = users.get(e.userId());
        if (state == null) {
            state = UserState.empty(e.userId());
        }
        UserContribution.ofNewEvent(state, parsed.nanos(), parsed.stage()).forEach(this::add);
        SessionSummary sessionsBefore = state.sessions();
        state.addEvent(parsed.nanos(), parsed.stage());
        rerank(sessionsBefore, state.sessions());
        saveUser(state);
    }

    private void indexEvent(EventRecord e, long nanos, int stage) {
        byte[] value = StoreValues.encodeEvent(e);
        inputOrder.put(IndexKeys.eventByPosition(e.position(), e.eventId()), StoreValues.encodeOrderedEvent(new OrderedEvent(stage, e.userId())));
        timeline.put(IndexKeys.eventByTime(nanos, e.position(), e.eventId()), value);
        timeline.put(IndexKeys.eventOfUser(e.userId(), nanos, e.position(), e.eventId()), value);
    }

    /**
     * The same event seen at an earlier row position (a shuffled or overlapping replay): its
     * input-order and timeline entries move there, so results never depend on arrival order.
     */
    private void moveToEarlierPosition(SeenEvent seen, EventRecord duplicate) {
        Bytes oldByTime = IndexKeys.eventByTime(seen.nanos(), seen.position(), duplicate.eventId());
        byte[] stored = timeline.get(oldByTime);
        EventRecord original = stored == null ? duplicate : StoreValues.decodeEvent(stored);
        EventRecord moved = new EventRecord(original.eventId(), original.userId(), original.eventName(),
                original.timestamp(), original.metadata(), duplicate.position());
        inputOrder.delete(IndexKeys.eventByPosition(seen.position(), duplicate.eventId()));
        timeline.delete(oldByTime);
        timeline.delete(IndexKeys.eventOfUser(seen.userId(), seen.nanos(), seen.position(), duplicate.eventId()));
        indexEvent(moved, seen.nanos(), seen.stage());
        eventIds.put(duplicate.eventId(), StoreValues.encodeSeen(new SeenEvent(duplicate.position(), seen.nanos(), seen.userId(), seen.stage())));
    }

    private void rerank(SessionSummary before, SessionSummary after) {
        byte[] value = after == null ? null : StoreValues.encodeSession(after);
        for (SessionOrder order : SessionOrder.values()) {
            Bytes oldKey = before == null ? null : IndexKeys.sessionRank(order, before);
            Bytes newKey = after == null ? null : IndexKeys.sessionRank(order, after);
            if (oldKey != null && !oldKey.equals(newKey)) {
                sessionRank.delete(oldKey);
            }
            if (newKey != null) {
                sessionRank.put(newKey, value);
            }
        }
    }

    private void saveUser(UserState state) {
        if (state.isEmpty()) {
            users.delete(state.userId());
        } else {
            users.put(state.userId(), state);
        }
    }

    private void applyDifference(Map<String, Long> before, Map<String, Long> after) {
        UserContribution.difference(before, after).forEach(this::add);
    }

    private void add(String key, long delta) {
        Long current = counters.get(key);
        if (current == null) {
            Long stored = aggregates.get(key);
            current = stored == null ? 0L : stored;
        }
        long updated = current + delta;
        counters.put(key, updated);
        if (updated == 0) {
            aggregates.delete(key);
        } else {
            aggregates.put(key, updated);
        }
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
        add(AggregateKeys.DEAD_LETTERED, 1);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
