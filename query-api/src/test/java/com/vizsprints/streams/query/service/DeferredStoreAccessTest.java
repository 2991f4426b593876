package com.vizsprints.streams.query.service;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DeferredStoreAccessTest {

    @Test
    void passesOnEveryMethodOfStoreAccessIncludingThoseWithADefault() {
        List<String> notPassedOn = new ArrayList<>();
        for (Method m : StoreAccess.class.getMethods()) {
            try {
                DeferredStoreAccess.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
            } catch (NoSuchMethodException e) {
                notPassedOn.add(m.getName());
            }
        }
        assertEquals(List.of(), notPassedOn, "a default would answer instead of the bound access");
    }

    @Test
    void tellsTheBoundAccessesDataVersionAndNoneBeforeItIsBound() {
        DeferredStoreAccess deferred = new DeferredStoreAccess();
        assertEquals(OptionalLong.empty(), deferred.dataVersion());

        deferred.bind(new StoreAccess() {
            @Override
            public List<PartitionStores> allPartitions() {
                return List.of();
            }

            @Override
            public StreamStatus status() {
                return new StreamStatus("RUNNING", true, 0L);
            }

            @Override
            public OptionalLong dataVersion() {
                return OptionalLong.of(42);
            }
        });

        assertEquals(OptionalLong.of(42), deferred.dataVersion());
    }
}
