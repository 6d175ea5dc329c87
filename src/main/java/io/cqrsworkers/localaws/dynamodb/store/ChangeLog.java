package io.cqrsworkers.localaws.dynamodb.store;

import io.cqrsworkers.localaws.dynamodb.model.Item;
import io.cqrsworkers.localaws.dynamodb.streams.Shard;
import io.cqrsworkers.localaws.dynamodb.streams.Stream;
import io.cqrsworkers.localaws.dynamodb.streams.StreamRecord;

/** Receives every committed change, in commit order, before the client is answered (the durability hook). */
public interface ChangeLog {

    /** An item was written ({@code newItem} non-null) or deleted; {@code record} is its stream record or null. */
    void itemChanged(Table table, Item keys, Item newItem, StreamRecord record);

    /** A table was created or its settings changed. */
    void tableChanged(Table table);

    void tableDeleted(String tableName);

    void shardOpened(Stream stream, Shard shard);

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
