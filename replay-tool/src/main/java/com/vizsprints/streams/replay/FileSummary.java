package com.vizsprints.streams.replay;

/**
 * What became of one input file.
 *
 * @param kind         {@code users} or {@code events}
 * @param file         the file as named to the tool
 * @param topic        the topic its records went to
 * @param rowsRead     data rows read, valid or not
 * @param published    records the broker acknowledged
 * @param rejected     rows not published because they are malformed
 * @param failed       records whose send failed
 * @param firstFailure the first send failure, or null
 * @param complete     false when the replay stopped before the end of the file
 */
public record FileSummary(String kind, String file, String topic, long rowsRead, long published, long rejected,
                          long failed, String firstFailure, boolean complete) {

    /** One line for people, e.g. {@code users users.csv: 1000 rows read, 1000 published, 0 rejected, 0 failed}. */
    public String describe() {
        return kind + " " + file + ": " + rowsRead + " rows read, " + published + " published, "
                + rejected + " rejected, " + failed + " failed" + (complete ? "" : " (stopped before the end)");
    }
}
