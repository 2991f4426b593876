package com.vizsprints.streams.replay;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Streams the rows of a CSV file with a known header, one at a time, using Jackson's CSV
 * parser, and says which rows are malformed at the CSV level: bad quoting, a quote inside an
 * unquoted field, or the wrong number of columns. Blank lines are skipped.
 *
 * <p>After a quoting error the parser cannot go on, so reading starts again with a new parser
 * at the line after the one where the broken row started; the rows that the broken quote
 * swallowed are read again on their own. The same happens when a row that spans several lines
 * has the wrong number of columns, the usual sign of an unbalanced quote.
 *
 * <p>Line numbers are 1-based physical lines ({@code \n}, {@code \r\n} or {@code \r} ends a
 * line). The file is read as UTF-8 (an initial byte order mark is skipped; undecodable bytes
 * become U+FFFD). Not thread-safe.
 */
final class CsvRowReader implements Closeable {
    private static final CsvFactory FACTORY = CsvFactory.builder()
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();
    private static final CsvSchema NO_HEADER = CsvSchema.emptySchema();
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    /** Receives each row that {@link #next} reads. */
    interface RowHandler {
        /** A row with the expected number of columns and sound quoting. */
        void row(long line, List<String> values);

        /** A row that is malformed as CSV. */
        void rejected(long line, String reason);
    }

    private record ParsedRow(long startOffset, List<String> values, boolean[] quoted) {
        int lineCount() {
            int count = 1;
            for (String value : values) {
                count += lineBreaks(value);
            }
            return count;
        }

        boolean isBlankLine() {
            return values.size() == 1 && values.get(0).isEmpty() && !quoted[0];
        }
    }

    private final String file;
    private final List<String> columns;
    private final PrependableReader source;
    /** Raw text as the current parser reads it; offsets count from where that parser started. */
    private RecordingReader raw;
    /** Null once the input is exhausted. */
    private CsvParser parser;
    /** Line where the current parser started. */
    private long parserStartLine;
    /** Line where the next row starts. */
    private long rowLine;
    /** A line start that {@link #raw} still holds, at or before the next row. */
    private long anchorOffset;
    private long anchorLine;

    private CsvRowReader(String file, List<String> columns, Reader text) throws IOException {
        this.file = file;
        this.columns = List.copyOf(columns);
        this.source = new PrependableReader(text);
        skipByteOrderMark();
        startParserAt(1);
    }

    /**
     * Opens {@code path} and reads its header.
     *
     * @param file    the name of the file in messages
     * @param columns the exact header the file must have
     * @throws BadHeaderException when the file is empty or its header differs from {@code columns}
     */
    static CsvRowReader open(Path path, String file, List<String> columns) throws IOException {
        Reader text = new InputStreamReader(Files.newInputStream(path), StandardCharsets.UTF_8);
        return open(text, file, columns);
    }

    /** As {@link #open(Path, String, List)}, over text already opened; closes it on failure. */
    static CsvRowReader open(Reader text, String file, List<String> columns) throws IOException {
        CsvRowReader reader = null;
        try {
            reader = new CsvRowReader(file, columns, text);
            reader.readHeader();
            return reader;
        } catch (IOException | RuntimeException e) {
            if (reader != null) {
                reader.close();
            } else {
                text.close();
            }
            throw e;
        }
    }

    private void skipByteOrderMark() throws IOException {
        char[] first = new char[1];
        int n;
        do {
            n = source.read(first, 0, 1);
        } while (n == 0);
        if (n == 1 && first[0] != BYTE_ORDER_MARK) {
            source.prepend(first);
        }
    }

    private void startParserAt(long line) throws IOException {
        if (parser != null) {
            parser.close();
        }
        raw = new RecordingReader(source);
        parser = FACTORY.createParser(raw);
        parser.setSchema(NO_HEADER);
        parserStartLine = line;
        rowLine = line;
        anchorOffset = 0;
        anchorLine = line;
    }

    private void readHeader() throws IOException {
        String expected = String.join(",", columns);
        ParsedRow header;
        try {
            header = parseNext();
        } catch (JsonProcessingException e) {
            throw new BadHeaderException(file + ": cannot read the header line: " + e.getOriginalMessage()
                    + "; expected '" + expected + "'");
        }
        if (header == null) {
            throw new BadHeaderException(file + ": the file is empty; expected the header '" + expected + "'");
        }
        if (!header.values().equals(columns)) {
            throw new BadHeaderException(file + ": the header is '" + String.join(",", header.values())
                    + "' but must be '" + expected + "'");
        }
        advancePast(header, rowLine);
    }

    /**
     * Reads the next row, or the next malformed one, and hands it to {@code handler}.
     *
     * @return false when there are no more rows
     * @throws IOException when the file cannot be read (not for malformed rows)
     */
    boolean next(RowHandler handler) throws IOException {
        while (parser != null) {
            long line = rowLine;
            ParsedRow row;
            try {
                row = parseNext();
            } catch (JsonProcessingException e) {
                String reason = describeSyntaxError(e, line);
                handler.rejected(line, reason + restartAfter(line));
                return true;
            }
            if (row == null) {
                parser.close();
                parser = null;
                return false;
            }
            advancePast(row, line);
            if (row.isBlankLine()) {
                continue;
            }
            List<String> problems = new ArrayList<>(2);
            boolean columnCountRight = row.values().size() == columns.size();
            for (int i = 0; i < row.values().size(); i++) {
                if (!row.quoted()[i] && row.values().get(i).indexOf('"') >= 0) {
                    problems.add("bad quoting: quote character inside unquoted field " + (i + 1)
                            + (columnCountRight ? " (" + columns.get(i) + ")" : ""));
                }
            }
            if (!columnCountRight) {
                String problem = "wrong column count: expected " + columns.size() + " columns ("
                        + String.join(",", columns) + "), found " + row.values().size();
                int lines = row.lineCount();
                if (lines > 1) {
                    problem += "; the row spans lines " + line + "-" + (line + lines - 1)
                            + ", so a quote is probably unbalanced" + restartAfter(line);
                }
                problems.add(problem);
            }
            if (problems.isEmpty()) {
                handler.row(line, Collections.unmodifiableList(row.values()));
            } else {
                handler.rejected(line, String.join("; ", problems));
            }
            return true;
        }
        return false;
    }

    /** Parses one row; null at end of input. */
    private ParsedRow parseNext() throws IOException {
        JsonToken token = parser.nextToken();
        if (token == null) {
            return null;
        }
        if (token != JsonToken.START_ARRAY) {
            throw new IllegalStateException("CSV parser gave " + token + " where a row should start");
        }
        List<String> values = new ArrayList<>(columns.size());
        boolean[] quoted = new boolean[columns.size()];
        long startOffset = -1;
        while ((token = parser.nextToken()) == JsonToken.VALUE_STRING) {
            long offset = parser.currentTokenLocation().getCharOffset();
            if (startOffset < 0) {
                startOffset = offset;
            }
            if (values.size() == quoted.length) {
                quoted = Arrays.copyOf(quoted, quoted.length * 2 + 1);
            }
            quoted[values.size()] = offset < raw.end() && raw.charAt(offset) == '"';
            values.add(parser.getText());
        }
        if (token != JsonToken.END_ARRAY) {
            throw new IllegalStateException("CSV parser gave " + token + " inside a row");
        }
        if (startOffset < 0) {
            throw new IllegalStateException("CSV parser gave a row without values");
        }
        return new ParsedRow(startOffset, values, quoted);
    }

    private void advancePast(ParsedRow row, long line) {
        anchorOffset = row.startOffset();
        anchorLine = line;
        raw.forgetBefore(anchorOffset);
        rowLine = line + row.lineCount();
    }

    private String describeSyntaxError(JsonProcessingException e, long rowStart) {
        String kind;
        if (e instanceof StreamConstraintsException) {
            kind = "bad quoting: a value is too long, probably because of an unterminated quote: ";
        } else if (e instanceof JsonParseException) {
            kind = "bad quoting: ";
        } else {
            kind = "unreadable row: ";
        }
        StringBuilder reason = new StringBuilder(kind).append(e.getOriginalMessage());
        JsonLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            long detectedAt = parserStartLine + location.getLineNr() - 1;
            if (detectedAt != rowStart) {
                reason.append(" (detected at line ").append(detectedAt).append(')');
            }
        }
        return reason.toString();
    }

    /**
     * Starts a new parser at the line after {@code line}, putting back the text already read
     * from there on.
     *
     * @return a note for the rejection reason saying where reading resumes
     */
    private String restartAfter(long line) throws IOException {
        long lineBreaks = line + 1 - anchorLine;
        long resumeAt;
        while ((resumeAt = raw.offsetAfterLineBreaks(anchorOffset, lineBreaks)) < 0) {
            if (!raw.readAhead()) {
                resumeAt = raw.offsetAfterLineBreaks(anchorOffset, lineBreaks);
                break;
            }
        }
        if (resumeAt < 0) {
            parser.close();
            parser = null;
            return "";
        }
        source.prepend(raw.textFrom(resumeAt));
        startParserAt(line + 1);
        return "; reading resumes at line " + (line + 1);
    }

    static int lineBreaks(String value) {
        int count = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\n') {
                count++;
            } else if (c == '\r') {
                count++;
                if (i + 1 < value.length() && value.charAt(i + 1) == '\n') {
                    i++;
                }
            }
        }
        return count;
    }

    @Override
    public void close() throws IOException {
        try {
            if (parser != null) {
                parser.close();
                parser = null;
            }
        } finally {
            source.close();
        }
    }
}
