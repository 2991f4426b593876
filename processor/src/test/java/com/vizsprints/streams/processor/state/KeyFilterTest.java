package com.vizsprints.streams.processor.state;

import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyFilterTest {
    private static Bytes key(String text) {
        return Bytes.wrap(("I" + text).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyKeyAddedIsFoundWhileTheFilterGrowsThroughSeveralSegments() {
        KeyFilter filter = new KeyFilter();
        int n = KeyFilter.FIRST_CAPACITY * 7 + 12_345;
        for (int i = 0; i < n; i++) {
            filter.add(key("evt_" + i));
        }
        for (int i = 0; i < n; i++) {
            assertTrue(filter.mightContain(key("evt_" + i)), "added key evt_" + i + " not found");
        }
    }

    @Test
    void fewKeysNeverAddedAreTakenForAddedOnes() {
        KeyFilter filter = new KeyFilter();
        Random random = new Random(42);
        Set<String> added = new HashSet<>();
        for (int i = 0; i < KeyFilter.FIRST_CAPACITY * 5; i++) {
            String id = Long.toHexString(random.nextLong());
            added.add(id);
            filter.add(key(id));
        }
        int tried = 0;
        int falsePositives = 0;
        while (tried < 200_000) {
            String id = Long.toHexString(random.nextLong());
            if (added.contains(id)) {
                continue;
            }
            tried++;
            if (filter.mightContain(key(id))) {
                falsePositives++;
            }
        }
        double rate = (double) falsePositives / tried;
        assertTrue(rate < 0.02, "false-positive rate " + rate);
    }

    @Test
    void keysThatDifferInOneByteAreTold() {
        KeyFilter filter = new KeyFilter();
        filter.add(key("evt_000001"));
        int falsePositives = 0;
        for (int i = 2; i < 10_000; i++) {
            if (filter.mightContain(key(String.format("evt_%06d", i)))) {
                falsePositives++;
            }
        }
        assertTrue(falsePositives < 20, falsePositives + " near keys taken for the one added");
    }
}
