package io.cqrsworkers.localaws.stepfunctions.runtime;

/** A Map Run of a distributed Map state (placeholder until the distributed map lands). */
public final class MapRun {
    public final String arn;
    public final String executionArn;

    MapRun(String arn, String executionArn) {
        this.arn = arn;
        this.executionArn = executionArn;
    }
}
