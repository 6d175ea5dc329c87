package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads a CSV stream lazily into batches of the Distributed Map's shape
 * {@code {"Items":[{header: value}...], "BatchInput":{"Attributes":{...}}}}: the first row is the header, values and
 * headers are trimmed, blank lines are skipped, quoted fields may hold commas and newlines, a UTF-8 BOM and CRLF are
 * accepted. Rows with the wrong column count or invalid UTF-8 do not enter a batch: they travel with it as
 * {@link RowError}s carrying their line number. Only one batch is in memory at a time.
 */
public final class CsvBatchReader implements Iterator<CsvBatch>, Closeable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true).setTrim(true)
            .setIgnoreSurroundingSpaces(true).setAllowMissingColumnNames(true).get();

    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final List<String> headers;
    private final ObjectNode batchInput;
    private final int batchSize;
    private long lastLine;

    /** @throws EmptyFileException when the stream holds no header row */
    public CsvBatchReader(InputStream in, int batchSize, ObjectNode attributes) throws IOException {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1");
        }
        this.batchSize = batchSize;
        this.parser = CSVParser.builder().setReader(utf8(in)).setFormat(FORMAT).get();
        this.headers = parser.getHeaderNames();
        if (headers.isEmpty()) {
            parser.close();
            throw new EmptyFileException();
        }
        this.records = parser.iterator();
        this.lastLine = parser.getCurrentLineNumber();
        this.batchInput = JSON.createObjectNode();
        batchInput.set("Attributes", attributes);
    }

    /** A BOM-less reader whose invalid bytes become U+FFFD, so one bad row does not stop the file. */
    private static Reader utf8(InputStream raw) throws IOException {
        InputStream in = new BufferedInputStream(raw, 64 * 1024);
        in.mark(3);
        byte[] bom = in.readNBytes(3);
        if (bom.length < 3 || (bom[0] & 0xFF) != 0xEF || (bom[1] & 0xFF) != 0xBB || (bom[2] & 0xFF) != 0xBF) {
            in.reset();
        }
        return new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
    }

    public List<String> headers() {
        return headers;
    }

    @Override
    public boolean hasNext() {
        try {
            return records.hasNext();
        } catch (UncheckedIOException e) {
            throw new CsvReadException("CSV unreadable after line " + lastLine + ": " + e.getCause().getMessage(), e);
        }
    }

    @Override
    public CsvBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ArrayNode items = JSON.createArrayNode();
        List<RowError> errors = new ArrayList<>();
        while (items.size() < batchSize && hasNext()) {
            CSVRecord record = records.next();
            // the parser's line count stands at the record's last line; quoted line breaks move its first line up
            lastLine = parser.getCurrentLineNumber();
            long line = lastLine - lineBreaks(record);
            if (record.size() != headers.size()) {
                errors.add(new RowError(line, "expected " + headers.size() + " columns, found " + record.size()));
                continue;
            }
            ObjectNode item = items.addObject();
            boolean invalid = false;
            for (int i = 0; i < headers.size(); i++) {
                String value = record.get(i);
                invalid |= value.indexOf('\uFFFD') >= 0;
                item.put(headers.get(i), value);
            }
            if (invalid) {
                items.remove(items.size() - 1);
                errors.add(new RowError(line, "invalid UTF-8"));
            }
        }
        ObjectNode batch = JSON.createObjectNode();
        batch.set("Items", items);
        batch.set("BatchInput", batchInput);
        return new CsvBatch(batch, errors);
    }

    private static long lineBreaks(CSVRecord record) {
        long breaks = 0;
        for (String value : record) {
            for (int at = value.indexOf('\n'); at >= 0; at = value.indexOf('\n', at + 1)) {
                breaks++;
            }
        }
        return breaks;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }

    /** The file is empty: not even a header row. */
    public static final class EmptyFileException extends IOException {
        EmptyFileException() {
            super("The CSV file is empty: no header row");
        }
    }

    /** The stream broke mid-file. */
    public static final class CsvReadException extends RuntimeException {
        CsvReadException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
