package io.cqrsworkers.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/** What a benchmark reads of the service's JVM at a point in time, from its MXBeans. */
final class Probe {

    private Probe() {
    }

    /**
     * @param nanos    System.nanoTime() of the benchmark when taken
     * @param cpuNanos CPU time of the service's process
     * @param jitMs    total time the JIT compiler threads spent compiling
     * @param gcMs     total time of the collections (G1: the pauses)
     * @param gcCount  collections so far
     * @param classes  classes loaded so far
     */
    record Sample(long nanos, long cpuNanos, long jitMs, long gcMs, long gcCount, long classes) {
    }

    /** This JVM (the service started in-process). */
    static Sample local() {
        long gcMs = 0;
        long gcCount = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcMs += Math.max(0, gc.getCollectionTime());
            gcCount += Math.max(0, gc.getCollectionCount());
        }
        return new Sample(System.nanoTime(), ((com.sun.management.OperatingSystemMXBean) ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime(),
                ManagementFactory.getCompilationMXBean().getTotalCompilationTime(), gcMs, gcCount,
                ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
    }
}
