package io.cqrsworkers.workflow;

import io.cqrsworkers.callback.SfnTaskHeaders;
import org.apache.camel.Body;
import org.apache.camel.Message;

/**
 * Reads a worker-queue message as a {@link StepEvent} for the dispatch route: the body becomes the event, and the
 * headers name what the step routes and the callback need ({@link StepHeaders}, {@link SfnTaskHeaders#TOKEN}).
 */
public final class StepDispatch {

    /** The registry name of the bean. */
    public static final String BEAN = "stepDispatch";

    private final String prefix;

    public StepDispatch(String prefix) {
        this.prefix = prefix;
    }

    /** @throws StepEvent.InvalidStepEventException for a message that is not a step (no token to answer) */
    public StepEvent accept(@Body String body, Message message) {
        StepEvent event = StepEvent.parse(body, prefix);
        message.setHeader(SfnTaskHeaders.TOKEN, event.taskToken());
        message.setHeader(StepHeaders.MACHINE, event.machine());
        message.setHeader(StepHeaders.STATE, event.state());
        message.setHeader(StepHeaders.EVENT, event);
        return event;
    }
}
