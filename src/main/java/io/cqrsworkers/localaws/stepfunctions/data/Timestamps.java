package io.cqrsworkers.localaws.stepfunctions.data;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Timestamps as the States Language accepts them (Choice Timestamp* rules, Wait Timestamp/TimestampPath):
 * RFC 3339 / ISO-8601 extended offset date-time with an upper-case T and an offset, e.g.
 * {@code 2016-03-14T01:59:00Z} or {@code 2016-03-14T01:59:00.123+01:00}.
 */
public final class Timestamps {

    private Timestamps() {
    }

    /** The timestamp, or null when the text is not one. */
    public static OffsetDateTime parse(String text) {
        if (text == null || text.indexOf('T') < 0) {
            return null; // a lower-case t or a blank separator is rejected
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The timestamp in a JSON string, or null for anything else. */
    public static OffsetDateTime parse(JsonNode value) {
        return value != null && value.isTextual() ? parse(value.textValue()) : null;
    }
}
