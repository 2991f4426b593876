package com.vizsprints.streams.replay;

import com.vizsprints.streams.processor.model.EventRecord;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The layout of events.csv: {@code event_id,user_id,event_name,timestamp,metadata}. A row is
 * valid when event_id and user_id are not blank and timestamp is an ISO-8601 timestamp. An
 * empty event_name or metadata is a missing value, as pandas' NaN in the reference: the record
 * carries null there (the event still counts, in no funnel stage). Other values are kept as
 * written; metadata (JSON text) is passed on verbatim.
 */
public final class EventsCsv implements CsvLayout<EventRecord> {
    public static final EventsCsv LAYOUT = new EventsCsv();

    public static final List<String> COLUMNS = List.of("event_id", "user_id", "event_name", "timestamp", "metadata");

    private static final int EVENT_ID = 0;
    private static final int USER_ID = 1;
    private static final int EVENT_NAME = 2;
    private static final int TIMESTAMP = 3;
    private static final int METADATA = 4;

    private EventsCsv() {
    }

    /**
     * Streams the events of {@code file}, in file order.
     *
     * @see CsvRecords#read(Path, CsvLayout, Consumer, Consumer)
     */
    public static CsvReadCounts read(Path file, Consumer<? super EventRecord> onEvent,
                                     Consumer<? super RejectedRow> onRejected) throws IOException {
        return CsvRecords.read(file, LAYOUT, onEvent, onRejected);
    }

    /** Reads the whole of a (small) file into memory. */
    public static CsvContents<EventRecord> readAll(Path file) throws IOException {
        return CsvRecords.readAll(file, LAYOUT);
    }

    @Override
    public String name() {
        return "events";
    }

    @Override
    public List<String> columns() {
        return COLUMNS;
    }

    @Override
    public List<String> problems(List<String> values) {
        List<String> problems = new ArrayList<>(1);
        if (values.get(EVENT_ID).isBlank()) {
            problems.add("empty event_id");
        }
        if (values.get(USER_ID).isBlank()) {
            problems.add("empty user_id");
        }
        String timestampProblem = CsvRecords.timestampProblem("timestamp", values.get(TIMESTAMP));
        if (timestampProblem != null) {
            problems.add(timestampProblem);
        }
        return problems;
    }

    @Override
    public EventRecord toRecord(List<String> values, long position) {
        return new EventRecord(values.get(EVENT_ID), values.get(USER_ID), CsvRecords.missingIfEmpty(values.get(EVENT_NAME)),
                values.get(TIMESTAMP), CsvRecords.missingIfEmpty(values.get(METADATA)), position);
    }
}
