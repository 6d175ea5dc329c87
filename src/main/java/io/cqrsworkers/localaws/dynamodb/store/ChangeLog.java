package io.cqrsworkers.localaws.dynamodb.store;

import io.cqrsworkers.localaws.dynamodb.model.Item;
import io.cqrsworkers.localaws.dynamodb.streams.Shard;
import io.cqrsworkers.localaws.dynamodb.streams.Stream;
import io.cqrsworkers.localaws.dynamodb.streams.StreamRecord;

/**
 * Receives every committed change, in commit order (the durability hook). A change may be written after the lock
 * it was committed under is released; {@link #sync} returns once every change of the calling thread is written, and
 * is called before the client is answered.
 */
public interface ChangeLog {

    /** An item was written ({@code newItem} non-null) or deleted; {@code record} is its stream record or null. */
    void itemChanged(Table table, Item keys, Item newItem, StreamRecord record);

    /** A table was created or its settings changed. */
    void tableChanged(Table table);

    void tableDeleted(String tableName);

    void shardOpened(Stream stream, Shard shard);

    /** Returns once every change this thread has logged is durable (written to the OS; see the journal). */
    default void sync() {
    }

    /** Runs {@code changes} (several item changes) so that they are kept all or none (TransactWriteItems). */
    default void atomically(Runnable changes) {
        changes.run();
    }

    ChangeLog NONE = new ChangeLog() {
        @Override
        public void itemChanged(Table table, Item keys, Item newItem, StreamRecord record) {
        }

        @Override
        public void tableChanged(Table table) {
        }

        @Override
        public void tableDeleted(String tableName) {
        }

        @Override
        public void shardOpened(Stream stream, Shard shard) {
        }
    };
}
