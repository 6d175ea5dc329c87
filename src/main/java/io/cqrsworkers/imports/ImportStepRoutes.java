package io.cqrsworkers.imports;

import io.cqrsworkers.workflow.StepHeaders;
import org.apache.camel.builder.RouteBuilder;

/**
 * STEP_FUNCTION mode: the worker steps of {@code import-csv.asl.json}, on the same beans as DIRECT mode. The map's
 * children are the machine {@code import-csv/rows} (the map's Label); each child is one batch. Also the steps of
 * the ZIP orchestrator, {@code import-zip.asl.json}.
 */
public class ImportStepRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:import-csv/rows.csv_rows_handler").routeId("import-csv-rows-handler")
                .bean(CsvRowsHandler.BEAN, "handleStep");

        from("direct:import-csv.finalize_parent_job").routeId("import-csv-finalize-parent-job")
                .bean(FinalizeParentJob.BEAN, "step");

        // ZIP orchestrator (import-zip.asl.json): one CSV job per file, its end answers the token (ZipImportRoutes)
        from("direct:import-zip.trigger_single_csv_and_wait").routeId("import-zip-trigger")
                .setBody().method(ZipOrchestration.BEAN, "trigger")
                .filter(body().isNull())
                    .setHeader(StepHeaders.DEFERRED, constant(true))
                .end();

        from("direct:import-zip.finalize_zip_job").routeId("import-zip-finalize")
                .setBody().method(ZipOrchestration.BEAN, "finalizeZip");
    }
}
