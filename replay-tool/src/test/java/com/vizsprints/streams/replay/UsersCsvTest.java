package com.vizsprints.streams.replay;

import com.vizsprints.streams.processor.model.UserRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static com.vizsprints.streams.replay.TestFiles.USERS_HEADER;
import static com.vizsprints.streams.replay.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UsersCsvTest {
    private static final String GOOD_1 = "u_1,2023-08-11T01:00:34Z,Mobile,SG,Free,A";
    private static final String GOOD_2 = "u_2,2023-02-01T17:23:19Z,Desktop,AU,Premium,B";
    private static final String GOOD_3 = "u_3,2023-07-04T18:03:55Z,Tablet,IN,Enterprise,B";

    @TempDir
    Path dir;

    /** Reads users.csv made of the header, GOOD_1, {@code bad}, GOOD_2 and GOOD_3. */
    private CsvContents<UserRecord> readWithBadRowOnLine3(String bad) throws IOException {
        Path file = write(dir, "users.csv", USERS_HEADER, GOOD_1, bad, GOOD_2, GOOD_3);
        return UsersCsv.readAll(file);
    }

    private void assertNeighboursKept(CsvContents<UserRecord> contents) {
        assertEquals(List.of(
                new UserRecord("u_1", "2023-08-11T01:00:34Z", "Mobile", "SG", "Free", "A", 0),
                new UserRecord("u_2", "2023-02-01T17:23:19Z", "Desktop", "AU", "Premium", "B", 1),
                new UserRecord("u_3", "2023-07-04T18:03:55Z", "Tablet", "IN", "Enterprise", "B", 2)),
                contents.records());
    }

    private void assertOnlyRejection(CsvContents<UserRecord> contents, long line, String reason) {
        assertEquals(List.of(new RejectedRow(dir.resolve("users.csv").toString(), line, reason)), contents.rejected());
    }

    @Test
    void shouldReadValidUsersInFileOrderWithPositions() throws IOException {
        Path file = write(dir, "users.csv", USERS_HEADER, GOOD_1, GOOD_2, GOOD_3);
        List<UserRecord> users = new ArrayList<>();
        List<RejectedRow> rejected = new ArrayList<>();

        CsvReadCounts counts = UsersCsv.read(file, users::add, rejected::add);

        assertEquals(new CsvReadCounts(3, 3, 0), counts);
        assertEquals(List.of(), rejected);
        assertEquals(List.of("u_1", "u_2", "u_3"), users.stream().map(UserRecord::userId).toList());
        assertEquals(List.of(0L, 1L, 2L), users.stream().map(UserRecord::position).toList());
    }

    @Test
    void shouldRejectRowWithWrongColumnCountAndKeepNeighbours() throws IOException {
        CsvContents<UserRecord> contents = readWithBadRowOnLine3("u_9,2023-01-01T00:00:00Z,Mobile,SG,Free");

        assertOnlyRejection(contents, 3, "wrong column count: expected 6 columns "
                + "(user_id,joined_at,device,country,subscription_status,ab_variant), found 5");
        assertNeighboursKept(contents);
    }

    @Test
    void shouldRejectRowWithTooManyColumnsAndKeepNeighbours() throws IOException {
        CsvContents<UserRecord> contents = readWithBadRowOnLine3("u_9,2023-01-01T00:00:00Z,Mobile,SG,Free,A,extra");

        assertOnlyRejection(contents, 3, "wrong column count: expected 6 columns "
                + "(user_id,joined_at,device,country,subscription_status,ab_variant), found 7");
        assertNeighboursKept(contents);
    }

    @Test
    void shouldRejectUserWithBadJoinedAtAndKeepNeighbours() throws IOException {
        CsvContents<UserRecord> contents = readWithBadRowOnLine3("u_9,2023-13-45T00:00:00Z,Mobile,SG,Free,A");

        assertOnlyRejection(contents, 3, "bad joined_at: not an ISO-8601 timestamp: '2023-13-45T00:00:00Z'");
        assertNeighboursKept(contents);
    }

    @Test
    void shouldAcceptBlankFieldsAsMissingValues() throws IOException {
        Path file = write(dir, "users.csv", USERS_HEADER,
                "u_1,,Mobile,SG,Enterprise,A",
                "u_2,2023-02-01T17:23:19Z,Desktop,AU,Premium,",
                "u_3,2023-07-04T18:03:55Z,,,,",
                "u_4,\"\",\"\",\"\",\"\",\"\"");

        CsvContents<UserRecord> contents = UsersCsv.readAll(file);

        assertEquals(List.of(), contents.rejected());
        assertEquals(List.of(
                new UserRecord("u_1", null, "Mobile", "SG", "Enterprise", "A", 0),
                new UserRecord("u_2", "2023-02-01T17:23:19Z", "Desktop", "AU", "Premium", null, 1),
                new UserRecord("u_3", "2023-07-04T18:03:55Z", null, null, null, null, 2),
                new UserRecord("u_4", null, null, null, null, null, 3)),
                contents.records());
    }

    @Test
    void shouldRejectUserWithWhitespaceForJoinedAtAsAnUnparsableValue() throws IOException {
        CsvContents<UserRecord> contents = readWithBadRowOnLine3("u_9, ,Mobile,SG,Free,A");

        assertOnlyRejection(contents, 3, "bad joined_at: empty timestamp");
        assertNeighboursKept(contents);
    }

    @Test
    void shouldRejectUserWithEmptyUserIdAndKeepNeighbours() throws IOException {
        CsvContents<UserRecord> contents = readWithBadRowOnLine3(",2023-01-01T00:00:00Z,Mobile,SG,Free,A");

        assertOnlyRejection(contents, 3, "empty user_id");
        assertNeighboursKept(contents);
    }

    @Test
    void shouldRejectUserWithUnknownSubscriptionStatusAndKeepNeighbours() throws IOException {
        CsvContents<UserRecord> contents = readWithBadRowOnLine3("u_9,2023-01-01T00:00:00Z,Mobile,SG,Gold,A");

        assertOnlyRejection(contents, 3, "unknown subscription_status 'Gold' (must be Free, Premium or Enterprise)");
        assertNeighboursKept(contents);
    }

    @Test
    void shouldRejectLowerCaseSubscriptionStatus() throws IOException {
        CsvContents<UserRecord> contents = readWithBadRowOnLine3("u_9,2023-01-01T00:00:00Z,Mobile,SG,free,A");

        assertOnlyRejection(contents, 3, "unknown subscription_status 'free' (must be Free, Premium or Enterprise)");
        assertNeighboursKept(contents);
    }

    @Test
    void shouldNameEveryProblemOfOneRow() throws IOException {
        CsvContents<UserRecord> contents = readWithBadRowOnLine3(" ,yesterday,Mobile,SG,None,");

        assertOnlyRejection(contents, 3, "empty user_id; bad joined_at: not an ISO-8601 timestamp: 'yesterday'; "
                + "unknown subscription_status 'None' (must be Free, Premium or Enterprise)");
        assertNeighboursKept(contents);
    }

    @Test
    void shouldKeepValuesExactlyAsWritten() throws IOException {
        Path file = write(dir, "users.csv", USERS_HEADER, "u_1,2023-08-11 01:00:34, Mobile ,\"S,G\",Free,A");

        CsvContents<UserRecord> contents = UsersCsv.readAll(file);

        assertEquals(List.of(new UserRecord("u_1", "2023-08-11 01:00:34", " Mobile ", "S,G", "Free", "A", 0)),
                contents.records());
    }

    @Test
    void shouldFailNamingTheFileWhenTheHeaderIsWrong() throws IOException {
        Path file = write(dir, "users.csv", "user_id,joined,device,country,subscription_status,ab_variant", GOOD_1);

        BadHeaderException e = assertThrows(BadHeaderException.class, () -> UsersCsv.readAll(file));

        assertEquals("users file " + file + ": the header is 'user_id,joined,device,country,subscription_status,"
                + "ab_variant' but must be '" + USERS_HEADER + "'", e.getMessage());
    }

    @Test
    void shouldFailNamingTheFileWhenGivenAnEventsFile() throws IOException {
        Path file = write(dir, "events.csv", TestFiles.EVENTS_HEADER);

        BadHeaderException e = assertThrows(BadHeaderException.class, () -> UsersCsv.readAll(file));

        assertTrue(e.getMessage().startsWith("users file " + file + ": the header is '" + TestFiles.EVENTS_HEADER),
                e.getMessage());
    }

    @Test
    void shouldFailNamingTheFileWhenItIsEmpty() throws IOException {
        Path file = TestFiles.writeRaw(dir, "users.csv", "");

        BadHeaderException e = assertThrows(BadHeaderException.class, () -> UsersCsv.readAll(file));

        assertEquals("users file " + file + ": the file is empty; expected the header '" + USERS_HEADER + "'",
                e.getMessage());
    }

    @Test
    void shouldReadAHeaderOnlyFileAsNoRows() throws IOException {
        Path file = write(dir, "users.csv", USERS_HEADER);

        assertEquals(new CsvReadCounts(0, 0, 0), UsersCsv.read(file, u -> { }, r -> { }));
    }
}
