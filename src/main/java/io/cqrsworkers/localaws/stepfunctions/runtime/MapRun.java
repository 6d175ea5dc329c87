package io.cqrsworkers.localaws.stepfunctions.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/** A Map Run: the child executions of one distributed Map state entry and their counts. */
public final class MapRun {
    public final String arn;
    public final String executionArn;
    public final String stateMachineArn;
    public final long startMillis;
    public final int maxConcurrency;
    public final double toleratedFailurePercentage;
    public final long toleratedFailureCount;
    private final Queue<Execution> children = new ConcurrentLinkedDeque<>();
    public final AtomicLong itemsTotal = new AtomicLong();
    public final AtomicLong itemsSucceeded = new AtomicLong();
    public final AtomicLong itemsFailed = new AtomicLong();
    public final AtomicLong itemsRunning = new AtomicLong();
    public final AtomicLong executionsSucceeded = new AtomicLong();
    public final AtomicLong executionsFailed = new AtomicLong();
    public final AtomicLong executionsRunning = new AtomicLong();
    public final AtomicLong resultsWritten = new AtomicLong();
    private volatile String status = "RUNNING";
    private volatile long stopMillis;

    MapRun(String arn, String executionArn, String stateMachineArn, long startMillis, int maxConcurrency,
           double toleratedFailurePercentage, long toleratedFailureCount) {
        this.arn = arn;
        this.executionArn = executionArn;
        this.stateMachineArn = stateMachineArn;
        this.startMillis = startMillis;
        this.maxConcurrency = maxConcurrency;
        this.toleratedFailurePercentage = toleratedFailurePercentage;
        this.toleratedFailureCount = toleratedFailureCount;
    }

    void addChild(Execution e) {
        children.add(e);
    }

    public List<Execution> executions() {
        List<Execution> list = new ArrayList<>(children);
        Collections.reverse(list);
        return list;
    }

    public String status() {
        return status;
    }

    public long stopMillis() {
        return stopMillis;
    }

    void end(String to, long millis) {
        stopMillis = millis;
        status = to;
    }
}
