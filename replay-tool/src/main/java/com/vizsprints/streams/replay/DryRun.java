package com.vizsprints.streams.replay;

import com.vizsprints.streams.cli.Cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code replay --dry-run}: reads both files as a replay would, with no broker, printing every
 * rejected row as {@code file:line: reason} on standard error and a summary on standard output.
 * Exit status 0 when every row is valid, 1 when rows were rejected, 2 for a missing file or a wrong header.
 */
final class DryRun {
    private DryRun() {
    }

    static int run(ReplayOptions options, PrintStream out, PrintStream err) {
        long rejected = 0;
        try {
            ReplayTool.checkInputs(options);
            if (options.usersFile() != null) {
                rejected += validate(options.usersFile(), UsersCsv.LAYOUT, out, err);
            }
            if (options.eventsFile() != null) {
                rejected += validate(options.eventsFile(), EventsCsv.LAYOUT, out, err);
            }
        } catch (BadHeaderException e) {
            err.println("error: " + e.getMessage());
            return Cli.EXIT_USAGE;
        } catch (NoSuchFileException e) {
            err.println("error: " + e.getReason() + ": " + e.getFile());
            return Cli.EXIT_USAGE;
        } catch (IOException e) {
            err.println("error: cannot read the input: " + e);
            return Cli.EXIT_FAILED;
        }
        out.println(rejected == 0 ? "dry run: every row is valid; nothing was sent"
                : String.format(Locale.ROOT, "dry run: %,d rows rejected; nothing was sent", rejected));
        return rejected == 0 ? Cli.EXIT_OK : Cli.EXIT_FAILED;
    }

    private static long validate(Path file, CsvLayout<?> layout, PrintStream out, PrintStream err) throws IOException {
        long[] counts = {0, 0};
        CsvRecords.read(file, layout, record -> counts[0]++, row -> {
            counts[1]++;
            err.println(row);
        });
        out.println(String.format(Locale.ROOT, "%s: %,d rows, %,d valid, %,d rejected", file, counts[0] + counts[1],
                counts[0], counts[1]));
        return counts[1];
    }
}
