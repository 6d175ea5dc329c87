package io.cqrsworkers.localaws.sqs.store;


import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The attributes a client may set on a queue: their defaults, ranges and normal forms. */
public final class QueueAttributes {

    public static final String VISIBILITY_TIMEOUT = "VisibilityTimeout";
    public static final String DELAY_SECONDS = "DelaySeconds";
    public static final String MAXIMUM_MESSAGE_SIZE = "MaximumMessageSize";
    public static final String MESSAGE_RETENTION_PERIOD = "MessageRetentionPeriod";
    public static final String RECEIVE_WAIT = "ReceiveMessageWaitTimeSeconds";
    public static final String REDRIVE_POLICY = "RedrivePolicy";
    public static final String FIFO_QUEUE = "FifoQueue";
    public static final String CONTENT_BASED_DEDUPLICATION = "ContentBasedDeduplication";

    /** Kept as given (policies, encryption, FIFO throughput settings): stored and answered, with no effect here. */
    private static final Set<String> OPAQUE = Set.of("Policy", "RedriveAllowPolicy", "KmsMasterKeyId",
            "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled", "DeduplicationScope", "FifoThroughputLimit");

    private QueueAttributes() {
    }

    /** The settable attributes of a new queue before the request's own. */
    public static TreeMap<String, String> defaults() {
        TreeMap<String, String> d = new TreeMap<>();
        d.put(VISIBILITY_TIMEOUT, "30");
        d.put(DELAY_SECONDS, "0");
        d.put(MAXIMUM_MESSAGE_SIZE, "262144");
        d.put(MESSAGE_RETENTION_PERIOD, "345600");
        d.put(RECEIVE_WAIT, "0");
        return d;
    }

    /**
     * Checks one attribute of CreateQueue or SetQueueAttributes.
     *
     * @return the value as stored; an empty RedrivePolicy removes it
     */
    public static String normalize(String name, String value, boolean creating, boolean fifo) {
        switch (name) {
            case VISIBILITY_TIMEOUT:
                return seconds(name, value, 0, 43_200);
            case DELAY_SECONDS:
                return seconds(name, value, 0, 900);
            case MAXIMUM_MESSAGE_SIZE:
                return seconds(name, value, 1024, 262_144);
            case MESSAGE_RETENTION_PERIOD:
                return seconds(name, value, 60, 1_209_600);
            case RECEIVE_WAIT:
                return seconds(name, value, 0, 20);
            case REDRIVE_POLICY:
                return value.isEmpty() ? "" : RedrivePolicy.parse(value).toJson();
            case FIFO_QUEUE:
                if (!creating) {
                    throw SqsException.invalidAttributeName(name);
                }
                if (!value.equalsIgnoreCase(String.valueOf(fifo))) {
                    throw SqsException.invalidAttributeValue(name);
                }
                return value.toLowerCase();
            case CONTENT_BASED_DEDUPLICATION:
                if (!fifo) {
                    throw SqsException.invalidAttributeName(name);
                }
                return bool(name, value);
            default:
                if (OPAQUE.contains(name)) {
                    return value;
                }
                throw SqsException.invalidAttributeName(name);
        }
    }

    private static String seconds(String name, String value, int min, int max) {
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= min && v <= max) {
                return String.valueOf(v);
            }
        } catch (NumberFormatException ignored) {
            // answered below like any other bad value
        }
        throw SqsException.invalidAttributeValue(name);
    }

    private static String bool(String name, String value) {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw SqsException.invalidAttributeValue(name);
        }
        return value.toLowerCase();
    }

    /**
     * The first requested attribute whose value differs from the queue's (an attribute the queue never set counts
     * with its default), or null when CreateQueue may return the existing queue. Attributes not requested are not
     * compared, as in SQS.
     */
    public static String firstDifference(Map<String, String> requested, Map<String, String> existing, boolean fifo) {
        TreeMap<String, String> defaults = defaults();
        for (Map.Entry<String, String> e : requested.entrySet()) {
            String key = e.getKey();
            String have = existing.containsKey(key) ? existing.get(key)
                    : key.equals(FIFO_QUEUE) ? String.valueOf(fifo) : defaults.getOrDefault(key, "");
            if (!have.equals(e.getValue())) {
                return key;
            }
        }
        return null;
    }
}
