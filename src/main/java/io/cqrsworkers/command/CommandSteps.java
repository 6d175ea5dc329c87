package io.cqrsworkers.command;

import io.cqrsworkers.notification.Notifier;
import io.cqrsworkers.workflow.StepEvent;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

/**
 * The original's envelope around every command step, as beans the step routes call: the step's context from its
 * {@link StepEvent}, {@code <state>:STARTED} before the step, {@code <state>:FINISHED} after it, and on an exception
 * {@code <state>:FAILED} with an alarm, after which the exception goes on to fail the task.
 */
public final class CommandSteps {

    /** The registry name of the bean. */
    public static final String BEAN = "commandSteps";

    private final CommandTables tables;
    private final CommandStatus status;
    private final Notifier notifier;

    public CommandSteps(CommandTables tables, CommandStatus status, Notifier notifier) {
        this.tables = tables;
        this.status = status;
        this.notifier = notifier;
    }

    /** The step's context: the command from the stream record that started the execution, and its module. */
    public CommandStepContext context(@Body StepEvent event) {
        return CommandStepContext.of(event, tables);
    }

    public void started(@ExchangeProperty(CommandStepContext.PROPERTY) CommandStepContext c) {
        record(c, "STARTED");
    }

    public void finished(@ExchangeProperty(CommandStepContext.PROPERTY) CommandStepContext c) {
        record(c, "FINISHED");
    }

    /** A step that failed: its status and an alarm; then the failure goes on, to fail the task. */
    public void failed(@ExchangeProperty(CommandStepContext.PROPERTY) CommandStepContext c,
                       @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure) throws Exception {
        record(c, "FAILED");
        notifier.alarm(tables.table(c.module(), CommandTables.COMMAND), c.pk(), c.sk(),
                c.event().state() + " failed: " + failure, c.event().executionArn());
        throw failure;
    }

    private void record(CommandStepContext c, String phase) {
        status.record(c.module(), c.pk(), c.sk(), c.event().state() + ":" + phase,
                c.command().path("source").asText(null));
    }
}
