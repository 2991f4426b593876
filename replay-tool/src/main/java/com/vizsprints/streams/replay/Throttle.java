package com.vizsprints.streams.replay;

/** Paces a loop to at most {@code perSecond} iterations per second (0: no pacing). */
final class Throttle {
    private final long nanosPerPermit;
    private long next;

    Throttle(int perSecond) {
        this.nanosPerPermit = perSecond <= 0 ? 0 : 1_000_000_000L / perSecond;
    }

    void acquire() {
        if (nanosPerPermit == 0) {
            return;
        }
        long now = System.nanoTime();
        if (next == 0) {
            next = now;
        }
        long wait = next - now;
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ReplayException("replay interrupted");
            }
        }
        next = Math.max(next, now - 1_000_000_000L) + nanosPerPermit;
    }
}
