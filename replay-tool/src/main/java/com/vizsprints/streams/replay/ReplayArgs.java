package com.vizsprints.streams.replay;

import com.vizsprints.streams.processor.schema.Topics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/**
 * Parses the replay command line: {@code --flag value} or {@code --flag=value}, each flag at
 * most once. A value that starts with {@code --} must be given as {@code --flag=value}.
 */
public final class ReplayArgs {
    static final String BOOTSTRAP_SERVERS = "--bootstrap-servers";
    static final String USERS = "--users";
    static final String EVENTS = "--events";
    static final String PARTITIONS = "--partitions";
    static final String REPLICATION_FACTOR = "--replication-factor";
    static final String USERS_TOPIC = "--users-topic";
    static final String EVENTS_TOPIC = "--events-topic";
    static final String RATE = "--rate";
    static final String USERS_AFTER_EVENTS = "--users-after-events";
    /** Flags without a value. */
    static final List<String> SWITCHES = List.of(USERS_AFTER_EVENTS);
    static final List<String> FLAGS =
            List.of(BOOTSTRAP_SERVERS, USERS, EVENTS, PARTITIONS, REPLICATION_FACTOR, USERS_TOPIC, EVENTS_TOPIC, RATE);

    public static final String USAGE = String.join(System.lineSeparator(),
            "usage: replay --bootstrap-servers HOST:PORT [--users users.csv] [--events events.csv]",
            "              [--partitions N] [--replication-factor R] [--users-topic T] [--events-topic T] [--rate N]",
            "              [--users-after-events]",
            "Publishes users.csv, then events.csv (or the reverse), to Kafka (key user_id, JSON values); give at least one file.",
            "  --bootstrap-servers  Kafka bootstrap servers, host:port[,host:port...]",
            "  --users, --events    the input files",
            "  --partitions         partitions of each topic the tool creates (default "
                    + ReplayOptions.DEFAULT_PARTITIONS + ")",
            "  --replication-factor replication factor of each topic the tool creates (default "
                    + ReplayOptions.DEFAULT_REPLICATION_FACTOR + ")",
            "  --users-topic        default " + Topics.DEFAULT_USERS,
            "  --events-topic       default " + Topics.DEFAULT_EVENTS,
            "  --rate               at most this many records per second (default: unlimited)",
            "  --users-after-events publish events.csv first, then users.csv",
            "Exit status: 0 all rows published, 1 rows rejected or sends failed, 2 usage error.");

    private ReplayArgs() {
    }

    /** True when the arguments ask for help. */
    public static boolean wantsHelp(String[] args) {
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The options the arguments ask for.
     *
     * @throws UsageException naming the flag or file at fault
     */
    public static ReplayOptions parse(String[] args) throws UsageException {
        Map<String, String> values = CommandLineFlags.parse(args, FLAGS, SWITCHES);
        String bootstrap = values.get(BOOTSTRAP_SERVERS);
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new UsageException("missing " + BOOTSTRAP_SERVERS);
        }
        Path users = inputFile(values, USERS);
        Path events = inputFile(values, EVENTS);
        if (users == null && events == null) {
            throw new UsageException("give " + USERS + ", " + EVENTS + " or both");
        }
        int partitions = positiveInt(values, PARTITIONS, ReplayOptions.DEFAULT_PARTITIONS, Integer.MAX_VALUE);
        int replicationFactor = positiveInt(values, REPLICATION_FACTOR, ReplayOptions.DEFAULT_REPLICATION_FACTOR,
                Short.MAX_VALUE);
        String usersTopic = topic(values, USERS_TOPIC, Topics.DEFAULT_USERS);
        String eventsTopic = topic(values, EVENTS_TOPIC, Topics.DEFAULT_EVENTS);
        if (usersTopic.equals(eventsTopic)) {
            throw new UsageException(USERS_TOPIC + " and " + EVENTS_TOPIC + " must differ, both are " + usersTopic);
        }
        int rate = values.containsKey(RATE) ? positiveInt(values, RATE, 0, Integer.MAX_VALUE) : 0;
        return new ReplayOptions(bootstrap, users, events, partitions, replicationFactor,
                new Topics(usersTopic, eventsTopic, Topics.DEFAULT_DEAD_LETTER), rate, values.containsKey(USERS_AFTER_EVENTS));
    }

    private static Path inputFile(Map<String, String> values, String flag) throws UsageException {
        String value = values.get(flag);
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            throw new UsageException(flag + " needs a file name");
        }
        Path file = Paths.get(value);
        if (!Files.exists(file)) {
            throw new UsageException(flag + " file not found: " + value);
        }
        if (!Files.isRegularFile(file)) {
            throw new UsageException(flag + " is not a regular file: " + value);
        }
        if (!Files.isReadable(file)) {
            throw new UsageException(flag + " file is not readable: " + value);
        }
        return file;
    }

    private static int positiveInt(Map<String, String> values, String flag, int defaultValue, int max)
            throws UsageException {
        String value = values.get(flag);
        if (value == null) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(flag + " must be a whole number from 1 to " + max + ", got '" + value + "'");
    }

    private static String topic(Map<String, String> values, String flag, String defaultValue) throws UsageException {
        String value = values.getOrDefault(flag, defaultValue);
        if (value.isBlank()) {
            throw new UsageException(flag + " needs a topic name");
        }
        return value;
    }
}
