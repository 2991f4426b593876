package com.vizsprints.streams.processor.topology;

import com.vizsprints.streams.processor.model.EventRecord;
import com.vizsprints.streams.processor.schema.JsonSerdes;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast reader of event values must mean what Jackson means, or leave the value to Jackson:
 * whenever it reads a value, Jackson (the oracle; the reader shares no code with it) reads the
 * same event from it.
 */
class CanonicalEventJsonTest {
    /** Pieces of text the fast reader reads (printable ASCII, and what JSON's short escapes write). */
    private static final String[] ASCII_PIECES = {"a", "Z", "0", " ", "\"", "\\", "/", "\b", "\f", "\n", "\r", "\t",
            "\u007f", "{\"source\": \"ads\"}", "null", ",", ":", "}", "u_000123"};
    /** Pieces it leaves to Jackson: other control characters (written as \\u00XX), non-ASCII text. */
    private static final String[] OTHER_PIECES = {"\u0001", "\u001f", "é", "日本", "😀"};

    private static byte[] written(EventRecord e) {
        return JsonSerdes.event().serializer().serialize("events", e);
    }

    private static EventRecord jackson(byte[] value) {
        try {
            return JsonSerdes.MAPPER.readerFor(EventRecord.class).readValue(value);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String randomText(Random r) {
        if (r.nextInt(8) == 0) {
            return null;
        }
        StringBuilder s = new StringBuilder();
        for (int i = r.nextInt(6); i > 0; i--) {
            s.append(r.nextInt(40) == 0 ? OTHER_PIECES[r.nextInt(OTHER_PIECES.length)] : ASCII_PIECES[r.nextInt(ASCII_PIECES.length)]);
        }
        return s.toString();
    }

    private static EventRecord randomEvent(Random r) {
        long position = switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> r.nextInt(100);
            case 2 -> (r.nextLong() & Long.MAX_VALUE) % 1_000_000_000_000_000_000L;
            default -> r.nextLong() & Long.MAX_VALUE;
        };
        return new EventRecord(randomText(r), randomText(r), randomText(r), randomText(r), randomText(r), position);
    }

    @Test
    void readsWhatTheReplayWritesAsJacksonDoes() {
        EventRecord e = new EventRecord("e_1", "u_051638", "signup_success", "2023-01-01T00:05:11Z",
                "{\"source\": \"organic\", \"variant\": \"A\"}", 0);
        assertEquals(e, CanonicalEventJson.read(written(e)));
        EventRecord missing = new EventRecord("e_2", "u_1", null, "2023-01-01T00:05:11.000000123Z", null, 123_456_789_012L);
        assertEquals(missing, CanonicalEventJson.read(written(missing)));
    }

    @Test
    void everyValueItReadsMeansWhatItMeansToJackson() {
        Random r = new Random(20261202);
        int readHere = 0;
        for (int i = 0; i < 20_000; i++) {
            EventRecord e = randomEvent(r);
            byte[] value = written(e);
            EventRecord fast = CanonicalEventJson.read(value);
            assertEquals(e, jackson(value), "Jackson reads back what it wrote");
            if (fast != null) {
                readHere++;
                assertEquals(e, fast, new String(value, StandardCharsets.UTF_8));
            } else {
                assertTrue(notCanonical(e) || e.position() > 999_999_999_999_999_999L,
                        "left to Jackson though canonical: " + new String(value, StandardCharsets.UTF_8));
            }
        }
        assertTrue(readHere > 5_000, "only " + readHere + " of 20,000 read here");
    }

    /** Text the fast reader leaves to Jackson: a non-ASCII character, or a control character Jackson escapes as \\u00XX. */
    private static boolean notCanonical(EventRecord e) {
        for (String s : Arrays.asList(e.eventId(), e.userId(), e.eventName(), e.timestamp(), e.metadata())) {
            if (s != null && s.chars().anyMatch(c -> c >= 0x80 || (c < 0x20 && "\b\f\n\r\t".indexOf(c) < 0))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aMutatedValueIsEitherLeftToJacksonOrReadAsJacksonReadsIt() {
        Random r = new Random(7);
        byte[] interesting = "{}[]\":,\\/ 0123456789-+.eEnul\u0000\t\n".getBytes(StandardCharsets.UTF_8);
        int readHere = 0;
        for (int i = 0; i < 50_000; i++) {
            byte[] value = written(randomEvent(r));
            byte[] mutated = switch (r.nextInt(4)) {
                case 0 -> { // replace one byte
                    byte[] m = value.clone();
                    m[r.nextInt(m.length)] = r.nextBoolean() ? interesting[r.nextInt(interesting.length)] : (byte) r.nextInt(256);
                    yield m;
                }
                case 1 -> { // delete one byte
                    int at = r.nextInt(value.length);
                    byte[] m = new byte[value.length - 1];
                    System.arraycopy(value, 0, m, 0, at);
                    System.arraycopy(value, at + 1, m, at, value.length - at - 1);
                    yield m;
                }
                case 2 -> { // insert one byte
                    int at = r.nextInt(value.length + 1);
                    byte[] m = new byte[value.length + 1];
                    System.arraycopy(value, 0, m, 0, at);
                    m[at] = interesting[r.nextInt(interesting.length)];
                    System.arraycopy(value, at, m, at + 1, value.length - at);
                    yield m;
                }
                default -> Arrays.copyOf(value, r.nextInt(value.length + 1)); // truncate
            };
            EventRecord fast = CanonicalEventJson.read(mutated);
            if (fast != null) {
                readHere++;
                EventRecord oracle = jackson(mutated);
                assertNotNull(oracle, "read here, rejected by Jackson: " + new String(mutated, StandardCharsets.UTF_8));
                assertEquals(oracle, fast, new String(mutated, StandardCharsets.UTF_8));
            }
        }
        assertTrue(readHere > 1_000, "only " + readHere + " mutated values read here");
    }

    @Test
    void valuesInAnyOtherFormAreLeftToJackson() {
        String[] others = {
                "{\"event_id\": \"e\",\"user_id\":\"u\",\"event_name\":\"n\",\"timestamp\":\"t\",\"metadata\":\"m\",\"position\":1}",
                "{\"user_id\":\"u\",\"event_id\":\"e\",\"event_name\":\"n\",\"timestamp\":\"t\",\"metadata\":\"m\",\"position\":1}",
                "{\"event_id\":\"e\",\"user_id\":\"u\",\"event_name\":\"n\",\"timestamp\":\"t\",\"metadata\":\"m\",\"position\":1,\"x\":2}",
                "{\"event_id\":\"e\",\"user_id\":\"u\",\"event_name\":\"n\",\"timestamp\":\"t\",\"metadata\":\"m\",\"position\":1} ",
                "{\"event_id\":\"e\",\"user_id\":\"u\",\"event_name\":\"n\",\"timestamp\":\"t\",\"metadata\":\"m\",\"position\":01}",
                "{\"event_id\":\"e\",\"user_id\":\"u\",\"event_name\":\"n\",\"timestamp\":\"t\",\"metadata\":\"m\",\"position\":1.0}",
                "{\"event_id\":\"e\",\"user_id\":\"u\",\"event_name\":\"n\",\"timestamp\":\"t\",\"metadata\":\"m\",\"position\":null}",
                "{\"event_id\":\"\\u0065\",\"user_id\":\"u\",\"event_name\":\"n\",\"timestamp\":\"t\",\"metadata\":\"m\",\"position\":1}",
                "{\"event_id\":7,\"user_id\":\"u\",\"event_name\":\"n\",\"timestamp\":\"t\",\"metadata\":\"m\",\"position\":1}",
                "{\"event_id\":\"é\",\"user_id\":\"u\",\"event_name\":\"n\",\"timestamp\":\"t\",\"metadata\":\"m\",\"position\":1}",
                "{\"event_id\":\"e\",\"user_id\":\"u\",\"event_name\":\"n\",\"timestamp\":\"t\",\"metadata\":\"m\"}",
                "null", "", "{}"};
        for (String other : others) {
            assertNull(CanonicalEventJson.read(other.getBytes(StandardCharsets.UTF_8)), other);
        }
    }
}
