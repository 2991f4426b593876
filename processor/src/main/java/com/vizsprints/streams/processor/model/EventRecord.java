package com.vizsprints.streams.processor.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One row of events.csv as published on the events topic (key = {@code user_id}).
 *
 * @param metadata the original metadata text (a JSON object written as text), kept verbatim
 * @param position zero-based row position of this row in its file ("input order")
 */
public record EventRecord(
        @JsonProperty("event_id") String eventId,
        @JsonProperty("user_id") String userId,
        @JsonProperty("event_name") String eventName,
        @JsonProperty("timestamp") String timestamp,
        @JsonProperty("metadata") String metadata,
        @JsonProperty("position") long position) {
}
