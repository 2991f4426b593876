package com.vizsprints.streams.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Runs a picocli command the way every {@code vizsprints} command runs: options from the command
 * line, else from the environment ({@code VIZSPRINTS_<OPTION>}), else from the {@code --config FILE}
 * properties file, else their defaults. Exit status 0 on success (and for {@code --help} and
 * {@code --version}), 1 when the command failed, 2 on a usage error, whose message names the option.
 */
public final class Cli {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;
    /** Prefix of the environment variables that set options: {@code --bootstrap-servers} is VIZSPRINTS_BOOTSTRAP_SERVERS. */
    public static final String ENV_PREFIX = "VIZSPRINTS_";
    public static final String CONFIG_OPTION = "--config";

    private Cli() {
    }

    /** The environment variable that sets an option, e.g. {@code --bootstrap-servers} -> VIZSPRINTS_BOOTSTRAP_SERVERS. */
    public static String envName(String option) {
        return ENV_PREFIX + option.replaceFirst("^-+", "").toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    /** Runs {@code command} (a picocli {@code @Command} object or a CommandLine) with {@code args}; returns the exit status. */
    public static int execute(Object command, String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        CommandLine cl = commandLine(command, env, out, err);
        try {
            withDefaults(cl, args, env);
        } catch (IllegalArgumentException e) {
            err.println(cl.getCommandName() + ": " + e.getMessage());
            return EXIT_USAGE;
        }
        return cl.execute(args);
    }

    /**
     * Gives {@code cl} (and its subcommands) their defaults from {@code env} and the config file
     * that {@code args} or VIZSPRINTS_CONFIG name.
     *
     * @throws IllegalArgumentException when the config file cannot be read
     */
    public static CommandLine withDefaults(CommandLine cl, String[] args, Map<String, String> env) {
        cl.setDefaultValueProvider(new ConfigDefaults(env, loadConfig(configFile(args, env))));
        return cl;
    }

    /** The command line object with vizsprints' settings but no default value provider (for parsing in tests). */
    public static CommandLine commandLine(Object command, Map<String, String> env, PrintStream out, PrintStream err) {
        CommandLine cl = command instanceof CommandLine given ? given : new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter w = c.getErr();
            w.println(qualifiedName(c) + ": " + ex.getMessage());
            w.println("Try '" + qualifiedName(c) + " --help' for more information.");
            w.flush();
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            PrintWriter w = c.getErr();
            w.println(qualifiedName(c) + " failed: " + KafkaErrors.describe(ex));
            w.flush();
            return EXIT_FAILED;
        });
        return cl;
    }

    static String qualifiedName(CommandLine c) {
        return c.getCommandSpec().qualifiedName(" ");
    }

    /** A usage error of {@code spec}'s command: exit status 2, the message printed with a hint to --help. */
    public static ParameterException usage(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** The --config file named on the command line (first occurrence), else by VIZSPRINTS_CONFIG; null for none. */
    static Path configFile(String[] args, Map<String, String> env) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(CONFIG_OPTION) && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith(CONFIG_OPTION + "=")) {
                return Path.of(args[i].substring(CONFIG_OPTION.length() + 1));
            }
        }
        String fromEnv = env.get(envName(CONFIG_OPTION));
        return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv);
    }

    /** The properties in {@code file}; empty for null. */
    public static Properties loadConfig(Path file) {
        Properties p = new Properties();
        if (file == null) {
            return p;
        }
        return readProperties(file, CONFIG_OPTION);
    }

    /** Reads a properties file; an IllegalArgumentException naming {@code option} when it cannot. */
    public static Properties readProperties(Path file, String option) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(option + " " + file + ": no such file");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " " + file + ": cannot read it: " + e.getMessage());
        }
        return p;
    }
}
