package com.vizsprints.streams.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The launcher's Main (or another main class) in a child JVM with this JVM's class path,
 * its output (stdout and stderr) written to a log file, its Kafka and library logs (logback) to
 * {@code NAME.kafka.log} beside it. Used by {@code vizsprints cluster}, the
 * benchmark, and the tests whose failure is a process failure (SIGKILL, SIGTERM).
 */
public final class ChildJvm implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * The launcher's main class by name: naming it here instead of referring to {@code Main.class}
     * keeps the commands that start children (bench, cluster) free of a dependency cycle with Main.
     */
    public static final String LAUNCHER_MAIN = "com.vizsprints.streams.app.Main";

    /** Starts {@code java -cp <this class path> com.vizsprints.streams.app.Main <mainArgs>}; the log is overwritten. */
    static ChildJvm start(String name, Path log, List<String> mainArgs) throws IOException {
        return start(name, log, List.of(), LAUNCHER_MAIN, mainArgs);
    }

    /** Starts {@code java <jvmOptions> -cp <this class path> <mainClass> <args>}; the log is overwritten. */
    public static ChildJvm start(String name, Path log, List<String> jvmOptions, String mainClass, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        String home = System.getProperty(DemoCommand.HOME_PROPERTY);
        if (home != null) {
            cmd.add("-D" + DemoCommand.HOME_PROPERTY + "=" + home);
        }
        // The child's console goes to `log`; its Kafka and library logs to a file of its own beside it.
        if (jvmOptions.stream().noneMatch(o -> o.startsWith("-D" + LogFile.FILE_PROPERTY + "="))) {
            cmd.add("-D" + LogFile.FILE_PROPERTY + "=" + LogFile.besideConsoleLog(log));
        }
        String format = System.getProperty(LogFile.FORMAT_PROPERTY);
        if (format != null && jvmOptions.stream().noneMatch(o -> o.startsWith("-D" + LogFile.FORMAT_PROPERTY + "="))) {
            cmd.add("-D" + LogFile.FORMAT_PROPERTY + "=" + format);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ChildJvm(name, p, log);
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit status; only valid once {@link #isAlive()} is false. */
    public int exitValue() {
        return process.exitValue();
    }

    /**
     * Waits until the log holds a line containing {@code marker}, and returns that line.
     *
     * @throws IllegalStateException when the process exits first or the timeout passes
     */
    public String awaitLine(String marker, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = findLine(marker);
            if (line != null) {
                return line;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with status " + process.exitValue()
                    + " before printing '" + marker + "' (log " + log + "):\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not print '" + marker + "' within "
                    + timeout.toSeconds() + " s (log " + log + "):\n" + tail());
            }
            Thread.sleep(100);
        }
    }

    private String findLine(String marker) throws IOException {
        if (!Files.exists(log)) {
            return null;
        }
        for (String line : read().split("\\R")) {
            if (line.contains(marker)) {
                return line;
            }
        }
        return null;
    }

    /** The last 20 lines of the log. */
    String tail() throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        String[] lines = read().split("\\R");
        return String.join(System.lineSeparator(), List.of(lines).subList(Math.max(0, lines.length - 20), lines.length));
    }

    private String read() throws IOException {
        try (InputStream in = Files.newInputStream(log)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** SIGKILL, and wait for the process to be gone: no shutdown hook, no flush, no commit. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, without waiting for the process to finish its shutdown. */
    public void terminate() {
        process.destroy();
    }

    /** SIGTERM, and wait for the process to exit. */
    public void stop() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    /** Kills the process if it is still running. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /**
     * Stops the children together: SIGTERM to all (their shutdown hooks run), then SIGKILL to those
     * that have not exited within {@code grace}.
     */
    public static void stopAll(List<ChildJvm> children, Duration grace) throws InterruptedException {
        for (ChildJvm c : children) {
            if (c.process.isAlive()) {
                c.process.destroy();
            }
        }
        long deadline = System.nanoTime() + grace.toNanos();
        for (ChildJvm c : children) {
            long left = Math.max(0, deadline - System.nanoTime());
            if (!c.process.waitFor(left, TimeUnit.NANOSECONDS)) {
                c.process.destroyForcibly();
            }
        }
        for (ChildJvm c : children) {
            c.process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", log " + log + ")";
    }
}
