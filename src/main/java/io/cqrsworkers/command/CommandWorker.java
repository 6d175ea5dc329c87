package io.cqrsworkers.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.workflow.StepEvent;
import io.cqrsworkers.workflow.StepHeaders;
import org.apache.camel.Exchange;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a command step inside the original's envelope: {@code <state>:STARTED}, the step, {@code <state>:FINISHED};
 * on an exception {@code <state>:FAILED}, an alarm, and the exception goes on to fail the task.
 */
public final class CommandWorker {

    private final Map<String, CommandStep> steps = new LinkedHashMap<>();
    private final CommandTables tables;
    private final CommandStatus status;
    private final Notifier notifier;

    public CommandWorker(List<CommandStep> steps, CommandTables tables, CommandStatus status, Notifier notifier) {
        steps.forEach(s -> this.steps.put(s.state(), s));
        this.tables = tables;
        this.status = status;
        this.notifier = notifier;
    }

    public List<String> states() {
        return List.copyOf(steps.keySet());
    }

    public void run(String state, Exchange exchange) throws Exception {
        CommandStep step = steps.get(state);
        StepEvent event = exchange.getMessage().getHeader(StepHeaders.EVENT, StepEvent.class);
        CommandStepContext c = CommandStepContext.of(event, tables);
        String source = c.command().path("source").asText(null);
        if (step.recordsStatus()) {
            status.record(c.module(), c.pk(), c.sk(), state + ":STARTED", source);
        }
        JsonNode output;
        try {
            output = step.run(c);
        } catch (Exception e) {
            status.record(c.module(), c.pk(), c.sk(), state + ":FAILED", source);
            notifier.alarm(tables.table(c.module(), CommandTables.COMMAND), c.pk(), c.sk(),
                    state + " failed: " + e, event.executionArn());
            throw e;
        }
        if (step.recordsStatus()) {
            status.record(c.module(), c.pk(), c.sk(), state + ":FINISHED", source);
        }
        exchange.getMessage().setHeader(StepHeaders.DEFERRED, step.defersAnswer());
        exchange.getMessage().setBody(output.toString());
    }
}
