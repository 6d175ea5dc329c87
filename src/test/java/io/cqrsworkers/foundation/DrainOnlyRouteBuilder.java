package io.cqrsworkers.foundation;

import org.apache.camel.builder.RouteBuilder;

/** Stands in for the service's Java routes in the graceful-shutdown test, which runs only its YAML drain route. */
public class DrainOnlyRouteBuilder extends RouteBuilder {

    @Override
    public void configure() {
        // nothing: the pipelines need AWS services this test does not run
    }
}
