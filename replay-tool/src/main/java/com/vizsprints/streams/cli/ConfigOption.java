package com.vizsprints.streams.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --config FILE}: a properties file of option values and {@code kafka.*} client properties. */
public final class ConfigOption {
    @Option(names = Cli.CONFIG_OPTION, paramLabel = "FILE",
            description = "Properties file of option values (bootstrap-servers=..., serve.port=...) and kafka.* client properties."
                    + " Precedence: command line > environment (VIZSPRINTS_<OPTION>) > this file > default.")
    Path file;

    public Path file() {
        return file;
    }
}
