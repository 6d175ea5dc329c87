package io.cqrsworkers.command;

import io.cqrsworkers.workflow.StartExecution;
import io.cqrsworkers.workflow.StreamUris;
import org.apache.camel.builder.RouteBuilder;

/**
 * Every INSERT on a module's command table (except synchronous publishes) starts the command state machine with
 * the stream record, in the shape Lambda receives it, under a name derived from pk, sk and version, and watches
 * the execution (see {@link CommandExecutionEnds}).
 */
public class CommandStreamRoutes extends RouteBuilder {

    /** Starts the command workflow for a stream record (body) of the module in header {@value #MODULE_HEADER}. */
    public static final String START = "direct:command-start";
    public static final String MODULE_HEADER = "CqrsModule";

    @Override
    public void configure() {
        CommandTables tables = getContext().getRegistry().lookupByNameAndType(CommandTables.BEAN, CommandTables.class);
        for (String module : tables.modules()) {
            String table = tables.table(module, CommandTables.COMMAND);
            from(StreamUris.of(getContext(), table, "workers-" + module + "-command"))
                    .routeId("command-stream-" + module)
                    .filter().method(CommandStarts.BEAN, "startsWorkflow")
                        .setHeader(MODULE_HEADER, constant(module))
                        .to(START);
        }

        // body: the execution ARN (of the execution that existed already, for a record delivered again)
        from(START).routeId("command-start")
                .setBody().method(CommandStarts.BEAN, "execution")
                .to(StartExecution.URI)
                .bean(CommandStarts.BEAN, "watch");
    }
}
