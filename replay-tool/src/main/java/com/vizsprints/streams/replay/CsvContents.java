package com.vizsprints.streams.replay;

import java.util.List;

/** All the records and rejected rows of a file, in file order. */
public record CsvContents<T>(List<T> records, List<RejectedRow> rejected) {
    public CsvContents {
        records = List.copyOf(records);
        rejected = List.copyOf(rejected);
    }
}
