package com.vizsprints.streams.replay;

import java.util.Objects;

/**
 * A data row of an input file that was not published.
 *
 * @param file   the file as it was named to the tool
 * @param line   1-based physical line number where the row starts in the file
 * @param reason why the row was rejected, readable by a person
 */
public record RejectedRow(String file, long line, String reason) {
    public RejectedRow {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(reason, "reason");
    }

    /** {@code <file>:<line>: <reason>}, the form the command line prints. */
    @Override
    public String toString() {
        return file + ":" + line + ": " + reason;
    }
}
