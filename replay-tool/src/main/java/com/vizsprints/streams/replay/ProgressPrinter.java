package com.vizsprints.streams.replay;

import java.io.PrintStream;

/**
 * Prints a replay's progress every {@link #INTERVAL_MILLIS} ms on standard error: a progress bar
 * redrawn in place on a terminal, plain lines otherwise (logs, pipes, CI).
 */
final class ProgressPrinter {
    static final long INTERVAL_MILLIS = 2000;
    private static final int BAR_WIDTH = 30;

    private final PrintStream err;
    private final boolean terminal;
    private Thread thread;
    private ReplayProgress progress;
    private boolean barShown;

    ProgressPrinter(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    synchronized void start(ReplayProgress p) {
        if (thread != null) {
            return;
        }
        progress = p;
        thread = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(INTERVAL_MILLIS);
                    print();
                }
            } catch (InterruptedException e) {
                // stopped
            }
        }, "vizsprints-replay-progress");
        thread.setDaemon(true);
        thread.start();
    }

    private synchronized void print() {
        ReplayProgress.Snapshot s = progress.snapshot();
        if (terminal) {
            err.print("\r" + s.bar(BAR_WIDTH));
            barShown = true;
        } else {
            err.println(s.line());
        }
        err.flush();
    }

    /** Prints a line of its own (a rejected row), keeping the bar below it on a terminal. */
    synchronized void println(String line) {
        if (barShown) {
            err.print("\r\033[K");
        }
        err.println(line);
        barShown = false;
    }

    synchronized void stop() {
        if (thread == null) {
            return;
        }
        thread.interrupt();
        thread = null;
        if (progress != null) {
            if (terminal) {
                err.print("\r" + progress.snapshot().bar(BAR_WIDTH));
                err.println();
            } else {
                err.println(progress.snapshot().line());
            }
            barShown = false;
        }
    }
}
