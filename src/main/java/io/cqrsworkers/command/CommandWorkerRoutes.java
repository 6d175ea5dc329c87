package io.cqrsworkers.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.command.steps.SyncData;
import org.apache.camel.builder.RouteBuilder;

import java.util.Map;

/**
 * The command state machine's worker steps, {@code direct:command-handler.<state>}, reached through the workflow
 * dispatcher; and the default sync handler, which writes the read-model record.
 */
public class CommandWorkerRoutes extends RouteBuilder {

    public static final String MACHINE = "command-handler";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void configure() {
        CommandModule module = CommandModule.of(getContext());
        for (String state : module.worker().states()) {
            from("direct:" + MACHINE + "." + state).routeId(MACHINE + "." + state)
                    .process(e -> module.worker().run(state, e));
        }

        from(SyncHandlers.DEFAULT).routeId("sync-data-dynamodb")
                .process(e -> e.getMessage().setBody(module.dataSync().applyData(
                        e.getMessage().getHeader(SyncData.MODULE_HEADER, String.class),
                        JSON.valueToTree(e.getMessage().getBody(Map.class)))));
    }
}
