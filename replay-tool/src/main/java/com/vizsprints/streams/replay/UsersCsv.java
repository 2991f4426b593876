package com.vizsprints.streams.replay;

import com.vizsprints.streams.processor.model.UserRecord;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The layout of users.csv: {@code user_id,joined_at,device,country,subscription_status,ab_variant}.
 * A row is valid when user_id is not blank, joined_at is empty or an ISO-8601 timestamp and
 * subscription_status is empty or one of Free, Premium or Enterprise. An empty field is a
 * missing value, as pandas' NaN in the reference: the record carries null there (a user without
 * a variant, plan or join time still counts as a user). Other values are kept as written.
 */
public final class UsersCsv implements CsvLayout<UserRecord> {
    public static final UsersCsv LAYOUT = new UsersCsv();

    public static final List<String> COLUMNS =
            List.of("user_id", "joined_at", "device", "country", "subscription_status", "ab_variant");
    public static final Set<String> SUBSCRIPTION_STATUSES = Set.of("Free", "Premium", "Enterprise");

    private static final int USER_ID = 0;
    private static final int JOINED_AT = 1;
    private static final int DEVICE = 2;
    private static final int COUNTRY = 3;
    private static final int SUBSCRIPTION_STATUS = 4;
    private static final int AB_VARIANT = 5;

    private UsersCsv() {
    }

    /**
     * Streams the users of {@code file}, in file order.
     *
     * @see CsvRecords#read(Path, CsvLayout, Consumer, Consumer)
     */
    public static CsvReadCounts read(Path file, Consumer<? super UserRecord> onUser,
                                     Consumer<? super RejectedRow> onRejected) throws IOException {
        return CsvRecords.read(file, LAYOUT, onUser, onRejected);
    }

    /** Reads the whole of a (small) file into memory. */
    public static CsvContents<UserRecord> readAll(Path file) throws IOException {
        return CsvRecords.readAll(file, LAYOUT);
    }

    @Override
    public String name() {
        return "users";
    }

    @Override
    public List<String> columns() {
        return COLUMNS;
    }

    @Override
    public List<String> problems(List<String> values) {
        List<String> problems = new ArrayList<>(1);
        if (values.get(USER_ID).isBlank()) {
            problems.add("empty user_id");
        }
        if (!values.get(JOINED_AT).isEmpty()) {
            String timestampProblem = CsvRecords.timestampProblem("joined_at", values.get(JOINED_AT));
            if (timestampProblem != null) {
                problems.add(timestampProblem);
            }
        }
        String status = values.get(SUBSCRIPTION_STATUS);
        if (!status.isEmpty() && !SUBSCRIPTION_STATUSES.contains(status)) {
            problems.add("unknown subscription_status '" + status + "' (must be Free, Premium or Enterprise)");
        }
        return problems;
    }

    @Override
    public UserRecord toRecord(List<String> values, long position) {
        return new UserRecord(values.get(USER_ID), CsvRecords.missingIfEmpty(values.get(JOINED_AT)),
                CsvRecords.missingIfEmpty(values.get(DEVICE)), CsvRecords.missingIfEmpty(values.get(COUNTRY)),
                CsvRecords.missingIfEmpty(values.get(SUBSCRIPTION_STATUS)), CsvRecords.missingIfEmpty(values.get(AB_VARIANT)),
                position);
    }
}
