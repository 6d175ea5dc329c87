package io.cqrsworkers.bench;

import io.cqrsworkers.aws.SdkCallObserver;
import software.amazon.awssdk.core.SdkRequest;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the SDK calls of every client in the JVM (the service's and the embedded services' own) by service and
 * operation, so a benchmark can print calls per command. Registered for all tests through the SDK's global
 * interceptor list; it counts only while {@link #enable()} was called. (The service's own calls, with the resource
 * each names, are recorded by io.cqrsworkers.aws.SdkCallRecorder, the same kind of observer.)
 */
public final class SdkCallCounter extends SdkCallObserver {

    private static final Map<String, LongAdder> CALLS = new ConcurrentHashMap<>();
    private static volatile boolean enabled;

    static void enable() {
        enabled = true;
    }

    @Override
    protected void observe(String service, String operation, SdkRequest request) {
        if (enabled) {
            CALLS.computeIfAbsent(service + "." + operation, k -> new LongAdder()).increment();
        }
    }

    /** The counts since the last call, and resets them. */
    static Map<String, Long> drain() {
        Map<String, Long> counts = new TreeMap<>();
        CALLS.forEach((operation, n) -> {
            long value = n.sumThenReset();
            if (value > 0) {
                counts.put(operation, value);
            }
        });
        return counts;
    }
}
