package com.vizsprints.streams.replay;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LagGateTest {
    /** A stand-in for the application: it processes a few records each time its lag is read. */
    private static final class SteppingApplication {
        long published;
        long processed;
        int reads;

        LagGate.Reading read() {
            reads++;
            processed = Math.min(published, processed + 7);
            return new LagGate.Reading(published - processed, processed);
        }
    }

    /**
     * An application processing {@code perSecond} records a second of a simulated clock, which moves
     * when the gate waits and by {@code readMillis} per reading of the lag (a round trip to the broker).
     * It shows what it processed every {@code commitMillis} (0: at once).
     */
    private static final class TimedApplication {
        final double perSecond;
        final long readNanos;
        final long commitNanos;
        long now;
        long published;
        double processed;
        long committed;
        long lastCommit;
        long maxBehindAfterWarmUp;
        double processedAtWarmUp;

        TimedApplication(double perSecond, long readMillis, long commitMillis) {
            this.perSecond = perSecond;
            this.readNanos = readMillis * 1_000_000;
            this.commitNanos = commitMillis * 1_000_000;
        }

        void advance(long nanos) {
            now += nanos;
            processed = Math.min(published, processed + perSecond * nanos / 1e9);
            if (now - lastCommit >= commitNanos) {
                committed = (long) processed;
                lastCommit = now;
            }
        }

        LagGate.Reading read() {
            advance(readNanos);
            return new LagGate.Reading(published - committed, committed);
        }

        LagGate gate(Backpressure b) {
            return new LagGate(b, this::read, () -> 0, message -> { }, () -> now, d -> advance(d.toNanos()));
        }

        /** Publishes for 10 s of the simulated clock through the gate, noting the backlog after 5 s of warm-up. */
        void replayTenSeconds(LagGate gate) {
            while (now < Duration.ofSeconds(10).toNanos()) {
                gate.acquire();
                published++;
                if (now <= Duration.ofSeconds(5).toNanos()) {
                    processedAtWarmUp = processed;
                } else {
                    maxBehindAfterWarmUp = Math.max(maxBehindAfterWarmUp, published - (long) processed);
                }
            }
        }
    }

    @Test
    void aReplayNeverGetsMoreThanMaxLagRecordsAheadOfTheApplication() {
        SteppingApplication app = new SteppingApplication();
        LagGate gate = new LagGate(Backpressure.parse("app", "100"), app::read, () -> 0, message -> { });
        for (int i = 0; i < 10_000; i++) {
            gate.acquire();
            app.published++;
            assertTrue(app.published - app.processed <= 100, "ahead by " + (app.published - app.processed) + " after record " + i);
        }
        assertTrue(app.processed > 9_000, "the replay went on as the application caught up: " + app.processed);
    }

    @Test
    void recordsNotYetAcknowledgedCountAsLagAndTheLagIsReadOnlyWhenTheRoomIsUsedUp() {
        int[] reads = {0};
        LagGate gate = new LagGate(Backpressure.parse("app", "60"), () -> {
            reads[0]++;
            return new LagGate.Reading(0, 0);
        }, () -> 50, message -> { });
        for (int i = 0; i < 10; i++) {
            gate.acquire();
        }
        assertEquals(1, reads[0], "60 - 50 unacknowledged leaves room for 10 records on one reading");
        gate.acquire();
        assertEquals(2, reads[0], "the 11th record needs a new reading");
    }

    @Test
    void aRecordAcknowledgedWhileTheLagIsReadIsStillCounted() throws InterruptedException {
        java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong acknowledged = new java.util.concurrent.atomic.AtomicLong();
        // the broker answers with the end offsets, then the acknowledgements of everything sent arrive
        LagGate gate = new LagGate(Backpressure.parse("app", "100"), () -> {
            LagGate.Reading r = new LagGate.Reading(acknowledged.get(), 0);
            acknowledged.set(sent.get());
            return r;
        }, () -> sent.get() - acknowledged.get(), message -> { });
        Thread replay = new Thread(() -> {
            try {
                while (true) {
                    gate.acquire();
                    sent.incrementAndGet();
                }
            } catch (ReplayException interrupted) {
                // the test is over
            }
        });
        replay.start();
        replay.join(300);
        replay.interrupt();
        replay.join(5_000);
        assertTrue(sent.get() <= 100, "sent " + sent.get() + " records with nothing processed and a limit of 100");
    }

    @Test
    void aLimitInTimeKeepsTheBacklogAboutThatLongBeyondARoundOfCommitsAndKeepsTheApplicationBusy() {
        for (double perSecond : new double[]{2_000, 20_000, 200_000}) {
            TimedApplication app = new TimedApplication(perSecond, 20, 0);
            app.replayTenSeconds(app.gate(Backpressure.parse("app", "250ms")));
            double backlogMillis = app.maxBehindAfterWarmUp / perSecond * 1000;
            assertTrue(backlogMillis <= 250 + LagGate.COMMIT_SPAN.toMillis() + 50 || app.maxBehindAfterWarmUp <= Backpressure.MIN_RECORDS,
                    perSecond + "/s: backlog of processing up to " + backlogMillis + " ms, more than the limit and a round of commits");
            assertTrue(app.processed >= 0.9 * perSecond * 10, perSecond + "/s: processed only " + app.processed + " in 10 s");
        }
    }

    @Test
    void anApplicationCommittingLessOftenThanTheLimitStillGetsAllItCanProcess() {
        for (double perSecond : new double[]{5_000, 50_000}) {
            TimedApplication app = new TimedApplication(perSecond, 20, 300);
            app.replayTenSeconds(app.gate(Backpressure.parse("app", "100ms")));
            double processed = app.processed - app.processedAtWarmUp;
            assertTrue(processed >= 0.9 * perSecond * 5, perSecond + "/s: processed only " + processed + " in the last 5 s");
            double backlogMillis = app.maxBehindAfterWarmUp / perSecond * 1000;
            assertTrue(backlogMillis <= 100 + 2 * 300, perSecond + "/s: backlog of processing up to " + backlogMillis
                    + " ms: more than the limit and two commits");
        }
    }

    @Test
    void aLimitInTimeStartsAnApplicationWithoutRateOnTheLeastItAllows() {
        TimedApplication app = new TimedApplication(0, 20, 0);
        LagGate gate = app.gate(Backpressure.parse("app", "2s"));
        for (int i = 0; i < Backpressure.MIN_RECORDS; i++) {
            gate.acquire();
            app.published++;
        }
        assertEquals(20_000_000, app.now, "one reading, then " + Backpressure.MIN_RECORDS + " records without waiting");
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
        LagGate gate = new LagGate(Backpressure.parse("app", "10"), () -> new LagGate.Reading(10, 0), () -> 0, message -> { });
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
    void limitsAreRecordsOrTimesAndNeedAnApplication() {
        assertEquals(new Backpressure("app", 5000, Duration.ZERO), Backpressure.parse("app", "5000"));
        assertEquals(new Backpressure("app", 0, Duration.ofMillis(250)), Backpressure.parse("app", "250ms"));
        assertEquals(new Backpressure("app", 0, Duration.ofSeconds(2)), Backpressure.parse("app", " 2s "));
        for (String bad : new String[]{"0", "0ms", "-5", "1.5s", "5m", "", "fast"}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> Backpressure.parse("app", bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Backpressure.parse("", "5000"));
        assertEquals("backpressure needs the application id whose lag it watches", e.getMessage());
    }
}
