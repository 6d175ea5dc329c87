package io.cqrsworkers.localaws.sqs;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** One in-memory emulator per test class with a real SDK client for it. */
abstract class SqsTestSupport {

    /**
     * The emulator's clock: real time, so long polls and their timers behave as in SQS, which a test jumps ahead
     * instead of sleeping through a visibility timeout or delay.
     */
    static final JumpingClock CLOCK = new JumpingClock();

    static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    static SqsEmulator emulator;
    static SqsClient sqs;

    @BeforeAll
    static void startEmulator() throws Exception {
        emulator = start(null);
        sqs = client(emulator.endpoint());
    }

    @AfterAll
    static void stopEmulator() {
        sqs.close();
        emulator.close();
    }

    static SqsEmulator start(Path dataDir) throws Exception {
        SqsEmulator e = SqsEmulator.builder().dataDir(dataDir).clock(CLOCK).build();
        e.start();
        return e;
    }

    static SqsClient client(URI endpoint) {
        return SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .build();
    }

    static SqsAsyncClient asyncClient(URI endpoint) {
        return SqsAsyncClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).build();
    }

    /** A fresh queue name, so test methods do not see each other's messages. */
    static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String createQueue(String prefix) {
        return sqs.createQueue(r -> r.queueName(name(prefix))).queueUrl();
    }

    static final class JumpingClock extends Clock {
        private final AtomicLong aheadMillis = new AtomicLong();

        void jump(Duration d) {
            aheadMillis.addAndGet(d.toMillis());
        }

        @Override
        public long millis() {
            return System.currentTimeMillis() + aheadMillis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("UTC only");
        }
    }
}
