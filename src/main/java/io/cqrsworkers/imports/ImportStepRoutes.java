package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.workflow.StepEvent;
import org.apache.camel.builder.RouteBuilder;

import java.util.List;

/**
 * STEP_FUNCTION mode: the worker steps of {@code import-csv.asl.json}, on the same processors as DIRECT mode.
 * The map's children are the machine {@code import-csv/rows} (the map's Label).
 */
public class ImportStepRoutes extends RouteBuilder {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void configure() {
        ImportModule module = ImportModule.of(getContext());

        from("direct:import-csv/rows.csv_rows_handler").routeId("import-csv-rows-handler").process(e -> {
            StepEvent step = e.getMessage().getBody(StepEvent.class);
            // the child execution is the batch: the same when the step is delivered again
            BatchResult result = module.rows().handle(step.executionArn(), step.input(), List.of());
            e.getMessage().setBody(JSON.createObjectNode().put("totalRows", result.totalRows())
                    .put("succeededRows", result.succeededRows()).put("failedRows", result.failedRows()).toString());
        });

        from("direct:import-csv.finalize_parent_job").routeId("import-csv-finalize-parent-job").process(e -> {
            JsonNode input = e.getMessage().getBody(StepEvent.class).input();
            String jobId = input.path("sourceId").asText();
            JsonNode error = input.path("errorOutput");
            // AWS fails the map of a header-only file; that is an import of 0 rows
            boolean headerOnly = error.path("Error").asText().equals("States.ItemReaderFailed")
                    && error.path("Cause").asText().contains("only CSV headers");
            JsonNode job = error.isMissingNode() || headerOnly
                    ? module.finalizer().completed(jobId)
                    : module.finalizer().failed(jobId, error.path("Error").asText(), error.path("Cause").asText());
            e.getMessage().setBody(JSON.createObjectNode().put("status", job.path("status").asText())
                    .set("result", job.path("result")).toString());
        });
    }
}
