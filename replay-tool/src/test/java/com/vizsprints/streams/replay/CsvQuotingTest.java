package com.vizsprints.streams.replay;

import com.vizsprints.streams.processor.model.EventRecord;
import com.vizsprints.streams.processor.model.UserRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static com.vizsprints.streams.replay.TestFiles.EVENTS_HEADER;
import static com.vizsprints.streams.replay.TestFiles.USERS_HEADER;
import static com.vizsprints.streams.replay.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Rows whose CSV quoting is broken, and what the reader makes of the rows around them. */
class CsvQuotingTest {
    @TempDir
    Path dir;

    private static String event(int n) {
        return "e_" + n + ",u_" + n + ",view,2023-01-01T00:00:" + String.format("%02d", n % 60) + "Z,\"{\"\"n\"\": " + n + "}\"";
    }

    private static String user(int n) {
        return "u_" + n + ",2023-01-01T00:00:00Z,Mobile,SG,Free,A";
    }

    private static List<String> eventIds(CsvContents<EventRecord> contents) {
        return contents.records().stream().map(EventRecord::eventId).toList();
    }

    private static List<Long> eventPositions(CsvContents<EventRecord> contents) {
        return contents.records().stream().map(EventRecord::position).toList();
    }

    private static List<String> userIds(CsvContents<UserRecord> contents) {
        return contents.records().stream().map(UserRecord::userId).toList();
    }

    @Test
    void shouldRejectRowWithUnterminatedQuoteAndKeepNeighbours() throws IOException {
        Path file = write(dir, "events.csv", EVENTS_HEADER, event(1),
                "e_2,u_2,view,2023-01-01T00:00:02Z,\"{\"\"n\"\": 2}",
                event(3), event(4));

        CsvContents<EventRecord> contents = EventsCsv.readAll(file);

        assertEquals(List.of(new RejectedRow(file.toString(), 3, "bad quoting: Unexpected character ('{' (code 123)):"
                + " Expected column separator character (',' (code 44)) or end-of-line (detected at line 4);"
                + " reading resumes at line 4")), contents.rejected());
        assertEquals(List.of("e_1", "e_3", "e_4"), eventIds(contents));
        assertEquals(List.of(0L, 1L, 2L), eventPositions(contents));
    }

    @Test
    void shouldRejectUnterminatedQuoteThatRunsToTheEndOfTheFileAndKeepTheRowsAfterIt() throws IOException {
        Path file = write(dir, "users.csv", USERS_HEADER, user(1),
                "u_2,\"2023-01-01T00:00:00Z,Mobile,SG,Free,A",
                user(3), user(4));

        CsvContents<UserRecord> contents = UsersCsv.readAll(file);

        assertEquals(List.of(new RejectedRow(file.toString(), 3,
                "bad quoting: Missing closing quote for value (detected at line 6); reading resumes at line 4")),
                contents.rejected());
        assertEquals(List.of("u_1", "u_3", "u_4"), userIds(contents));
        assertEquals(List.of(0L, 1L, 2L), contents.records().stream().map(UserRecord::position).toList());
    }

    @Test
    void shouldRejectUnterminatedQuoteOnTheLastLine() throws IOException {
        Path file = TestFiles.writeRaw(dir, "users.csv", USERS_HEADER + "\n" + user(1) + "\n" + "u_2,\"2023");

        CsvContents<UserRecord> contents = UsersCsv.readAll(file);

        assertEquals(List.of(new RejectedRow(file.toString(), 3, "bad quoting: Missing closing quote for value")),
                contents.rejected());
        assertEquals(List.of("u_1"), userIds(contents));
    }

    @Test
    void shouldRejectRowWithQuoteInsideUnquotedFieldAndKeepNeighbours() throws IOException {
        Path file = write(dir, "users.csv", USERS_HEADER, user(1),
                "u_2,2023-01-01T00:00:00Z,Mob\"ile,SG,Free,A",
                user(3));

        CsvContents<UserRecord> contents = UsersCsv.readAll(file);

        assertEquals(List.of(new RejectedRow(file.toString(), 3,
                "bad quoting: quote character inside unquoted field 3 (device)")), contents.rejected());
        assertEquals(List.of("u_1", "u_3"), userIds(contents));
        assertEquals(List.of(0L, 1L), contents.records().stream().map(UserRecord::position).toList());
    }

    @Test
    void shouldRejectUnquotedJsonMetadata() throws IOException {
        Path file = write(dir, "events.csv", EVENTS_HEADER, event(1),
                "e_2,u_2,view,2023-01-01T00:00:02Z,{\"n\":2}",
                event(3));

        CsvContents<EventRecord> contents = EventsCsv.readAll(file);

        assertEquals(List.of(new RejectedRow(file.toString(), 3,
                "bad quoting: quote character inside unquoted field 5 (metadata)")), contents.rejected());
        assertEquals(List.of("e_1", "e_3"), eventIds(contents));
    }

    @Test
    void shouldRejectRowWithTextAfterClosingQuoteAndKeepNeighbours() throws IOException {
        Path file = write(dir, "events.csv", EVENTS_HEADER, event(1),
                "e_2,u_2,view,2023-01-01T00:00:02Z,\"{}\"junk",
                event(3));

        CsvContents<EventRecord> contents = EventsCsv.readAll(file);

        assertEquals(List.of(new RejectedRow(file.toString(), 3, "bad quoting: Unexpected character ('j' (code 106)):"
                + " Expected column separator character (',' (code 44)) or end-of-line; reading resumes at line 4")),
                contents.rejected());
        assertEquals(List.of("e_1", "e_3"), eventIds(contents));
        assertEquals(List.of(0L, 1L), eventPositions(contents));
    }

    @Test
    void shouldReadAgainTheLinesSwallowedByTwoStrayQuotes() throws IOException {
        // The quote opened on line 3 is closed at the end of line 6, making one row of 2 columns.
        Path file = write(dir, "users.csv", USERS_HEADER, user(1),
                "u_2,\"2023-01-01T00:00:00Z,Mobile,SG,Free,A",
                user(3), user(4),
                "u_5,2023-01-01T00:00:00Z,Mobile,SG,Free,A\"",
                user(6));

        CsvContents<UserRecord> contents = UsersCsv.readAll(file);

        assertEquals(List.of(
                new RejectedRow(file.toString(), 3, "wrong column count: expected 6 columns "
                        + "(user_id,joined_at,device,country,subscription_status,ab_variant), found 2; the row spans"
                        + " lines 3-6, so a quote is probably unbalanced; reading resumes at line 4"),
                new RejectedRow(file.toString(), 6, "bad quoting: quote character inside unquoted field 6 (ab_variant)")),
                contents.rejected());
        assertEquals(List.of("u_1", "u_3", "u_4", "u_6"), userIds(contents));
        assertEquals(List.of(0L, 1L, 2L, 3L), contents.records().stream().map(UserRecord::position).toList());
    }

    @Test
    void shouldRecoverFromSeveralQuotingErrorsInOneFile() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(EVENTS_HEADER);
        List<String> expectedIds = new ArrayList<>();
        List<Long> expectedLines = new ArrayList<>();
        // Enough rows that the parser refills its buffer many times, before and after each restart.
        for (int n = 1; n <= 3000; n++) {
            if (n % 700 == 0) {
                expectedLines.add((long) lines.size() + 1);
                lines.add("e_" + n + ",u_1,view,2023-01-01T00:00:00Z,\"{\"\"broken\"\": " + n + "}");
            } else {
                expectedIds.add("e_" + n);
                lines.add(event(n));
            }
        }
        Path file = write(dir, "events.csv", lines.toArray(String[]::new));

        CsvContents<EventRecord> contents = EventsCsv.readAll(file);

        assertEquals(expectedLines, contents.rejected().stream().map(RejectedRow::line).toList());
        assertEquals(expectedIds, eventIds(contents));
        for (int i = 0; i < contents.records().size(); i++) {
            assertEquals(i, contents.records().get(i).position());
        }
    }

    @Test
    void shouldSkipBlankLinesAndReadCrLfFilesWithAByteOrderMark() throws IOException {
        Path file = TestFiles.writeRaw(dir, "users.csv", "\uFEFF" + USERS_HEADER + "\r\n" + user(1) + "\r\n\r\n"
                + "u_2,2023-01-01T00:00:00Z,Mobile,SG,Gold,A\r\n" + user(3) + "\r\n\r\n");

        CsvContents<UserRecord> contents = UsersCsv.readAll(file);

        assertEquals(List.of(new UserRecord("u_1", "2023-01-01T00:00:00Z", "Mobile", "SG", "Free", "A", 0),
                new UserRecord("u_3", "2023-01-01T00:00:00Z", "Mobile", "SG", "Free", "A", 1)), contents.records());
        assertEquals(List.of(4L), contents.rejected().stream().map(RejectedRow::line).toList());
    }

    @Test
    void shouldRejectALineOfOnlyAQuotedEmptyValue() throws IOException {
        Path file = write(dir, "users.csv", USERS_HEADER, user(1), "\"\"", user(3));

        CsvContents<UserRecord> contents = UsersCsv.readAll(file);

        assertEquals(List.of(3L), contents.rejected().stream().map(RejectedRow::line).toList());
        assertEquals(List.of("u_1", "u_3"), userIds(contents));
    }
}
