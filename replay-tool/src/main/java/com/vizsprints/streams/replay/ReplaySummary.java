package com.vizsprints.streams.replay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The outcome of a replay.
 *
 * @param users        the users file's summary, or null when no users file was given
 * @param events       the events file's summary, or null when no events file was given
 * @param rejectedRows the first {@link ReplayTool#KEPT_REJECTED_ROWS} rejected rows, in the
 *                     order found (the per-file counts are exact)
 * @param elapsed      time spent reading and publishing
 * @param abortReason  why publishing stopped early, or null when it ran to the end
 */
public record ReplaySummary(FileSummary users, FileSummary events, List<RejectedRow> rejectedRows,
                            Duration elapsed, String abortReason) {
    public ReplaySummary {
        rejectedRows = List.copyOf(rejectedRows);
    }

    /** The summaries of the files given, users first. */
    public List<FileSummary> files() {
        return Stream.of(users, events).filter(f -> f != null).toList();
    }

    public long rowsRead() {
        return files().stream().mapToLong(FileSummary::rowsRead).sum();
    }

    public long published() {
        return files().stream().mapToLong(FileSummary::published).sum();
    }

    public long rejected() {
        return files().stream().mapToLong(FileSummary::rejected).sum();
    }

    public long failed() {
        return files().stream().mapToLong(FileSummary::failed).sum();
    }

    /** Published records per second of elapsed time. */
    public double recordsPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds > 0 ? published() / seconds : 0;
    }

    /** True when every row was valid, every send was acknowledged and nothing stopped the replay. */
    public boolean clean() {
        return rejected() == 0 && failed() == 0 && abortReason == null;
    }

    /** The summary as lines for people. */
    public List<String> report() {
        List<String> lines = new ArrayList<>();
        for (FileSummary file : files()) {
            lines.add(file.describe());
            if (file.firstFailure() != null) {
                lines.add("  first send failure: " + file.firstFailure());
            }
        }
        lines.add(String.format(Locale.ROOT, "published %d records in %.2f s (%.0f records/s)",
                published(), elapsed.toNanos() / 1e9, recordsPerSecond()));
        if (abortReason != null) {
            lines.add("ABORTED: " + abortReason);
        }
        return lines;
    }
}
