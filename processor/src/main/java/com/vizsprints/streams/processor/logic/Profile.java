package com.vizsprints.streams.processor.logic;

/**
 * What users.csv says about a user (the latest row wins). A blank field of the row is a missing
 * value, as pandas' NaN in the reference: {@code device}, {@code country}, {@code plan} and
 * {@code variant} are then null, and {@code joinedAtNanos} is {@link #NO_JOIN_TIME}.
 */
public record Profile(long joinedAtNanos, String device, String country, String plan, String variant, long position) {
    /** {@code joinedAtNanos} of a user whose joined_at is missing (no real timestamp is this small). */
    public static final long NO_JOIN_TIME = Long.MIN_VALUE;

    /** Whether joined_at is known: only then is the user in a cohort and a signup day. */
    public boolean hasJoinedAt() {
        return joinedAtNanos != NO_JOIN_TIME;
    }
}
