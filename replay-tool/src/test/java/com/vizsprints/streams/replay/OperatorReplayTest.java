package com.vizsprints.streams.replay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator's replay: event-time pacing (--speed), progress figures, and the parsing of the new options. */
class OperatorReplayTest {
    @TempDir
    Path dir;

    @Test
    void speedKeepsTheGapsBetweenEventsScaled() {
        EventClock clock = new EventClock(4);
        long t = System.nanoTime();
        for (String ts : List.of("2023-01-01T00:00:00Z", "2023-01-01T00:00:02Z", "2023-01-01T00:00:01Z", "2023-01-01T00:00:04Z")) {
            clock.await(ts);
        }
        double seconds = (System.nanoTime() - t) / 1e9;
        // 4 s of event time at 4x: about 1 s; the out-of-order event does not wait.
        assertTrue(seconds >= 0.95 && seconds < 2.5, "took " + seconds + " s");
    }

    @Test
    void noSpeedMeansNoPacing() {
        EventClock clock = new EventClock(0);
        long t = System.nanoTime();
        clock.await("2023-01-01T00:00:00Z");
        clock.await("2023-01-02T00:00:00Z");
        assertTrue((System.nanoTime() - t) / 1e9 < 0.5);
    }

    @Test
    void progressShowsPercentEtaAndABar() throws IOException {
        StringBuilder rows = new StringBuilder(TestFiles.USERS_HEADER + "\n");
        for (int i = 0; i < 100; i++) {
            rows.append("u_").append(i).append(",2023-01-01T00:00:00Z,Mobile,SG,Free,A\n");
        }
        Path users = Files.writeString(dir.resolve("users.csv"), rows);
        ReplayProgress progress = new ReplayProgress(List.of(users));
        DeliveryTally tally = new DeliveryTally();
        progress.startFile(tally);
        for (int i = 0; i < 25; i++) {
            progress.rowRead();
            tally.recordAcknowledged();
        }
        progress.rowRejected();
        ReplayProgress.Snapshot s = progress.snapshot();
        assertEquals(100, s.expectedRows());
        assertEquals(26.0, s.percent(), 1e-9);
        assertTrue(s.line().startsWith("replay: 26 rows read, 25 acknowledged, 1 rejected, "), s.line());
        assertTrue(s.line().contains("26.0%, ETA "), s.line());
        assertTrue(s.bar(10).startsWith("[###       ] 26 rows read"), s.bar(10));
        assertEquals("1h01m05s", ReplayProgress.duration(3665));
    }

    @Test
    void parsesSpeedDryRunAndTopicCreation() throws Exception {
        Path users = TestFiles.write(dir, "users.csv", TestFiles.USERS_HEADER);
        ReplayOptions o = ReplayCommand.parse(new String[]{"--bootstrap-servers", "k:1", "--users", users.toString(),
                "--speed", "60", "--rate", "100", "--no-create-topics"});
        assertEquals(60.0, o.speed());
        assertEquals(100, o.ratePerSecond());
        assertEquals(false, o.createTopics());
        UsageException e = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class,
                () -> ReplayCommand.parse(new String[]{"--bootstrap-servers", "k:1", "--users", users.toString(), "--speed", "0"}));
        assertTrue(e.getMessage().contains("--speed"), e.getMessage());
        assertEquals(0, ReplayCommand.parse(new String[]{"--dry-run", "--users", users.toString()}).speed());
    }

    @Test
    void parsesBackpressureWithTheApplicationItWatches() throws Exception {
        Path users = TestFiles.write(dir, "users.csv", TestFiles.USERS_HEADER);
        String[] base = {"--bootstrap-servers", "k:1", "--users", users.toString()};
        assertEquals(Backpressure.NONE, ReplayCommand.parse(base).backpressure());
        assertEquals(Backpressure.parse("vizsprints-streams", "5000"), ReplayCommand.parse(append(base, "--max-lag", "5000")).backpressure());
        assertEquals(Backpressure.parse("shop-analytics", "250ms"),
                ReplayCommand.parse(append(base, "--max-lag", "250ms", "--application-id", "shop-analytics")).backpressure());
        UsageException e = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class,
                () -> ReplayCommand.parse(append(base, "--max-lag", "0")));
        assertTrue(e.getMessage().contains("--max-lag"), e.getMessage());
    }

    private static String[] append(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void dryRunNeedsNoBrokerAndPrintsEveryRejectedRow() throws IOException {
        Path events = TestFiles.write(dir, "events.csv", TestFiles.EVENTS_HEADER, "e_1,u_1,login,2023-01-02T00:00:00Z,{}",
                "e_2,,login,2023-01-02T00:00:00Z,{}", "e_3,u_1,login,yesterday,{}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ReplayApp.run(new String[]{"--dry-run", "--events", events.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, status);
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith(events + ":3: "), lines.get(0));
        assertTrue(lines.get(1).startsWith(events + ":4: "), lines.get(1));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("3 rows, 1 valid, 2 rejected"), out.toString(StandardCharsets.UTF_8));
    }
}
