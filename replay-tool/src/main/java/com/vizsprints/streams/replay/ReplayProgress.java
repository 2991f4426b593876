package com.vizsprints.streams.replay;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The counters of a running replay, readable from another thread: rows read, acknowledged and
 * rejected, and an estimate of the rows in the files (their size over the mean length of their
 * first lines), for a percentage and an ETA.
 */
public final class ReplayProgress {
    private final long started = System.nanoTime();
    private final long expectedRows;
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong acknowledgedBefore = new AtomicLong();
    private final AtomicReference<DeliveryTally> current = new AtomicReference<>();

    ReplayProgress(List<Path> files) {
        long rows = 0;
        for (Path f : files) {
            rows += estimateRows(f);
        }
        this.expectedRows = rows;
    }

    /** A point-in-time view. */
    public record Snapshot(long read, long acknowledged, long rejected, long expectedRows, double seconds) {
        public double recordsPerSecond() {
            return seconds > 0 ? acknowledged / seconds : 0;
        }

        /** Percent of the files read (an estimate, at most 100). */
        public double percent() {
            return expectedRows <= 0 ? 0 : Math.min(100.0, 100.0 * read / expectedRows);
        }

        /** Seconds left at the current reading pace, or -1 when unknown. */
        public double etaSeconds() {
            if (read == 0 || expectedRows <= 0 || seconds <= 0) {
                return -1;
            }
            return Math.max(0, (expectedRows - read) / (read / seconds));
        }

        /** The plain progress line. */
        public String line() {
            double eta = etaSeconds();
            return String.format(Locale.ROOT, "replay: %,d rows read, %,d acknowledged, %,d rejected, %,.0f records/s, %.1f%%, ETA %s",
                    read, acknowledged, rejected, recordsPerSecond(), percent(), eta < 0 ? "unknown" : duration(eta));
        }

        /** A one-line progress bar, for a terminal. */
        public String bar(int width) {
            int filled = (int) Math.round(percent() / 100 * width);
            return "[" + "#".repeat(filled) + " ".repeat(Math.max(0, width - filled)) + "] " + line().substring("replay: ".length());
        }
    }

    public Snapshot snapshot() {
        DeliveryTally t = current.get();
        return new Snapshot(read.get(), acknowledgedBefore.get() + (t == null ? 0 : t.acknowledged()), rejected.get(),
                expectedRows, (System.nanoTime() - started) / 1e9);
    }

    void rowRead() {
        read.incrementAndGet();
    }

    void rowRejected() {
        read.incrementAndGet();
        rejected.incrementAndGet();
    }

    void startFile(DeliveryTally tally) {
        DeliveryTally previous = current.getAndSet(tally);
        if (previous != null) {
            acknowledgedBefore.addAndGet(previous.acknowledged());
        }
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }

    /** The file's size over the mean length of its first lines (up to 1 MB read), minus the header. */
    static long estimateRows(Path file) {
        if (file == null) {
            return 0;
        }
        try (InputStream in = Files.newInputStream(file)) {
            long size = Files.size(file);
            byte[] head = in.readNBytes(1 << 20);
            long lines = 0;
            for (byte b : head) {
                if (b == '\n') {
                    lines++;
                }
            }
            if (head.length == size) {
                return Math.max(0, lines - 1 + (head.length > 0 && head[head.length - 1] != '\n' ? 1 : 0));
            }
            return lines == 0 ? 0 : Math.max(0, Math.round((double) size * lines / head.length) - 1);
        } catch (IOException e) {
            return 0;
        }
    }
}
