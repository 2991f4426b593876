package com.vizsprints.streams.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;

/**
 * The log file of this JVM (logback.xml's file appender: Kafka, broker and library logs, and the
 * application's own log lines), so that the commands can name it on the console. Its place is
 * {@value #FILE_PROPERTY} (or {@code VIZSPRINTS_LOG_FILE}), by default
 * {@code .vizsprints/logs/vizsprints.log} in the working directory; {@value #FORMAT_PROPERTY}{@code =json}
 * (or {@code VIZSPRINTS_LOG_FORMAT=json}) writes JSON lines.
 */
public final class LogFile {
    public static final String FILE_PROPERTY = "vizsprints.log.file";
    public static final String FORMAT_PROPERTY = "vizsprints.log.format";

    private LogFile() {
    }

    /** The absolute path of the file the root logger writes to; empty when logging goes to no file. */
    public static Optional<Path> current() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return Optional.empty();
        }
        Iterator<Appender<ILoggingEvent>> appenders = context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
        while (appenders.hasNext()) {
            if (appenders.next() instanceof FileAppender<ILoggingEvent> file && file.getFile() != null) {
                return Optional.of(Path.of(file.getFile()).toAbsolutePath().normalize());
            }
        }
        return Optional.empty();
    }

    /** "Kafka and broker logs: PATH", or a line saying there is no log file. */
    public static String consoleLine() {
        return current().map(p -> "Kafka and broker logs: " + p)
            .orElse("Kafka and broker logs: no log file (see the logging configuration)");
    }

    /**
     * The log file of a child JVM whose console output goes to {@code consoleLog}: beside it, named
     * {@code NAME.kafka.log} for {@code NAME.log}.
     */
    public static Path besideConsoleLog(Path consoleLog) {
        String name = consoleLog.getFileName().toString();
        String stem = name.endsWith(".log") ? name.substring(0, name.length() - ".log".length()) : name;
        return consoleLog.toAbsolutePath().normalize().resolveSibling(stem + ".kafka.log");
    }
}
