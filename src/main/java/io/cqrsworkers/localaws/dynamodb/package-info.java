/**
 * An embedded DynamoDB and DynamoDB Streams emulator speaking AWS JSON 1.0 on one port.
 *
 * <ul>
 *   <li>{@code server}: the HTTP front (JDK HttpServer, keep-alive, x-amz-crc32, AWS error bodies).</li>
 *   <li>{@code api}: one class per operation, keyed by X-Amz-Target in {@code Operations}.</li>
 *   <li>{@code expr}: the expression language (lexer, parser, condition and update trees) and the legacy
 *       Expected/KeyConditions/AttributeUpdates parameters mapped onto the same trees.</li>
 *   <li>{@code model}: immutable attribute values and items, number rules, wire conversion, and the error every layer
 *       answers with ({@code DynamoDbException}).</li>
 *   <li>{@code store}: tables (sorted concurrent maps per table and index, a write lock per table), the TTL reaper.</li>
 *   <li>{@code streams}: per-table streams, shards with rollover and retention, iterators.</li>
 *   <li>{@code persist}: the journal and snapshots used with a data directory.</li>
 * </ul>
 *
 * Entry point: {@link io.cqrsworkers.localaws.dynamodb.DynamoDbEmulator}.
 */
package io.cqrsworkers.localaws.dynamodb;
