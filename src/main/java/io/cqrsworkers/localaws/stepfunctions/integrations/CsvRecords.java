package io.cqrsworkers.localaws.stepfunctions.integrations;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV records one at a time from a stream (RFC 4180: quoted fields with doubled quotes, delimiters and line
 * breaks inside quotes, CRLF or LF), so a large object is never held in memory whole.
 */
final class CsvRecords {
    private final Reader in;
    private final char delimiter;
    private int peeked = -2;

    CsvRecords(Reader in, char delimiter) {
        this.in = in;
        this.delimiter = delimiter;
    }

    /** The next record, or null at the end of the stream. */
    List<String> next() {
        try {
            int c = read();
            while (c == '\r' || c == '\n') {
                c = read();
            }
            if (c == -1) {
                return null;
            }
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean wasQuoted = false;
            while (true) {
                if (quoted) {
                    if (c == -1) {
                        throw new IllegalArgumentException("CSV file ends inside a quoted field");
                    }
                    if (c == '"') {
                        int n = read();
                        if (n == '"') {
                            field.append('"');
                        } else {
                            quoted = false;
                            c = n;
                            continue;
                        }
                    } else {
                        field.append((char) c);
                    }
                } else if (c == delimiter) {
                    fields.add(field.toString());
                    field.setLength(0);
                    wasQuoted = false;
                } else if (c == '\n' || c == '\r' || c == -1) {
                    if (c == '\r') {
                        int n = read();
                        if (n != '\n') {
                            peeked = n;
                        }
                    }
                    fields.add(field.toString());
                    return fields;
                } else if (c == '"' && field.length() == 0 && !wasQuoted) {
                    quoted = true;
                    wasQuoted = true;
                } else {
                    field.append((char) c);
                }
                c = read();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int read() throws IOException {
        if (peeked != -2) {
            int c = peeked;
            peeked = -2;
            return c;
        }
        return in.read();
    }
}
