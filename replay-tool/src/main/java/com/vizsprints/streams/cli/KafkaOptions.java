package com.vizsprints.streams.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The Kafka client properties every client of a command gets (Streams, Admin, producer): the
 * {@code kafka.}-prefixed keys of the {@code --config} file, overridden by the entries of the
 * {@code --kafka-config} file (a plain Kafka client properties file, as Kafka's own tools take).
 */
public final class KafkaOptions {
    /** Prefix of the Kafka client properties in the --config file, e.g. kafka.security.protocol. */
    public static final String CONFIG_PREFIX = "kafka.";

    @Mixin
    ConfigOption config = new ConfigOption();

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "Kafka client properties file (security.protocol, sasl.*, ssl.*, ...) for every Kafka client;"
                    + " overrides the kafka.* keys of --config.")
    Path kafkaConfig;

    public Path configFile() {
        return config.file();
    }

    /**
     * The client properties, in key order.
     *
     * @throws IllegalArgumentException naming the option whose file cannot be read
     */
    public Map<String, String> clientProperties() {
        return clientProperties(config.file(), kafkaConfig);
    }

    public static Map<String, String> clientProperties(Path configFile, Path kafkaConfigFile) {
        Map<String, String> result = new TreeMap<>();
        if (configFile != null) {
            Properties p = Cli.readProperties(configFile, Cli.CONFIG_OPTION);
            for (String key : p.stringPropertyNames()) {
                if (key.startsWith(CONFIG_PREFIX) && key.length() > CONFIG_PREFIX.length()) {
                    result.put(key.substring(CONFIG_PREFIX.length()), p.getProperty(key).trim());
                }
            }
        }
        if (kafkaConfigFile != null) {
            Properties p = Cli.readProperties(kafkaConfigFile, "--kafka-config");
            p.stringPropertyNames().forEach(k -> result.put(k, p.getProperty(k).trim()));
        }
        return Collections.unmodifiableMap(result);
    }
}
