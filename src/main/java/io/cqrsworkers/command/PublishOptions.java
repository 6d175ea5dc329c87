package io.cqrsworkers.command;

/**
 * Who publishes and how. {@code sync}: the original's publishSync (syncMode = SYNC, the data record written at once,
 * no workflow).
 */
public record PublishOptions(String source, String requestId, String userId, String ip, boolean sync) {
}
