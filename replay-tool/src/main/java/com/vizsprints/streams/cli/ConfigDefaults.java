package com.vizsprints.streams.cli;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.Map;
import java.util.Properties;

/**
 * Option values not given on the command line: the environment variable VIZSPRINTS_&lt;OPTION&gt;,
 * else the config file's key {@code <command>.<option>} or {@code <option>} (without dashes, e.g.
 * {@code bootstrap-servers=kafka:9092} or {@code serve.port=5000}), else the option's own default.
 */
final class ConfigDefaults implements IDefaultValueProvider {
    private final Map<String, String> env;
    private final Properties config;

    ConfigDefaults(Map<String, String> env, Properties config) {
        this.env = env;
        this.config = config;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
            return null;
        }
        String name = option.longestName().replaceFirst("^-+", "");
        String fromEnv = env.get(Cli.envName(name));
        if (fromEnv != null) {
            return fromEnv;
        }
        if (Cli.CONFIG_OPTION.equals(option.longestName())) {
            return null;
        }
        String command = option.command() == null ? null : option.command().name();
        if (command != null && config.getProperty(command + "." + name) != null) {
            return config.getProperty(command + "." + name);
        }
        String value = config.getProperty(name);
        return value != null ? value : option.defaultValue();
    }
}
