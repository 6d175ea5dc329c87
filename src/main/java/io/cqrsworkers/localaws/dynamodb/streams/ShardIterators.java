package io.cqrsworkers.localaws.dynamodb.streams;

import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/** Opaque shard iterators: stream, shard, next position and creation time; valid for 15 minutes as in AWS. */
public final class ShardIterators {

    public static final Duration LIFETIME = Duration.ofMinutes(15);

    public record Position(String streamArn, String shardId, long position, long createdMillis) {
    }

    private ShardIterators() {
    }

    public static String encode(Position p) {
        String raw = p.streamArn() + "|" + p.shardId() + "|" + p.position() + "|" + p.createdMillis();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static Position decode(String iterator, long nowMillis) {
        Position p;
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(iterator), StandardCharsets.UTF_8).split("\\|");
            p = new Position(parts[0], parts[1], Long.parseLong(parts[2]), Long.parseLong(parts[3]));
        } catch (RuntimeException e) {
            throw DynamoDbException.validation("Invalid ShardIterator");
        }
        if (nowMillis - p.createdMillis() > LIFETIME.toMillis()) {
            throw new DynamoDbException("ExpiredIteratorException", "Iterator expired. The iterator was created at "
                    + "time " + Instant.ofEpochMilli(p.createdMillis()) + " while right now it is "
                    + Instant.ofEpochMilli(nowMillis) + " which is further in the future than the tolerated delay of "
                    + LIFETIME.toMillis() + " milliseconds.");
        }
        return p;
    }
}
