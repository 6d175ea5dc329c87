package io.cqrsworkers.workflow;

import io.cqrsworkers.callback.SfnTaskHeaders;
import io.cqrsworkers.resources.ResourceDescription;
import org.apache.camel.LoggingLevel;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.stepfunctions.StepFunctions2Constants;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The Camel form of the original's event factory: one consumer per worker queue; each message is a step of some
 * state machine, dispatched by machine and state name to the route {@code direct:<machine>.<state>}, whose result
 * answers the task token (SendTaskSuccess) or whose exception fails it (SendTaskFailure, error and cause).
 * A message that is not a step event, or whose answer cannot be delivered, is not acknowledged: SQS retries it and
 * then moves it to the queue's DLQ. A timer sweeps the watched executions ({@link ExecutionWatch}): each one is
 * described through {@code aws2-step-functions}, and one that ended abnormally is handed to its owner.
 */
public class WorkflowRoutes extends RouteBuilder {

    @Override
    public void configure() {
        int workers = Integer.parseInt(getContext().resolvePropertyPlaceholders("{{app.workers.concurrency:16}}"));

        Set<String> queues = new LinkedHashSet<>();
        ResourceDescription.load().stateMachines().forEach(m -> queues.add(m.workerQueue()));
        for (String queue : queues) {
            // a few pollers receive in batches; the steps run on the route's threads (a full pool makes the poller
            // run the step itself, which holds further receives back)
            from("aws2-sqs:{{queue:" + queue + "}}?{{app.sqs.consumer-options}}"
                    + "&concurrentConsumers={{app.workers.pollers:2}}")
                    .routeId("worker-" + queue)
                    .threads(workers, workers).maxQueueSize(workers).rejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns)
                    .threadName("worker-" + queue)
                    .to("direct:step");
        }

        // every replica sweeps; owners write conditionally, so an end is acted on once
        long watchMillis = 1000L * Long.parseLong(
                getContext().resolvePropertyPlaceholders("{{app.workflow.watch-interval-seconds:30}}").trim());
        from("timer:execution-watch?delay=" + watchMillis + "&period=" + watchMillis)
                .routeId("execution-watch")
                .bean(ExecutionWatch.BEAN, "watched")
                .split(body())
                    .setProperty(ExecutionWatch.ROW, body())
                    .setHeader(StepFunctions2Constants.EXECUTION_ARN).method(ExecutionWatch.BEAN, "executionArn")
                    .doTry()
                        .to("aws2-step-functions:execution-watch?operation=describeExecution")
                        .setProperty(ExecutionWatch.DESCRIBED, body())
                        .choice()
                            .when().method(ExecutionWatch.BEAN, "running")
                                .log(LoggingLevel.TRACE, "Execution ${header." + StepFunctions2Constants.EXECUTION_ARN
                                        + "} still runs")
                            .when().method(ExecutionWatch.BEAN, "succeeded")
                                .bean(ExecutionWatch.BEAN, "forget")
                            .otherwise()
                                // TIMED_OUT, ABORTED, FAILED: the owner wants the state it ended in (newest first)
                                .setHeader(StepFunctions2Constants.EXECUTION_HISTORY_REVERSE_ORDER, constant(true))
                                .setHeader(StepFunctions2Constants.EXECUTION_HISTORY_MAX_RESULTS, constant(100))
                                .setHeader(StepFunctions2Constants.EXECUTION_HISTORY_INCLUDE_EXECUTION_DATA,
                                        constant(false))
                                .to("aws2-step-functions:execution-watch?operation=getExecutionHistory")
                                .bean(ExecutionWatch.BEAN, "ended")
                        .end()
                    .endDoTry()
                    .doCatch(ExecutionDoesNotExistException.class)
                        // rows are written after the start, so only an execution whose history has expired
                        .log(LoggingLevel.WARN, "Watched execution ${header."
                                + StepFunctions2Constants.EXECUTION_ARN + "} no longer exists")
                        .bean(ExecutionWatch.BEAN, "forget")
                    .doCatch(Exception.class)
                        // the row stays: the next sweep tries again
                        .log(LoggingLevel.WARN, "Execution ${header." + StepFunctions2Constants.EXECUTION_ARN
                                + "} not checked: ${exception}")
                    .end()
                .end();

        from(StartExecution.URI).routeId("start-execution")
                .setHeader(StepFunctions2Constants.STATE_MACHINE_ARN)
                    .method(StateMachines.BEAN, "arn(${header." + StartExecution.MACHINE + "})")
                .setHeader(StepFunctions2Constants.EXECUTION_NAME, header(StartExecution.NAME))
                .setHeader(StepFunctions2Constants.EXECUTION_INPUT, body())
                .setHeader(StartExecution.EXISTED, constant(false))
                .doTry()
                    .to("aws2-step-functions:start-execution?operation=startExecution")
                    .setBody(simple("${body.executionArn}"))
                .doCatch(ExecutionAlreadyExistsException.class)
                    .log(LoggingLevel.INFO, "Execution ${header." + StartExecution.NAME + "} of ${header."
                            + StartExecution.MACHINE + "} exists already (ended, or running with another input); "
                            + "not started again")
                    .setHeader(StartExecution.EXISTED, constant(true))
                    .setBody().method(StateMachines.BEAN, "executionArn(${header." + StartExecution.MACHINE
                            + "}, ${header." + StartExecution.NAME + "})")
                .end()
                .removeHeaders("CamelAwsStepFunctions*");

        from("direct:step").routeId("step-dispatch")
                .bean(StepDispatch.BEAN, "accept")
                // a step route's exception arrives here after its own error handler gave up
                .doTry()
                    .toD("${body.endpointUri()}")
                    .choice()
                        .when(header(StepHeaders.DEFERRED).isEqualTo(true))
                            .log(LoggingLevel.DEBUG, "Step ${header.StepMachine}.${header.StepState} waits for its callback")
                        .otherwise()
                            .to("sfn-task:success")
                    .endChoice()
                .endDoTry()
                .doCatch(Exception.class)
                    .setHeader(SfnTaskHeaders.ERROR).method(StepErrors.class, "errorName(${exception})")
                    .setHeader(SfnTaskHeaders.CAUSE).method(StepErrors.class, "cause(${exception})")
                    .log(LoggingLevel.WARN, "Step ${header.StepMachine}.${header.StepState} failed: "
                            + "${header.SfnTaskError}: ${header.SfnTaskCause}")
                    .to("sfn-task:failure")
                .end();
    }
}
