package com.vizsprints.streams.replay;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ThrottleTest {
    @Test
    void shouldPaceIterationsToTheRate() {
        Throttle throttle = new Throttle(200);
        long start = System.nanoTime();

        for (int i = 0; i < 41; i++) {
            throttle.acquire();
        }

        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 190, "41 permits at 200/s need at least 200 ms after the first, took " + millis);
    }
}
