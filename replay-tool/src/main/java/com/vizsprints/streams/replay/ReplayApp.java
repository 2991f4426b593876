package com.vizsprints.streams.replay;

import java.io.PrintStream;

/**
 * The replay command line's entry point; the command itself is {@link ReplayCommand} (and
 * {@code replay generate}, {@link com.vizsprints.streams.replay.generate.GenerateCommand}).
 *
 * <p>Exit status: {@value #EXIT_OK} when every row was published, {@value #EXIT_PROBLEMS} when a
 * row was rejected, a send failed or the replay could not run, {@value #EXIT_USAGE} for a wrong
 * command line or an input file that is missing or has the wrong header.
 */
public final class ReplayApp {
    public static final int EXIT_OK = 0;
    public static final int EXIT_PROBLEMS = 1;
    public static final int EXIT_USAGE = 2;

    private ReplayApp() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line and returns its exit status, without exiting. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return ReplayCommand.run(args, out, err);
    }
}
