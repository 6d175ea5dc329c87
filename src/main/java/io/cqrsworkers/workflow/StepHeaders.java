package io.cqrsworkers.workflow;

/** Headers of an exchange that runs a worker step. */
public final class StepHeaders {

    public static final String MACHINE = "StepMachine";
    public static final String STATE = "StepState";
    /** The original StepEvent, kept while the body becomes the step's output. */
    public static final String EVENT = "StepEvent";
    /** Set true by a step that answers its token later (a callback that waits, such as wait_prev_command). */
    public static final String DEFERRED = "StepDeferred";

    private StepHeaders() {
    }
}
