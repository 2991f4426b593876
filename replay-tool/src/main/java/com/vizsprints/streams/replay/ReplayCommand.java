package com.vizsprints.streams.replay;

import com.vizsprints.streams.cli.Cli;
import com.vizsprints.streams.cli.KafkaErrors;
import com.vizsprints.streams.cli.KafkaOptions;
import com.vizsprints.streams.cli.VersionProvider;
import com.vizsprints.streams.processor.config.ProcessorConfig;
import com.vizsprints.streams.processor.schema.Topics;
import com.vizsprints.streams.replay.generate.GenerateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code replay}: publishes users.csv, then events.csv, into the input topics. Prints each rejected
 * row as {@code REJECTED <file>:<line>: <reason>} on standard error, progress every couple of seconds
 * on standard error, and a summary on standard output. {@code --dry-run} only validates the files.
 *
 * <p>Exit status: 0 every row published (dry run: every row valid), 1 rows rejected, a send failed or
 * the replay could not run, 2 usage error (including an input file that is missing or has the wrong header).
 */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {"Publishes users.csv, then events.csv (or the reverse), to Kafka (key user_id, JSON values);"
                + " give at least one file."},
        footer = {"Exit status: 0 all rows published (--dry-run: all rows valid), 1 rows rejected or sends failed, 2 usage error.",
                "Every option can also be set as VIZSPRINTS_<OPTION> (e.g. VIZSPRINTS_BOOTSTRAP_SERVERS) or in the --config file."})
public final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", description = "Kafka bootstrap servers (not needed with --dry-run)")
    String bootstrapServers;

    @Option(names = "--users", paramLabel = "FILE", description = "users.csv to publish")
    Path users;

    @Option(names = "--events", paramLabel = "FILE", description = "events.csv to publish")
    Path events;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "" + ReplayOptions.DEFAULT_PARTITIONS,
            description = "partitions of each topic the tool creates (default: ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--replication-factor", paramLabel = "R", defaultValue = "" + ReplayOptions.DEFAULT_REPLICATION_FACTOR,
            description = "replication factor of each topic the tool creates (default: ${DEFAULT-VALUE})")
    int replicationFactor;

    @Option(names = "--users-topic", paramLabel = "TOPIC", defaultValue = Topics.DEFAULT_USERS, description = "default: ${DEFAULT-VALUE}")
    String usersTopic;

    @Option(names = "--events-topic", paramLabel = "TOPIC", defaultValue = Topics.DEFAULT_EVENTS, description = "default: ${DEFAULT-VALUE}")
    String eventsTopic;

    @Option(names = "--rate", paramLabel = "N", description = "at most N records per second (default: unlimited)")
    Integer rate;

    @Option(names = "--speed", paramLabel = "X",
            description = "replay events in event time X times faster than real time, keeping the gaps between events")
    Double speed;

    @Option(names = "--max-lag", paramLabel = "N|TIME",
            description = "publish only while the application has less than N records (5000) or TIME (250ms, 2s) of records"
                    + " left to process (backpressure: dashboards stay fresh during a replay at full speed; default: no limit)")
    String maxLag;

    @Option(names = "--application-id", paramLabel = "ID", defaultValue = ProcessorConfig.DEFAULT_APPLICATION_ID,
            description = "the application whose lag --max-lag watches (its application.id; default: ${DEFAULT-VALUE})")
    String applicationId;

    @Option(names = "--users-after-events", description = "publish events.csv first, then users.csv")
    boolean usersAfterEvents;

    @Option(names = "--no-create-topics",
            description = "do not create topics (ACLs forbid it): check that they exist and are co-partitioned")
    boolean noCreateTopics;

    @Option(names = "--dry-run", description = "validate both files without any broker; print every rejected row and a summary")
    boolean dryRun;

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    public ReplayCommand() {
        this(System.getenv(), System.out, System.err);
    }

    public ReplayCommand(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    /** Runs the replay command line and returns its exit status, without exiting. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.getenv(), out, err);
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return Cli.execute(create(env, out, err), args, env, out, err);
    }

    /** {@code replay} with its subcommand {@code generate}, writing to {@code out} and {@code err}. */
    public static CommandLine create(Map<String, String> env, PrintStream out, PrintStream err) {
        return new CommandLine(new ReplayCommand(env, out, err)).addSubcommand(new GenerateCommand(out, err));
    }

    /**
     * The options {@code args} ask for (no environment, no config file), for tests and for checking
     * scripts against the real flags.
     *
     * @throws UsageException naming the option at fault
     */
    public static ReplayOptions parse(String[] args) throws UsageException {
        PrintStream nowhere = new PrintStream(PrintStream.nullOutputStream());
        ReplayCommand command = new ReplayCommand(Map.of(), nowhere, nowhere);
        try {
            Cli.commandLine(command, Map.of(), nowhere, nowhere).parseArgs(args);
            return command.options();
        } catch (CommandLine.ParameterException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The validated options; usage errors name the option. */
    ReplayOptions options() {
        if (!dryRun && (bootstrapServers == null || bootstrapServers.isBlank())) {
            throw Cli.usage(spec, "Missing required option: '--bootstrap-servers' (or --dry-run)");
        }
        checkFile(users, "--users");
        checkFile(events, "--events");
        if (users == null && events == null) {
            throw Cli.usage(spec, "give --users, --events or both");
        }
        positive("--partitions", partitions, Integer.MAX_VALUE);
        positive("--replication-factor", replicationFactor, Short.MAX_VALUE);
        if (rate != null) {
            positive("--rate", rate, Integer.MAX_VALUE);
        }
        if (speed != null && !(speed > 0 && speed < Double.POSITIVE_INFINITY)) {
            throw Cli.usage(spec, "--speed must be a positive number, got '" + speed + "'");
        }
        if (applicationId.isBlank()) {
            throw Cli.usage(spec, "--application-id needs an application id");
        }
        Backpressure backpressure;
        try {
            backpressure = maxLag == null ? Backpressure.NONE : Backpressure.parse(applicationId, maxLag);
        } catch (IllegalArgumentException e) {
            throw Cli.usage(spec, "--max-lag: " + e.getMessage());
        }
        if (usersTopic.isBlank() || eventsTopic.isBlank()) {
            throw Cli.usage(spec, (usersTopic.isBlank() ? "--users-topic" : "--events-topic") + " needs a topic name");
        }
        if (usersTopic.equals(eventsTopic)) {
            throw Cli.usage(spec, "--users-topic and --events-topic must differ, both are " + usersTopic);
        }
        Map<String, String> client;
        try {
            client = kafka.clientProperties();
        } catch (IllegalArgumentException e) {
            throw Cli.usage(spec, e.getMessage());
        }
        return new ReplayOptions(dryRun && bootstrapServers == null ? "none" : bootstrapServers, users, events, partitions,
                replicationFactor, new Topics(usersTopic, eventsTopic, Topics.DEFAULT_DEAD_LETTER), rate == null ? 0 : rate,
                usersAfterEvents, client, !noCreateTopics, speed == null ? 0 : speed,
                backpressure);
    }

    private void checkFile(Path file, String option) {
        if (file == null) {
            return;
        }
        if (file.toString().isBlank()) {
            throw Cli.usage(spec, option + " needs a file name");
        }
        if (!Files.exists(file)) {
            throw Cli.usage(spec, option + " file not found: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw Cli.usage(spec, option + " is not a regular file: " + file);
        }
        if (!Files.isReadable(file)) {
            throw Cli.usage(spec, option + " file is not readable: " + file);
        }
    }

    private void positive(String option, int value, int max) {
        if (value < 1 || value > max) {
            throw Cli.usage(spec, option + " must be a whole number from 1 to " + max + ", got '" + value + "'");
        }
    }

    @Override
    public Integer call() {
        ReplayOptions options = options();
        if (dryRun) {
            return DryRun.run(options, out, err);
        }
        ProgressPrinter printer = new ProgressPrinter(err, err == System.err && System.console() != null);
        ReplayListener listener = new ReplayListener() {
            @Override
            public void rejected(RejectedRow row) {
                printer.println("REJECTED " + row);
            }

            @Override
            public void info(String message) {
                out.println(message);
            }

            @Override
            public void started(ReplayProgress progress) {
                printer.start(progress);
            }
        };
        try {
            ReplaySummary summary = ReplayTool.run(options, listener);
            printer.stop();
            summary.report().forEach(out::println);
            return summary.clean() ? Cli.EXIT_OK : Cli.EXIT_FAILED;
        } catch (BadHeaderException e) {
            err.println("error: " + e.getMessage());
            return Cli.EXIT_USAGE;
        } catch (NoSuchFileException e) {
            err.println("error: " + e.getReason() + ": " + e.getFile());
            return Cli.EXIT_USAGE;
        } catch (IOException e) {
            err.println("error: cannot read the input: " + e);
            return Cli.EXIT_FAILED;
        } catch (ReplayException e) {
            err.println("error: " + e.getMessage());
            return Cli.EXIT_FAILED;
        } catch (RuntimeException e) {
            err.println("error: replay failed: " + KafkaErrors.describe(e));
            return Cli.EXIT_FAILED;
        } finally {
            printer.stop();
        }
    }
}
