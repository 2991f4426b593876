package com.vizsprints.streams.replay.generate;

import com.vizsprints.streams.cli.Cli;
import com.vizsprints.streams.cli.ConfigOption;
import com.vizsprints.streams.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code replay generate}: writes synthetic users.csv and events.csv (see {@link DataGenerator}).
 * Exit status 0 when the files were written, 1 when writing failed, 2 for a wrong command line
 * (the message names the option).
 */
@Command(name = "generate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = "Writes a synthetic DIR/users.csv and DIR/events.csv shaped like the sample data (2023).",
        footer = "Exit status: 0 written, 1 writing failed, 2 usage error.")
public final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--users", paramLabel = "N", description = "number of users, 1 to " + DataGenerator.MAX_USERS
            + " (about 15 events each); required")
    Integer users;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory, created if missing; existing users.csv/events.csv"
            + " are replaced; required")
    Path out;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "" + GeneratorOptions.DEFAULT_SEED,
            description = "random seed (default ${DEFAULT-VALUE}); the same seed and options give identical files")
    long seed;

    @Option(names = "--shuffle", description = "events in random order (the same rows as without it) instead of time order")
    boolean shuffle;

    @Mixin
    ConfigOption config = new ConfigOption();

    private final PrintStream stdout;
    private final PrintStream stderr;

    public GenerateCommand() {
        this(System.out, System.err);
    }

    public GenerateCommand(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    GeneratorOptions options() {
        if (users == null) {
            throw Cli.usage(spec, "Missing required option: '--users'");
        }
        if (users < 1 || users > DataGenerator.MAX_USERS) {
            throw Cli.usage(spec, "--users must be a whole number from 1 to " + DataGenerator.MAX_USERS + ", got '" + users + "'");
        }
        if (out == null) {
            throw Cli.usage(spec, "Missing required option: '--out'");
        }
        if (out.toString().isBlank()) {
            throw Cli.usage(spec, "--out needs a directory name");
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw Cli.usage(spec, "--out is not a directory: " + out);
        }
        return new GeneratorOptions(users, seed, out, shuffle);
    }

    @Override
    public Integer call() {
        GeneratorOptions options = options();
        long start = System.nanoTime();
        try {
            DataGenerator.Result result = DataGenerator.generate(options);
            double seconds = (System.nanoTime() - start) / 1e9;
            stdout.println(String.format(Locale.ROOT, "generated %d users and %d events in %s (%.1f s)",
                    result.users(), result.events(), options.out(), seconds));
            return Cli.EXIT_OK;
        } catch (IOException | RuntimeException e) {
            stderr.println("error: generation failed: " + e);
            return Cli.EXIT_FAILED;
        }
    }
}
