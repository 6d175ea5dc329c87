package io.cqrsworkers.aws;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * An SDK interceptor that is told of every call of the clients it is installed on, before it leaves: the service's
 * SDK name ({@code Sqs}, {@code DynamoDb}, {@code DynamoDbStreams}, {@code S3}, {@code Sfn}), the operation and the
 * request. The tests' call counter (bench.SdkCallCounter) and the call recorder ({@link SdkCallRecorder}) are both
 * this.
 */
public abstract class SdkCallObserver implements ExecutionInterceptor {

    @Override
    public final void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        observe(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
                attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), context.request());
    }

    /** Called on the calling thread (also for the async clients), once per call (not per retry). */
    protected abstract void observe(String service, String operation, SdkRequest request);
}
