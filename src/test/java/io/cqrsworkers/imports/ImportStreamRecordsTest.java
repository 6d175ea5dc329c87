package io.cqrsworkers.imports;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which records of import_tmp's stream the import stream route acts on (the rest is dropped before any work). */
class ImportStreamRecordsTest {

    private static Record record(String event, String pk, String status, String token) {
        Map<String, AttributeValue> keys = Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("x#1"));
        Map<String, AttributeValue> image = new HashMap<>(keys);
        if (status != null) {
            image.put("status", AttributeValue.fromS(status));
        }
        Map<String, AttributeValue> attributes = new HashMap<>(Map.of("key", AttributeValue.fromS("k.csv")));
        if (token != null) {
            attributes.put("taskToken", AttributeValue.fromS(token));
        }
        image.put("attributes", AttributeValue.fromM(attributes));
        return Record.builder().eventName(event).dynamodb(StreamRecord.builder().keys(keys).newImage(image).build())
                .build();
    }

    @Test
    void aNewImportRowIsActedOnWhateverItsKind() {
        assertThat(ImportStreamRecords.actedOn(record("INSERT", "CSV_IMPORT#t", "CREATED", null))).isTrue();
        assertThat(ImportStreamRecords.actedOn(record("INSERT", "IMPORT#t", "CREATED", null))).isTrue();
        assertThat(ImportStreamRecords.actedOn(record("INSERT", "ZIP_IMPORT#t", "CREATED", null))).isTrue();
        // a ZIP file's CSV job is written CREATED with its token: queued like any other
        assertThat(ImportStreamRecords.actedOn(record("INSERT", "CSV_IMPORT#t", "CREATED", "tok"))).isTrue();
    }

    @Test
    void insertsThatStartNothingAreDropped() {
        // a row its creator runs
        assertThat(ImportStreamRecords.actedOn(record("INSERT", "CSV_IMPORT#t", "PROCESSING", null))).isFalse();
        // a batch's counted marker, a delivery's kept failure
        assertThat(ImportStreamRecords.actedOn(record("INSERT", "COUNTED#CSV_IMPORT#t#x#1", null, null))).isFalse();
        assertThat(ImportStreamRecords.actedOn(record("INSERT", "DELIVERY_FAILED#CSV_IMPORT#t#x#1", null, null)))
                .isFalse();
    }

    @Test
    void onlyTheEndOfACsvJobWithATokenIsAModifyToActOn() {
        assertThat(ImportStreamRecords.actedOn(record("MODIFY", "CSV_IMPORT#t", "COMPLETED", "tok"))).isTrue();
        assertThat(ImportStreamRecords.actedOn(record("MODIFY", "CSV_IMPORT#t", "FAILED", "tok"))).isTrue();
        // its counters, its claim, its queueing
        assertThat(ImportStreamRecords.actedOn(record("MODIFY", "CSV_IMPORT#t", "PROCESSING", "tok"))).isFalse();
        assertThat(ImportStreamRecords.actedOn(record("MODIFY", "CSV_IMPORT#t", "QUEUED", "tok"))).isFalse();
        // a job started without a token (the API's)
        assertThat(ImportStreamRecords.actedOn(record("MODIFY", "CSV_IMPORT#t", "COMPLETED", null))).isFalse();
        assertThat(ImportStreamRecords.actedOn(record("MODIFY", "CSV_IMPORT#t", "COMPLETED", ""))).isFalse();
        // the ZIP job's progress and end, a single-row import's end, a kept failure written again
        assertThat(ImportStreamRecords.actedOn(record("MODIFY", "ZIP_IMPORT#t", "COMPLETED", null))).isFalse();
        assertThat(ImportStreamRecords.actedOn(record("MODIFY", "ZIP_IMPORT#t", "PROCESSING", null))).isFalse();
        assertThat(ImportStreamRecords.actedOn(record("MODIFY", "IMPORT#t", "COMPLETED", "tok"))).isFalse();
        assertThat(ImportStreamRecords.actedOn(record("MODIFY", "DELIVERY_FAILED#CSV_IMPORT#t#x#1", null, null)))
                .isFalse();
    }

    @Test
    void removesAndRecordsWithoutAnImageAreDropped() {
        assertThat(ImportStreamRecords.actedOn(record("REMOVE", "CSV_IMPORT#t", "COMPLETED", "tok"))).isFalse();
        Record noImage = Record.builder().eventName("MODIFY").dynamodb(StreamRecord.builder()
                .keys(Map.of("pk", AttributeValue.fromS("CSV_IMPORT#t"), "sk", AttributeValue.fromS("x#1")))
                .build()).build();
        assertThat(ImportStreamRecords.actedOn(noImage)).isFalse();
    }
}
