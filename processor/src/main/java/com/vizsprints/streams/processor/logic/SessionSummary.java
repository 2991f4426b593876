package com.vizsprints.streams.processor.logic;

/**
 * A user's sessions, summarised as /api/user-sessions reports them.
 *
 * @param totalHours sum of session durations in hours (a one-event session counts 1/60),
 *                   summed the way pandas does (Kahan), unrounded
 */
public record SessionSummary(String userId, int totalSessions, double totalHours, long firstActivityNanos, long lastActivityNanos) {
    public double avgSessionHours() {
        return totalHours / totalSessions;
    }
}
