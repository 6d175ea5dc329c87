package io.cqrsworkers.stream;

/** Where an application with no checkpoint yet starts reading a shard. Checkpoints win once they exist. */
public enum StartingPosition {
    /** The oldest record still in the stream (24 h retention). */
    TRIM_HORIZON,
    /** Only records written after the consumer started. */
    LATEST
}
