package com.vizsprints.streams.replay;

import com.vizsprints.streams.processor.model.EventRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static com.vizsprints.streams.replay.TestFiles.EVENTS_HEADER;
import static com.vizsprints.streams.replay.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EventsCsvTest {
    private static final String GOOD_1 = "e_1,u_1,signup_success,2023-01-01T02:01:58Z,\"{\"\"source\"\": \"\"organic\"\"}\"";
    private static final String GOOD_2 = "e_2,u_1,view_dashboard,2023-01-01T02:37:58Z,\"{\"\"funnel_stage\"\": 2}\"";
    private static final String GOOD_3 = "e_3,u_2,start_project,2023-01-01T02:59:58Z,\"{}\"";

    @TempDir
    Path dir;

    private CsvContents<EventRecord> readWithBadRowOnLine3(String bad) throws IOException {
        return EventsCsv.readAll(write(dir, "events.csv", EVENTS_HEADER, GOOD_1, bad, GOOD_2, GOOD_3));
    }

    private void assertNeighboursKept(CsvContents<EventRecord> contents) {
        assertEquals(List.of(
                new EventRecord("e_1", "u_1", "signup_success", "2023-01-01T02:01:58Z", "{\"source\": \"organic\"}", 0),
                new EventRecord("e_2", "u_1", "view_dashboard", "2023-01-01T02:37:58Z", "{\"funnel_stage\": 2}", 1),
                new EventRecord("e_3", "u_2", "start_project", "2023-01-01T02:59:58Z", "{}", 2)),
                contents.records());
    }

    private void assertOnlyRejection(CsvContents<EventRecord> contents, long line, String reason) {
        assertEquals(List.of(new RejectedRow(dir.resolve("events.csv").toString(), line, reason)),
                contents.rejected());
    }

    @Test
    void shouldRejectEventWithUnquotedMetadataAsWrongColumnCountAndKeepNeighbours() throws IOException {
        CsvContents<EventRecord> contents =
                readWithBadRowOnLine3("e_9,u_1,x,2023-01-01T00:00:00Z,{source: organic, variant: A}");

        assertOnlyRejection(contents, 3, "wrong column count: expected 5 columns "
                + "(event_id,user_id,event_name,timestamp,metadata), found 6");
        assertNeighboursKept(contents);
    }

    @Test
    void shouldRejectEventWithBadTimestampAndKeepNeighbours() throws IOException {
        CsvContents<EventRecord> contents = readWithBadRowOnLine3("e_9,u_1,x,2023-01-01T25:61:00Z,\"{}\"");

        assertOnlyRejection(contents, 3, "bad timestamp: not an ISO-8601 timestamp: '2023-01-01T25:61:00Z'");
        assertNeighboursKept(contents);
    }

    @Test
    void shouldRejectEventWithEmptyEventIdAndKeepNeighbours() throws IOException {
        CsvContents<EventRecord> contents = readWithBadRowOnLine3(",u_1,x,2023-01-01T00:00:00Z,\"{}\"");

        assertOnlyRejection(contents, 3, "empty event_id");
        assertNeighboursKept(contents);
    }

    @Test
    void shouldRejectEventWithEmptyUserIdAndKeepNeighbours() throws IOException {
        CsvContents<EventRecord> contents = readWithBadRowOnLine3("e_9,,x,2023-01-01T00:00:00Z,\"{}\"");

        assertOnlyRejection(contents, 3, "empty user_id");
        assertNeighboursKept(contents);
    }

    @Test
    void shouldAcceptEventWithBlankEventNameOrMetadataAsMissingValues() throws IOException {
        Path file = write(dir, "events.csv", EVENTS_HEADER,
                "e_1,u_1,,2023-01-01T00:00:00Z,\"{}\"",
                "e_2,u_1,\"\",2023-01-01T00:00:01Z,",
                "e_3,u_2,login,2023-01-01T00:00:02Z,\"\"");

        CsvContents<EventRecord> contents = EventsCsv.readAll(file);

        assertEquals(List.of(), contents.rejected());
        assertEquals(List.of(
                new EventRecord("e_1", "u_1", null, "2023-01-01T00:00:00Z", "{}", 0),
                new EventRecord("e_2", "u_1", null, "2023-01-01T00:00:01Z", null, 1),
                new EventRecord("e_3", "u_2", "login", "2023-01-01T00:00:02Z", null, 2)),
                contents.records());
    }

    @Test
    void shouldRejectEventWithoutTimestampAndKeepNeighbours() throws IOException {
        CsvContents<EventRecord> contents = readWithBadRowOnLine3("e_9,u_1,login,,\"{}\"");

        assertOnlyRejection(contents, 3, "bad timestamp: empty timestamp");
        assertNeighboursKept(contents);
    }

    @Test
    void shouldKeepEmbeddedCommasQuotesAndNewlinesInQuotedMetadata() throws IOException {
        Path file = write(dir, "events.csv", EVENTS_HEADER,
                "e_1,u_1,signup_success,2023-01-01T02:01:58Z,\"{\"\"source\"\": \"\"organic\"\", \"\"variant\"\": \"\"A\"\"}\"",
                "e_2,u_1,note,2023-01-01T02:02:00Z,\"{\"\"text\"\": \"\"line one,",
                "line \"\"two\"\"\r",
                "line three\"\"}\"",
                "e_3,u_1,x,not-a-time,\"{}\"",
                "e_4,u_2,view_dashboard,2023-01-01T02:37:58Z,\"\"");

        CsvContents<EventRecord> contents = EventsCsv.readAll(file);

        assertEquals(List.of(
                new EventRecord("e_1", "u_1", "signup_success", "2023-01-01T02:01:58Z",
                        "{\"source\": \"organic\", \"variant\": \"A\"}", 0),
                new EventRecord("e_2", "u_1", "note", "2023-01-01T02:02:00Z",
                        "{\"text\": \"line one,\nline \"two\"\r\nline three\"}", 1),
                new EventRecord("e_4", "u_2", "view_dashboard", "2023-01-01T02:37:58Z", null, 2)),
                contents.records());
        // e_2 spans lines 3-5, so the bad e_3 starts on line 6.
        assertEquals(List.of(new RejectedRow(file.toString(), 6,
                "bad timestamp: not an ISO-8601 timestamp: 'not-a-time'")), contents.rejected());
    }

    @Test
    void shouldFailNamingTheFileWhenTheHeaderIsWrong() throws IOException {
        Path file = write(dir, "events.csv", "event_id,user_id,event_name,timestamp", GOOD_1);

        BadHeaderException e = assertThrows(BadHeaderException.class, () -> EventsCsv.readAll(file));

        assertEquals("events file " + file + ": the header is 'event_id,user_id,event_name,timestamp' but must be '"
                + EVENTS_HEADER + "'", e.getMessage());
    }
}
