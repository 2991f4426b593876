package com.vizsprints.streams.processor.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One row of users.csv as published on the users topic (key = {@code user_id}).
 *
 * @param position zero-based row position of this row in its file ("input order")
 */
public record UserRecord(
        @JsonProperty("user_id") String userId,
        @JsonProperty("joined_at") String joinedAt,
        @JsonProperty("device") String device,
        @JsonProperty("country") String country,
        @JsonProperty("subscription_status") String subscriptionStatus,
        @JsonProperty("ab_variant") String abVariant,
        @JsonProperty("position") long position) {
}
