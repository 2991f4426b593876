package com.vizsprints.streams.replay.generate;

import com.vizsprints.streams.replay.CommandLineFlags;
import com.vizsprints.streams.replay.UsageException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code generate} command line: writes synthetic users.csv and events.csv (see
 * {@link DataGenerator}). Flags are {@code --flag value} or {@code --flag=value}, each at most
 * once. Reached as {@code replay generate ...} through
 * {@link com.vizsprints.streams.replay.ReplayApp} or directly through {@link #main(String[])}.
 *
 * <p>Exit status: {@value #EXIT_OK} when the files were written, {@value #EXIT_FAILED} when
 * writing failed, {@value #EXIT_USAGE} for a wrong command line (the message names the flag).
 */
public final class GenerateApp {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    static final String USERS = "--users";
    static final String SEED = "--seed";
    static final String OUT = "--out";
    static final String SHUFFLE = "--shuffle";
    private static final List<String> VALUE_FLAGS = List.of(USERS, SEED, OUT);

    public static final String USAGE = String.join(System.lineSeparator(),
            "usage: replay generate --users N --out DIR [--seed S] [--shuffle]",
            "Writes a synthetic DIR/users.csv and DIR/events.csv shaped like the sample data (2023).",
            "  --users    number of users, 1 to " + DataGenerator.MAX_USERS + " (about 15 events each)",
            "  --out      output directory, created if missing; existing users.csv/events.csv are replaced",
            "  --seed     random seed, a whole number (default " + GeneratorOptions.DEFAULT_SEED
                    + "); the same seed and flags give identical files",
            "  --shuffle  events in random order (the same rows as without it) instead of time order",
            "Exit status: 0 written, 1 writing failed, 2 usage error.");

    private GenerateApp() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line and returns its exit status, without exiting. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                out.println(USAGE);
                return EXIT_OK;
            }
        }
        GeneratorOptions options;
        try {
            options = parse(args);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return EXIT_USAGE;
        }
        long start = System.nanoTime();
        try {
            DataGenerator.Result result = DataGenerator.generate(options);
            double seconds = (System.nanoTime() - start) / 1e9;
            out.println(String.format(Locale.ROOT, "generated %d users and %d events in %s (%.1f s)",
                    result.users(), result.events(), options.out(), seconds));
            return EXIT_OK;
        } catch (IOException | RuntimeException e) {
            err.println("error: generation failed: " + e);
            return EXIT_FAILED;
        }
    }

    /**
     * The options the arguments ask for.
     *
     * @throws UsageException naming the flag at fault
     */
    static GeneratorOptions parse(String[] args) throws UsageException {
        Map<String, String> values = CommandLineFlags.parse(args, VALUE_FLAGS, List.of(SHUFFLE));
        boolean shuffle = values.containsKey(SHUFFLE);
        if (!values.containsKey(USERS)) {
            throw new UsageException("missing " + USERS);
        }
        int users = users(values.get(USERS));
        if (!values.containsKey(OUT)) {
            throw new UsageException("missing " + OUT);
        }
        Path out = outDir(values.get(OUT));
        long seed = seed(values.getOrDefault(SEED, Long.toString(GeneratorOptions.DEFAULT_SEED)));
        return new GeneratorOptions(users, seed, out, shuffle);
    }

    private static int users(String value) throws UsageException {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= DataGenerator.MAX_USERS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(USERS + " must be a whole number from 1 to " + DataGenerator.MAX_USERS
                + ", got '" + value + "'");
    }

    private static long seed(String value) throws UsageException {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(SEED + " must be a whole number, got '" + value + "'");
        }
    }

    private static Path outDir(String value) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException(OUT + " needs a directory name");
        }
        Path dir;
        try {
            dir = Paths.get(value);
        } catch (InvalidPathException e) {
            throw new UsageException(OUT + " is not a valid path: " + value);
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UsageException(OUT + " is not a directory: " + value);
        }
        return dir;
    }
}
