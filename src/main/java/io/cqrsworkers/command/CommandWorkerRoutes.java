package io.cqrsworkers.command;

import io.cqrsworkers.workflow.StepHeaders;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.ProcessorDefinition;

/**
 * The command state machine's worker steps, {@code direct:command-handler.<state>}, reached through the workflow
 * dispatcher with the {@link io.cqrsworkers.workflow.StepEvent} as body; each replies the state's output (JSON text)
 * or throws, which fails the task. Around most steps the original's envelope: {@code <state>:STARTED}, the step's
 * bean, {@code <state>:FINISHED}; a failure records {@code <state>:FAILED}, raises an alarm and is rethrown
 * ({@link CommandSteps}).
 * And the default sync handler, which writes the read-model record.
 */
public class CommandWorkerRoutes extends RouteBuilder {

    public static final String MACHINE = "command-handler";

    @Override
    public void configure() {
        step(CheckVersion.STATE)
                .doTry()
                    .bean(CommandSteps.BEAN, "started")
                    .bean(CheckVersion.BEAN, "run")
                    .bean(CommandSteps.BEAN, "finished")
                .doCatch(Exception.class)
                    .bean(CommandSteps.BEAN, "failed")
                .end()
                .convertBodyTo(String.class);

        // answers its token later: when the previous version finishes (or has finished: it resumes itself)
        step(WaitPrevCommand.STATE)
                .doTry()
                    .bean(CommandSteps.BEAN, "started")
                    .bean(WaitPrevCommand.BEAN, "run")
                    .bean(CommandSteps.BEAN, "finished")
                .doCatch(Exception.class)
                    .bean(CommandSteps.BEAN, "failed")
                .end()
                .setHeader(StepHeaders.DEFERRED, constant(true))
                .convertBodyTo(String.class);

        // the Catch of wait_prev_command: writes wait_prev_command:FAILED itself
        step(WaitPrevCommandFailed.STATE)
                .doTry()
                    .bean(WaitPrevCommandFailed.BEAN, "run")
                .doCatch(Exception.class)
                    .bean(CommandSteps.BEAN, "failed")
                .end()
                .convertBodyTo(String.class);

        step(SetTtlCommand.STATE)
                .doTry()
                    .bean(CommandSteps.BEAN, "started")
                    .bean(SetTtlCommand.BEAN, "run")
                    .bean(CommandSteps.BEAN, "finished")
                .doCatch(Exception.class)
                    .bean(CommandSteps.BEAN, "failed")
                .end()
                .convertBodyTo(String.class);

        step(HistoryCopy.STATE)
                .doTry()
                    .bean(CommandSteps.BEAN, "started")
                    .bean(HistoryCopy.BEAN, "run")
                    .bean(CommandSteps.BEAN, "finished")
                .doCatch(Exception.class)
                    .bean(CommandSteps.BEAN, "failed")
                .end()
                .convertBodyTo(String.class);

        // one item per sync handler; sync_data_all runs them in parallel
        step(TransformData.STATE)
                .doTry()
                    .bean(CommandSteps.BEAN, "started")
                    .bean(TransformData.BEAN, "run")
                    .bean(CommandSteps.BEAN, "finished")
                .doCatch(Exception.class)
                    .bean(CommandSteps.BEAN, "failed")
                .end()
                .convertBodyTo(String.class);

        // one sync handler (an endpoint of app.modules.<module>.sync-handlers), named by the Map item; its reply is
        // the output
        step(SyncData.STATE)
                .doTry()
                    .bean(CommandSteps.BEAN, "started")
                    .setBody().method(SyncData.BEAN, "request")
                    .recipientList(header(SyncData.HANDLER_HEADER))
                        .onPrepare(SyncHandlerCall.BEAN)
                        .aggregationStrategy(SyncHandlerCall.BEAN)
                    .end()
                    .bean(CommandSteps.BEAN, "finished")
                .doCatch(Exception.class)
                    .bean(CommandSteps.BEAN, "failed")
                .end()
                .convertBodyTo(String.class);

        // wakes the next version if it waits, and ends the watch
        step(Finish.STATE)
                .doTry()
                    .bean(CommandSteps.BEAN, "started")
                    .bean(Finish.BEAN, "run")
                    .bean(CommandSteps.BEAN, "finished")
                .doCatch(Exception.class)
                    .bean(CommandSteps.BEAN, "failed")
                .end()
                .convertBodyTo(String.class);

        from(SyncHandlers.DEFAULT).routeId("sync-data-dynamodb")
                .bean(DataSync.BEAN, "syncHandler");
    }

    /**
     * {@code direct:command-handler.<state>}, route id {@code command-handler.<state>}, with the step's context
     * (property {@value CommandStepContext#PROPERTY}) for its beans. The failure of a step is caught in its own route
     * (doTry: the dispatcher calls it inside its own doTry, where no error handler of the step route would run).
     */
    private ProcessorDefinition<?> step(String state) {
        return from("direct:" + MACHINE + "." + state).routeId(MACHINE + "." + state)
                .setProperty(CommandStepContext.PROPERTY).method(CommandSteps.BEAN, "context");
    }
}
