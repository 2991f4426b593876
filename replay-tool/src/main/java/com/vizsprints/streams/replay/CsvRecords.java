package com.vizsprints.streams.replay;

import com.vizsprints.streams.processor.model.Timestamps;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Reads an input file of a given {@link CsvLayout} row by row, without holding it in memory. */
public final class CsvRecords {
    private CsvRecords() {
    }

    /**
     * Streams the rows of {@code file} in file order: each valid row goes to {@code onRecord} as a
     * record whose position is its zero-based index among the valid rows; each malformed row
     * goes to {@code onRejected}, and reading goes on after it.
     *
     * @throws BadHeaderException when the file is empty or does not start with the layout's header
     * @throws IOException        when the file cannot be read
     */
    public static <T> CsvReadCounts read(Path file, CsvLayout<T> layout, Consumer<? super T> onRecord,
                                         Consumer<? super RejectedRow> onRejected) throws IOException {
        String name = file.toString();
        long[] accepted = {0};
        long[] rejected = {0};
        CsvRowReader.RowHandler handler = new CsvRowReader.RowHandler() {
            @Override
            public void row(long line, List<String> values) {
                List<String> problems = layout.problems(values);
                if (problems.isEmpty()) {
                    onRecord.accept(layout.toRecord(values, accepted[0]++));
                } else {
                    rejected(line, String.join("; ", problems));
                }
            }

            @Override
            public void rejected(long line, String reason) {
                rejected[0]++;
                onRejected.accept(new RejectedRow(name, line, reason));
            }
        };
        try (CsvRowReader rows = CsvRowReader.open(file, describe(layout, name), layout.columns())) {
            while (rows.next(handler)) {
                // each call hands one row to the handler
            }
        }
        return new CsvReadCounts(accepted[0] + rejected[0], accepted[0], rejected[0]);
    }

    /** Reads the whole of a (small) file into memory. */
    public static <T> CsvContents<T> readAll(Path file, CsvLayout<T> layout) throws IOException {
        List<T> records = new ArrayList<>();
        List<RejectedRow> rejected = new ArrayList<>();
        read(file, layout, records::add, rejected::add);
        return new CsvContents<>(records, rejected);
    }

    /**
     * Checks that {@code file} can be opened and starts with the layout's header, without
     * reading further.
     *
     * @throws BadHeaderException when it does not
     */
    public static void checkHeader(Path file, CsvLayout<?> layout) throws IOException {
        CsvRowReader.open(file, describe(layout, file.toString()), layout.columns()).close();
    }

    /** The problem with a timestamp column's value, or null when it is a valid timestamp. */
    static String timestampProblem(String column, String value) {
        try {
            Timestamps.parseNanos(value);
            return null;
        } catch (IllegalArgumentException e) {
            return "bad " + column + ": " + e.getMessage();
        }
    }

    /**
     * A blank field, i.e. an empty one ({@code ,,} or {@code ,"",}), is a missing value, as
     * pandas reads it (NaN): null. Any other value is kept as written.
     */
    static String missingIfEmpty(String value) {
        return value.isEmpty() ? null : value;
    }

    private static String describe(CsvLayout<?> layout, String file) {
        return layout.name() + " file " + file;
    }
}
