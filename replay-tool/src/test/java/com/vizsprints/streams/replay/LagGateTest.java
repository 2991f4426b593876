package com.vizsprints.streams.replay;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LagGateTest {
    /** A stand-in for the application: it processes a few records each time its lag is read. */
    private static final class SlowApplication {
        long published;
        long processed;
        int lagReads;

        long lag() {
            lagReads++;
            processed = Math.min(published, processed + 7);
            return published - processed;
        }
    }

    @Test
    void aReplayNeverGetsMoreThanMaxLagRecordsAheadOfTheApplication() {
        SlowApplication app = new SlowApplication();
        LagGate gate = new LagGate(new Backpressure("app", 100), app::lag, () -> 0, message -> { });
        for (int i = 0; i < 10_000; i++) {
            gate.acquire();
            app.published++;
            assertTrue(app.published - app.processed <= 100, "ahead by " + (app.published - app.processed) + " after record " + i);
        }
        assertTrue(app.processed > 9_000, "the replay went on as the application caught up: " + app.processed);
    }

    @Test
    void recordsNotYetAcknowledgedCountAsLagAndTheLagIsReadOnlyWhenTheRoomIsUsedUp() {
        SlowApplication app = new SlowApplication();
        long unacknowledged = 50;
        LagGate gate = new LagGate(new Backpressure("app", 60), () -> {
            app.lagReads++;
            return 0;
        }, () -> unacknowledged, message -> { });
        for (int i = 0; i < 10; i++) {
            gate.acquire();
        }
        assertEquals(1, app.lagReads, "60 - 50 unacknowledged leaves room for 10 records on one reading");
        gate.acquire();
        assertEquals(2, app.lagReads, "the 11th record needs a new reading");
    }

    @Test
    void withoutBackpressureTheLagIsNeverRead() {
        LagGate gate = new LagGate(Backpressure.NONE, () -> {
            throw new AssertionError("lag read");
        }, () -> 0, message -> { });
        for (int i = 0; i < 1_000; i++) {
            gate.acquire();
        }
    }

    @Test
    void aHeldBackReplayStopsWhenInterrupted() throws Exception {
        LagGate gate = new LagGate(new Backpressure("app", 10), () -> 10, () -> 0, message -> { });
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread replay = new Thread(() -> {
            try {
                gate.acquire();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        replay.start();
        Thread.sleep(50);
        assertTrue(replay.isAlive(), "held back while the application is 10 records behind");
        replay.interrupt();
        replay.join(5_000);
        assertInstanceOf(ReplayException.class, thrown.get());
    }

    @Test
    void backpressureNeedsAnApplicationAndANonNegativeLimit() {
        List<String> errors = new ArrayList<>();
        for (Runnable r : List.<Runnable>of(() -> new Backpressure("", 5), () -> new Backpressure("app", -1))) {
            try {
                r.run();
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
            }
        }
        assertEquals(List.of("backpressure needs the application id whose lag it watches",
                "max lag must be 0 (none) or positive, got -1"), errors);
    }
}
