package io.cqrsworkers.localaws.sqs.store;


import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/** The queues of one account and region, found by name, URL or ARN. */
public final class Queues {

    private final String region;
    private final String accountId;
    private final Supplier<String> baseUrl;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Queue> byName = new ConcurrentHashMap<>();
    private volatile Changes changes = Changes.NONE;
    private final MoveTasks moveTasks = new MoveTasks(this);

    /**
     * @param baseUrl   scheme, host and port of queue URLs, e.g. http://127.0.0.1:9324 (known once the port is)
     * @param scheduler runs long-poll timeouts and wake-ups
     */
    public Queues(String region, String accountId, Supplier<String> baseUrl, Clock clock,
                  ScheduledExecutorService scheduler) {
        this.region = region;
        this.accountId = accountId;
        this.baseUrl = baseUrl;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    /** StartMessageMoveTask and friends. */
    public MoveTasks moveTasks() {
        return moveTasks;
    }

    public String accountId() {
        return accountId;
    }

    public void changes(Changes changes) {
        this.changes = changes;
    }

    Changes changes() {
        return changes;
    }

    long now() {
        return clock.millis();
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    public String arn(String name) {
        return "arn:aws:sqs:" + region + ":" + accountId + ":" + name;
    }

    public String url(Queue q) {
        return baseUrl.get() + "/" + accountId + "/" + q.name();
    }

    /**
     * Creates a queue, or returns the existing one when the requested attributes match its own.
     *
     * @param attributes normalized settable attributes
     */
    public synchronized Queue create(String name, boolean fifo, Map<String, String> attributes,
                                     Map<String, String> tags) {
        Queue existing = byName.get(name);
        if (existing != null) {
            String different = QueueAttributes.firstDifference(attributes, existing.settableAttributes(), fifo);
            if (different != null) {
                throw SqsException.queueNameExists(different);
            }
            return existing;
        }
        long nowSeconds = now() / 1000;
        Queue q = new Queue(this, name, fifo, nowSeconds, nowSeconds, attributes, tags);
        byName.put(name, q);
        changes.queueChanged(q);
        return q;
    }

    /** Puts back a queue saved in a data directory (replacing one of the same name, with its messages). */
    public synchronized Queue restore(String name, boolean fifo, long createdSeconds, long modifiedSeconds,
                                      Map<String, String> attributes, Map<String, String> tags) {
        Queue q = byName.get(name);
        if (q != null && q.createdSeconds() == createdSeconds) {
            q.restoreSettings(attributes, tags, modifiedSeconds);
            return q;
        }
        q = new Queue(this, name, fifo, createdSeconds, modifiedSeconds, attributes, tags);
        byName.put(name, q);
        return q;
    }

    public synchronized void delete(Queue q) {
        if (byName.remove(q.name(), q)) {
            q.markDeleted();
        }
    }

    /** @throws SqsException QueueDoesNotExist */
    public Queue byName(String name) {
        Queue q = name == null ? null : byName.get(name);
        if (q == null) {
            throw SqsException.queueDoesNotExist();
        }
        return q;
    }

    /** Finds a queue by the last two path segments of its URL (account and name), whatever host the URL names. */
    public Queue byUrl(String url) {
        if (url == null || url.isEmpty()) {
            throw SqsException.missingParameter("QueueUrl");
        }
        String path = url;
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        int slash = path.lastIndexOf('/');
        if (slash < 0) {
            throw SqsException.queueDoesNotExist();
        }
        String name = path.substring(slash + 1);
        int prev = path.lastIndexOf('/', slash - 1);
        String account = path.substring(prev + 1, slash);
        if (!account.equals(accountId)) {
            throw SqsException.queueDoesNotExist();
        }
        return byName(name);
    }

    /** @return null when no queue has that ARN */
    public Queue byArn(String arn) {
        String prefix = arn(""); // arn:aws:sqs:<region>:<account>:
        return arn != null && arn.startsWith(prefix) ? byName.get(arn.substring(prefix.length())) : null;
    }

    public Queue findOrNull(String name) {
        return byName.get(name);
    }

    /** Every queue, sorted by name. */
    public List<Queue> all() {
        return byName.values().stream().sorted(java.util.Comparator.comparing(Queue::name)).toList();
    }
}
