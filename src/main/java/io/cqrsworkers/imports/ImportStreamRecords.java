package io.cqrsworkers.imports;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;

import java.util.Map;

/**
 * Which records of the import table's stream the import stream route acts on, decided on the record alone (its keys
 * and new image: no read, no conversion), before anything else runs. The stream carries every write to
 * {@code import_tmp}: besides the rows' creation and their ends, each counted batch is a MODIFY of its job (its
 * counters) and an INSERT (its marker), each ZIP file started or ended a MODIFY of the ZIP job, each failed delivery
 * a kept reason. Only two kinds start work:
 * <ul>
 * <li>INSERT of an import row (CSV job, single-row import, ZIP job) written CREATED: it is queued
 *     ({@link ImportActions#queue}); a row written in another status is run by its creator;</li>
 * <li>MODIFY of a CSV job whose new image is COMPLETED or FAILED and holds a task token: a ZIP file's job (or any job
 *     started with a token) that ended answers the step waiting for it ({@link ZipOrchestration#fileEnd}).</li>
 * </ul>
 * The stream's view is NEW_IMAGE (infra/resources.yaml): without the old image a MODIFY cannot tell a status that
 * changed from one that stayed, so a write to a job after its end (its token given again by a step run again,
 * {@code ZipJobs#rearm}) passes too, which that case needs; a job's other writes are made only while it runs (but
 * for a rare late count), and answering a token twice is harmless.
 */
public final class ImportStreamRecords {

    private ImportStreamRecords() {
    }

    /** Whether the import stream route has anything to do for this record. */
    public static boolean actedOn(Record record) {
        if (record == null || record.dynamodb() == null || !record.dynamodb().hasKeys()) {
            return false;
        }
        String pk = text(record.dynamodb().keys(), "pk");
        Map<String, AttributeValue> image = record.dynamodb().hasNewImage() ? record.dynamodb().newImage() : null;
        String event = record.eventNameAsString();
        if ("INSERT".equals(event)) {
            boolean importRow = pk.startsWith(ImportJobs.CSV_PREFIX) || pk.startsWith(ImportJobs.SINGLE_PREFIX)
                    || pk.startsWith(ImportJobs.ZIP_PREFIX);
            // no image (a stream view without one): importActions.queue reads the row itself
            return importRow && (image == null || ImportStatus.CREATED.name().equals(text(image, "status"))
                    || ImportStatus.QUEUED.name().equals(text(image, "status")));
        }
        if ("MODIFY".equals(event)) {
            if (!pk.startsWith(ImportJobs.CSV_PREFIX) || image == null) {
                return false;
            }
            String status = text(image, "status");
            AttributeValue attributes = image.get("attributes");
            return (ImportStatus.COMPLETED.name().equals(status) || ImportStatus.FAILED.name().equals(status))
                    && attributes != null && attributes.hasM() && !text(attributes.m(), "taskToken").isEmpty();
        }
        return false;
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.s() == null ? "" : value.s();
    }
}
