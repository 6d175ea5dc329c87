package io.cqrsworkers.localaws.dynamodb.streams;

import io.cqrsworkers.localaws.dynamodb.model.Item;

/**
 * One change in a stream. Images are the immutable items the table held, so a record costs little more than its
 * references; the JSON is built when the record is read.
 */
public record StreamRecord(long sequence, long createdMillis, String eventId, String eventName, Item keys,
                           Item oldImage, Item newImage, boolean byTtl, int sizeBytes) {
}
