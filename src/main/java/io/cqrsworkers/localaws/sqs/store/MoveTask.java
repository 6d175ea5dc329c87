package io.cqrsworkers.localaws.sqs.store;

import java.util.LinkedHashSet;

/**
 * One message move task (StartMessageMoveTask): the messages that were in its source queue when it started, moved
 * one by one to its destination, or to each message's own source queue when it has none. Changed only under the
 * lock of its {@link MoveTasks}.
 */
public final class MoveTask {

    public enum Status { RUNNING, COMPLETED, CANCELLING, CANCELLED, FAILED }

    private final String id;
    private final String sourceArn;
    private final String destinationArn;
    private final Integer maxPerSecond;
    private final long startedMillis;
    private final long toMove;
    /** Ids of the messages still to move, in the order they are tried. */
    final LinkedHashSet<String> remaining;
    Status status = Status.RUNNING;
    long moved;
    String failureReason;
    /** Messages the rate allows but not yet moved (fractions carry over between ticks). */
    double allowance;
    long lastTickMillis;

    MoveTask(String id, String sourceArn, String destinationArn, Integer maxPerSecond, long startedMillis,
             LinkedHashSet<String> remaining, long toMove) {
        this.id = id;
        this.sourceArn = sourceArn;
        this.destinationArn = destinationArn;
        this.maxPerSecond = maxPerSecond;
        this.startedMillis = startedMillis;
        this.remaining = remaining;
        this.toMove = toMove;
    }

    public String id() {
        return id;
    }

    public String sourceArn() {
        return sourceArn;
    }

    /** Null: every message goes back to the queue it was dead-lettered from. */
    public String destinationArn() {
        return destinationArn;
    }

    /** Null: as fast as the emulator goes. */
    public Integer maxPerSecond() {
        return maxPerSecond;
    }

    public long startedMillis() {
        return startedMillis;
    }

    public long toMove() {
        return toMove;
    }

    public Status status() {
        return status;
    }

    public long moved() {
        return moved;
    }

    public String failureReason() {
        return failureReason;
    }

    /** A copy of the ids still to move (for a journal line). */
    public java.util.List<String> remaining() {
        return java.util.List.copyOf(remaining);
    }

    boolean active() {
        return status == Status.RUNNING || status == Status.CANCELLING;
    }

    /** What a list answers: a copy, taken under the tasks' lock. */
    MoveTask copy() {
        MoveTask c = new MoveTask(id, sourceArn, destinationArn, maxPerSecond, startedMillis, new LinkedHashSet<>(),
                toMove);
        c.status = status;
        c.moved = moved;
        c.failureReason = failureReason;
        return c;
    }
}
