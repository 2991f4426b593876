package com.vizsprints.streams.replay;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The flag syntax of the replay tool's commands: {@code --flag value}, {@code --flag=value}, and
 * switches without a value. Each flag may be given once; anything else is a usage error naming
 * the argument at fault.
 */
public final class CommandLineFlags {
    /** The value a switch maps to when given. */
    public static final String ON = "true";

    private CommandLineFlags() {
    }

    /**
     * @param valueFlags flags that take a value
     * @param switches   flags that take none
     * @return given flag -> value ({@link #ON} for switches)
     */
    public static Map<String, String> parse(String[] args, List<String> valueFlags, List<String> switches) throws UsageException {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String flag = arg;
            String value;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                flag = arg.substring(0, equals);
                value = arg.substring(equals + 1);
                if (switches.contains(flag)) {
                    throw new UsageException(flag + " takes no value");
                }
            } else if (switches.contains(flag)) {
                value = ON;
            } else if (i + 1 < args.length && valueFlags.contains(flag) && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                value = null;
            }
            if (!valueFlags.contains(flag) && !switches.contains(flag)) {
                throw new UsageException(arg.startsWith("-") ? "unknown flag " + flag : "unexpected argument '" + arg + "'");
            }
            if (value == null) {
                throw new UsageException(flag + " needs a value");
            }
            if (values.put(flag, value) != null) {
                throw new UsageException(flag + " is given more than once");
            }
        }
        return values;
    }
}
