package io.cqrsworkers.localaws.sqs.store;

import java.util.List;

/**
 * Every change a data directory must keep, reported after it is made in memory and before the client is answered,
 * while the lock of the (last) queue it touches is held.
 */
public interface Changes {

    Changes NONE = new Changes() {
    };

    default void queueChanged(Queue queue) {
    }

    default void queueDeleted(Queue queue) {
    }

    default void purged(Queue queue) {
    }

    default void sent(Queue queue, List<Message> messages) {
    }

    /** Receive counts changed (visibility itself is not kept: after a restart every message is visible). */
    default void received(Queue queue, List<Message> messages) {
    }

    default void deleted(Queue queue, List<Message> messages) {
    }

    /** A message left {@code from} for its dead-letter queue {@code to}, arriving there as {@code moved}. */
    default void moved(Queue from, Queue to, Message moved) {
    }

    /** A move task took message {@code messageId} from {@code from}; it arrived in {@code to} as {@code moved}. */
    default void redriven(Queue from, String messageId, Queue to, Message moved, String taskId) {
    }

    /** A move task started ({@code started}: with the ids it is to move) or changed its status. */
    default void moveTaskChanged(MoveTask task, boolean started) {
    }
}
