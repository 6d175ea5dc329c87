package io.cqrsworkers.imports;

import org.apache.camel.builder.RouteBuilder;

/**
 * STEP_FUNCTION mode: the worker steps of {@code import-csv.asl.json}, on the same beans as DIRECT mode. The map's
 * children are the machine {@code import-csv/rows} (the map's Label); each child is one batch.
 */
public class ImportStepRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:import-csv/rows.csv_rows_handler").routeId("import-csv-rows-handler")
                .bean(CsvRowsHandler.BEAN, "handleStep");

        from("direct:import-csv.finalize_parent_job").routeId("import-csv-finalize-parent-job")
                .bean(FinalizeParentJob.BEAN, "step");
    }
}
