package com.vizsprints.streams.app;

import com.vizsprints.streams.app.bench.BenchCommand;
import com.vizsprints.streams.app.broker.BrokerCommand;
import com.vizsprints.streams.cli.Cli;
import com.vizsprints.streams.cli.VersionProvider;
import com.vizsprints.streams.replay.ReplayCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The {@code vizsprints} launcher: one entry point, one subcommand per role, all on picocli.
 * Options come from the command line, else VIZSPRINTS_&lt;OPTION&gt; environment variables, else the
 * {@code --config FILE} properties file, else their defaults. Exit status 0 (also for --help and
 * --version), 1 when the command failed, 2 on a usage error.
 */
@Command(name = "vizsprints", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "VizSprints Streams: real-time analytics on Kafka Streams.",
        footer = {"", "Run 'vizsprints COMMAND --help' for a command's options.",
                "Precedence of settings: command line > environment (VIZSPRINTS_<OPTION>) > --config file > default."})
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.getenv(), out, err);
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return Cli.execute(commandLine(env, out, err), args, env, out, err);
    }

    /** The command tree; {@code replay} and {@code replay generate} come from the replay tool. */
    static CommandLine commandLine(Map<String, String> env, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main())
                .addSubcommand(new CommandLine.HelpCommand())
                .addSubcommand(new DemoCommand(out))
                .addSubcommand(new BrokerCommand(out, err))
                .addSubcommand(new ClusterCommand(out))
                .addSubcommand(new ServeCommand(out))
                .addSubcommand(new BenchCommand(out))
                .addSubcommand("replay", ReplayCommand.create(env, out, err));
        // As with the launcher's earlier parser, a repeated option of these commands takes its last value
        // (the replay tool always refused repeats, and still does).
        for (String name : List.of("demo", "broker", "cluster", "serve", "bench")) {
            cl.getSubcommands().get(name).setOverwrittenOptionsAllowed(true);
        }
        return cl;
    }

    @Override
    public void run() {
        throw Cli.usage(spec, "Missing required subcommand: one of demo, broker, cluster, serve, bench, replay");
    }
}
