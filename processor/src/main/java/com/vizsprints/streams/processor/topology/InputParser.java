package com.vizsprints.streams.processor.topology;

import com.vizsprints.streams.processor.logic.FunnelStages;
import com.vizsprints.streams.processor.logic.Profile;
import com.vizsprints.streams.processor.model.EventRecord;
import com.vizsprints.streams.processor.model.Timestamps;
import com.vizsprints.streams.processor.model.UserRecord;
import com.vizsprints.streams.processor.schema.JsonSerdes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Turns raw input records into validated model values, or says precisely why it cannot.
 *
 * <p>A blank field (JSON null, an absent field or an empty string) is a missing value, as
 * pandas' NaN in the reference: the record still counts, with null in that field. A record is
 * bad only when an id is missing, a present value cannot be parsed (a malformed timestamp), or
 * an event has no timestamp.
 */
final class InputParser {
    private InputParser() {
    }

    record ParsedUser(String userId, Profile profile) {
    }

    record ParsedEvent(EventRecord record, long nanos, int stage) {
    }

    static ParsedUser user(String key, byte[] value) {
        UserRecord u = read(value, UserRecord.class);
        String userId = required(u.userId(), "user_id");
        checkKey(key, userId);
        String joinedAt = missingIfEmpty(u.joinedAt());
        long joined = joinedAt == null ? Profile.NO_JOIN_TIME : timestamp(joinedAt, "joined_at");
        Profile profile = new Profile(joined, missingIfEmpty(u.device()), missingIfEmpty(u.country()),
                missingIfEmpty(u.subscriptionStatus()), missingIfEmpty(u.abVariant()), u.position());
        return new ParsedUser(userId, profile);
    }

    static ParsedEvent event(String key, byte[] value) {
        EventRecord canonical = CanonicalEventJson.read(value);
        EventRecord e = canonical != null ? canonical : read(value, EventRecord.class);
        required(e.eventId(), "event_id");
        String userId = required(e.userId(), "user_id");
        checkKey(key, userId);
        String name = missingIfEmpty(e.eventName());
        long nanos = timestamp(required(e.timestamp(), "timestamp"), "timestamp");
        String metadata = missingIfEmpty(e.metadata());
        if (name != e.eventName() || metadata != e.metadata()) {
            e = new EventRecord(e.eventId(), userId, name, e.timestamp(), metadata, e.position());
        }
        return new ParsedEvent(e, nanos, FunnelStages.indexOf(name));
    }

    /** Readers bound to their type once (a per-call type lookup showed in profiles). */
    private static final java.util.Map<Class<?>, com.fasterxml.jackson.databind.ObjectReader> READERS = java.util.Map.of(
            UserRecord.class, JsonSerdes.MAPPER.readerFor(UserRecord.class),
            EventRecord.class, JsonSerdes.MAPPER.readerFor(EventRecord.class));

    private static <T> T read(byte[] value, Class<T> type) {
        try {
            T parsed = READERS.get(type).readValue(value);
            if (parsed == null) {
                throw new PoisonRecordException("value is JSON null");
            }
            return parsed;
        } catch (IOException e) {
            String text = new String(value, 0, Math.min(value.length, 80), StandardCharsets.UTF_8);
            throw new PoisonRecordException("not a JSON object: " + e.getClass().getSimpleName() + " near '" + text + "'");
        }
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new PoisonRecordException("missing required field '" + field + "'");
        }
        return value;
    }

    private static long timestamp(String text, String field) {
        try {
            return Timestamps.parseNanos(text);
        } catch (IllegalArgumentException e) {
            throw new PoisonRecordException("field '" + field + "': " + e.getMessage());
        }
    }

    private static void checkKey(String key, String userId) {
        if (key == null) {
            throw new PoisonRecordException("record key is missing (inputs must be keyed by user_id)");
        }
        if (!key.equals(userId)) {
            throw new PoisonRecordException("record key '" + key + "' differs from user_id '" + userId
                    + "' (inputs must be keyed by user_id)");
        }
    }

    /** A blank field is a missing value: null. Other values are kept as written. */
    private static String missingIfEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
