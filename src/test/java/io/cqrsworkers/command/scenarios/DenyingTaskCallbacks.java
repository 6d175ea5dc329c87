package io.cqrsworkers.command.scenarios;

import io.cqrsworkers.callback.TaskCallbacks;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureResponse;
import software.amazon.awssdk.services.sfn.model.SendTaskHeartbeatRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskHeartbeatResponse;
import software.amazon.awssdk.services.sfn.model.SendTaskSuccessRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskSuccessResponse;
import software.amazon.awssdk.services.sfn.model.SfnException;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Task callbacks whose SendTaskSuccess is refused with AccessDeniedException for {@link #DENIED} and goes to the
 * embedded Step Functions for every other token: the one AWS error the embedded service cannot produce. A test puts
 * them in the registry as {@code taskCallbacks}; a step that takes its callbacks from there meets the refusal, and
 * {@link #denials()} says whether one did.
 */
final class DenyingTaskCallbacks {

    /** A well-formed task token that no execution has. */
    static final String DENIED = "AQB" + "D".repeat(64);

    private static final AtomicInteger DENIALS = new AtomicInteger();

    static int denials() {
        return DENIALS.get();
    }

    private DenyingTaskCallbacks() {
    }

    static TaskCallbacks over(SfnClient real) {
        return new TaskCallbacks(new Denying(real));
    }

    /** Only the three task-token calls, which is all TaskCallbacks makes. */
    private record Denying(SfnClient real) implements SfnClient {

        @Override
        public SendTaskSuccessResponse sendTaskSuccess(SendTaskSuccessRequest request) {
            if (DENIED.equals(request.taskToken())) {
                DENIALS.incrementAndGet();
                throw (SfnException) SfnException.builder().statusCode(400).message("not authorized to SendTaskSuccess")
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException")
                                .errorMessage("not authorized to SendTaskSuccess").serviceName("Sfn").build())
                        .build();
            }
            return real.sendTaskSuccess(request);
        }

        @Override
        public SendTaskFailureResponse sendTaskFailure(SendTaskFailureRequest request) {
            return real.sendTaskFailure(request);
        }

        @Override
        public SendTaskHeartbeatResponse sendTaskHeartbeat(SendTaskHeartbeatRequest request) {
            return real.sendTaskHeartbeat(request);
        }

        @Override
        public String serviceName() {
            return real.serviceName();
        }

        @Override
        public void close() {
            // the real client belongs to the service
        }
    }
}
