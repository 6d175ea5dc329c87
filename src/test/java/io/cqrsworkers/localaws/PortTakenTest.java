package io.cqrsworkers.localaws;

import io.cqrsworkers.localaws.dynamodb.DynamoDbEmulator;
import io.cqrsworkers.localaws.sqs.SqsEmulator;
import io.cqrsworkers.localaws.stepfunctions.StepFunctionsEmulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

/** An emulator whose port is taken fails to start with the cause, leaves nothing running, and closes quietly. */
class PortTakenTest {

    @Test
    void dynamoDbOnATakenPort(@TempDir Path data) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            DynamoDbEmulator emulator = DynamoDbEmulator.builder().port(taken.getLocalPort()).dataDir(data).build();
            assertThatThrownBy(emulator::start).isInstanceOf(BindException.class);
            assertThat(emulator.isRunning()).isFalse();
            assertThatNoException().isThrownBy(emulator::close);
        }
    }

    @Test
    void sqsOnATakenPort(@TempDir Path data) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SqsEmulator emulator = SqsEmulator.builder().port(taken.getLocalPort()).dataDir(data).build();
            assertThatThrownBy(emulator::start).isInstanceOf(BindException.class);
            assertThat(emulator.isRunning()).isFalse();
            assertThatNoException().isThrownBy(emulator::close);
        }
    }

    @Test
    void stepFunctionsOnATakenPort(@TempDir Path data) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StepFunctionsEmulator emulator = StepFunctionsEmulator.builder().port(taken.getLocalPort()).dataDir(data)
                    .build();
            assertThatThrownBy(emulator::start).isInstanceOf(BindException.class);
            assertThat(emulator.isRunning()).isFalse();
            assertThatNoException().isThrownBy(emulator::close);
            // the engine it had prepared is closed: its journal opens again, on a free port
            try (StepFunctionsEmulator again = StepFunctionsEmulator.builder().port(0).dataDir(data).build()) {
                again.start();
                assertThat(again.isRunning()).isTrue();
            }
        }
    }
}
