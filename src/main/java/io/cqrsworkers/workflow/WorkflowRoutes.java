package io.cqrsworkers.workflow;

import io.cqrsworkers.callback.SfnTaskHeaders;
import io.cqrsworkers.resources.ResourceDescription;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.stepfunctions.StepFunctions2Constants;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The Camel form of the original's event factory: one consumer per worker queue; each message is a step of some
 * state machine, dispatched by machine and state name to the route {@code direct:<machine>.<state>}, whose result
 * answers the task token (SendTaskSuccess) or whose exception fails it (SendTaskFailure, error and cause).
 * A message that is not a step event, or whose answer cannot be delivered, is not acknowledged: SQS retries it and
 * then moves it to the queue's DLQ. A timer sweeps the watched executions ({@link ExecutionWatch}).
 */
public class WorkflowRoutes extends RouteBuilder {

    @Override
    public void configure() {
        String prefix = getContext().resolvePropertyPlaceholders("{{app.prefix}}");
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
        ExecutionWatch watch = ExecutionWatch.of(getContext());
        from("timer:execution-watch?delay=" + watchMillis + "&period=" + watchMillis)
                .routeId("execution-watch")
                .process(e -> watch.sweep());

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
                .process(e -> {
                    StepEvent event = StepEvent.parse(e.getMessage().getBody(String.class), prefix);
                    e.getMessage().setHeader(SfnTaskHeaders.TOKEN, event.taskToken());
                    e.getMessage().setHeader(StepHeaders.MACHINE, event.machine());
                    e.getMessage().setHeader(StepHeaders.STATE, event.state());
                    e.getMessage().setHeader(StepHeaders.EVENT, event);
                    e.getMessage().setBody(event);
                })
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
                    .process(e -> {
                        Throwable failure = e.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
                        e.getMessage().setHeader(SfnTaskHeaders.ERROR, StepErrors.errorName(failure));
                        e.getMessage().setHeader(SfnTaskHeaders.CAUSE, StepErrors.cause(failure));
                    })
                    .log(LoggingLevel.WARN, "Step ${header.StepMachine}.${header.StepState} failed: "
                            + "${header.SfnTaskError}: ${header.SfnTaskCause}")
                    .to("sfn-task:failure")
                .end();
    }
}
