package com.vizsprints.streams.replay;

import com.vizsprints.streams.replay.generate.GenerateApp;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;

/**
 * The replay command line. Prints each rejected row as {@code REJECTED <file>:<line>: <reason>}
 * on standard error and a summary on standard output.
 *
 * <p>Exit status: {@value #EXIT_OK} when every row was published, {@value #EXIT_PROBLEMS} when a
 * row was rejected, a send failed or the replay could not run, {@value #EXIT_USAGE} for a wrong
 * command line or an input file that is missing or has the wrong header.
 *
 * <p>{@code replay generate ...} (first argument {@code generate}) runs {@link GenerateApp}
 * instead, which writes synthetic input files.
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
        if (args.length > 0 && args[0].equals("generate")) {
            return GenerateApp.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (ReplayArgs.wantsHelp(args)) {
            out.println(ReplayArgs.USAGE);
            return EXIT_OK;
        }
        ReplayOptions options;
        try {
            options = ReplayArgs.parse(args);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println(ReplayArgs.USAGE);
            return EXIT_USAGE;
        }
        ReplayListener listener = new ReplayListener() {
            @Override
            public void rejected(RejectedRow row) {
                err.println("REJECTED " + row);
            }

            @Override
            public void info(String message) {
                out.println(message);
            }
        };
        try {
            ReplaySummary summary = ReplayTool.run(options, listener);
            summary.report().forEach(out::println);
            return summary.clean() ? EXIT_OK : EXIT_PROBLEMS;
        } catch (BadHeaderException e) {
            err.println("error: " + e.getMessage());
            return EXIT_USAGE;
        } catch (NoSuchFileException e) {
            err.println("error: " + e.getReason() + ": " + e.getFile());
            return EXIT_USAGE;
        } catch (IOException e) {
            err.println("error: cannot read the input: " + e);
            return EXIT_PROBLEMS;
        } catch (ReplayException e) {
            err.println("error: " + e.getMessage());
            return EXIT_PROBLEMS;
        } catch (RuntimeException e) {
            err.println("error: replay failed: " + e);
            return EXIT_PROBLEMS;
        }
    }
}
