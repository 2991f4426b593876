package com.vizsprints.streams.replay;

/**
 * How many data rows a pass over a file saw.
 *
 * @param rowsRead rows read, valid or not (blank lines are not rows)
 * @param accepted rows that became records
 * @param rejected rows that did not
 */
public record CsvReadCounts(long rowsRead, long accepted, long rejected) {
}
