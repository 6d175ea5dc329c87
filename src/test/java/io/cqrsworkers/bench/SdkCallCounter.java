package io.cqrsworkers.bench;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the SDK calls of every client in the JVM (the service's and the embedded services' own) by service and
 * operation, so a benchmark can print calls per command. Registered for all tests through the SDK's global
 * interceptor list; it counts only while {@link #enable()} was called.
 */
public final class SdkCallCounter implements ExecutionInterceptor {

    private static final Map<String, LongAdder> CALLS = new ConcurrentHashMap<>();
    private static volatile boolean enabled;

    static void enable() {
        enabled = true;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (enabled) {
            CALLS.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                    + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), k -> new LongAdder()).increment();
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
