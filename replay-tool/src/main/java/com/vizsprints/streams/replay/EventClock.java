package com.vizsprints.streams.replay;

import com.vizsprints.streams.processor.model.Timestamps;

/**
 * Paces events in event time: with speed X, an event stamped t is sent X times faster than real
 * time after the first, i.e. at start + (t - t0) / X, so the gaps between events are kept (scaled).
 * An event stamped before one already sent, or without a readable time, is sent at once.
 */
final class EventClock {
    private final double speed;
    private long firstEventNanos = Long.MIN_VALUE;
    private long startNanos;

    EventClock(double speed) {
        this.speed = speed;
    }

    void await(String timestamp) {
        if (speed <= 0 || timestamp == null) {
            return;
        }
        long t;
        try {
            t = Timestamps.parseNanos(timestamp);
        } catch (RuntimeException e) {
            return;
        }
        if (firstEventNanos == Long.MIN_VALUE) {
            firstEventNanos = t;
            startNanos = System.nanoTime();
            return;
        }
        long due = startNanos + (long) ((t - firstEventNanos) / speed);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ReplayException("replay interrupted");
            }
        }
    }
}
