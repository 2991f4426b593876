package com.vizsprints.streams.replay.generate;

import com.vizsprints.streams.replay.ReplayCommand;

import java.io.PrintStream;

/**
 * Entry point of {@code replay generate} on its own; the command is {@link GenerateCommand}.
 *
 * <p>Exit status: {@value #EXIT_OK} when the files were written, {@value #EXIT_FAILED} when
 * writing failed, {@value #EXIT_USAGE} for a wrong command line (the message names the option).
 */
public final class GenerateApp {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    private GenerateApp() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line and returns its exit status, without exiting. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String[] withCommand = new String[args.length + 1];
        withCommand[0] = "generate";
        System.arraycopy(args, 0, withCommand, 1, args.length);
        return ReplayCommand.run(withCommand, out, err);
    }
}
