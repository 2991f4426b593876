package com.vizsprints.streams.replay;

import java.util.List;

/**
 * What one kind of input file looks like: its header, what makes a data row valid, and the
 * record a valid row becomes.
 *
 * @param <T> the record type of a valid row
 */
public interface CsvLayout<T> {
    /** A short name of the kind of file, used in messages ({@code users}, {@code events}). */
    String name();

    /** The exact header, which is also the number and order of columns of every row. */
    List<String> columns();

    /**
     * What is wrong with a row that has the right number of columns.
     *
     * @param values one value per column, exactly as in the file
     * @return the problems found, empty for a valid row
     */
    List<String> problems(List<String> values);

    /**
     * The record of a valid row.
     *
     * @param position zero-based index of the row among the valid rows of its file
     */
    T toRecord(List<String> values, long position);
}
