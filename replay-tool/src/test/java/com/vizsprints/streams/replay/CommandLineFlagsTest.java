package com.vizsprints.streams.replay;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CommandLineFlagsTest {
    private static final List<String> VALUES = List.of("--users", "--out");
    private static final List<String> SWITCHES = List.of("--shuffle");

    @Test
    void shouldReadValuesInBothFormsAndSwitches() throws UsageException {
        assertEquals(Map.of("--users", "5", "--out", "d", "--shuffle", CommandLineFlags.ON),
                CommandLineFlags.parse(new String[]{"--users", "5", "--shuffle", "--out=d"}, VALUES, SWITCHES));
    }

    @Test
    void shouldNameTheArgumentAtFault() {
        assertEquals("--shuffle takes no value", message("--shuffle=yes"));
        assertEquals("--shuffle is given more than once", message("--shuffle", "--shuffle"));
        assertEquals("--users is given more than once", message("--users", "1", "--users=2"));
        assertEquals("--users needs a value", message("--users", "--out", "d"));
        assertEquals("unknown flag --seed", message("--seed", "1"));
        assertEquals("unexpected argument 'extra'", message("extra"));
    }

    private static String message(String... args) {
        return assertThrows(UsageException.class, () -> CommandLineFlags.parse(args, VALUES, SWITCHES)).getMessage();
    }
}
