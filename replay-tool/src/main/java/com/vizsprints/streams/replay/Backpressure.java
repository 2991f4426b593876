package com.vizsprints.streams.replay;

/**
 * Holds a replay back while the application it feeds is far behind: the replay publishes only
 * while the application's consumer group has fewer than {@code maxLag} records of the two input
 * topics left to process (records published and not yet acknowledged count too). A replay at full
 * speed then runs at the speed of processing, and an event published meanwhile by anyone else
 * waits behind at most about {@code maxLag} records, instead of behind the whole rest of the replay.
 *
 * @param applicationId the application's {@code application.id}, which is its consumer group
 * @param maxLag        records the application may be behind; 0 for no backpressure
 */
public record Backpressure(String applicationId, long maxLag) {
    /** No backpressure: publish as fast as the broker takes records. */
    public static final Backpressure NONE = new Backpressure("", 0);

    public Backpressure {
        if (maxLag < 0) {
            throw new IllegalArgumentException("max lag must be 0 (none) or positive, got " + maxLag);
        }
        if (maxLag > 0 && (applicationId == null || applicationId.isBlank())) {
            throw new IllegalArgumentException("backpressure needs the application id whose lag it watches");
        }
    }

    public boolean enabled() {
        return maxLag > 0;
    }
}
