package io.cqrsworkers.localaws.sqs.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One queue: its attributes and messages. Visible messages wait in arrival order (FIFO queues: in send order, by
 * sequence number, so a message back from a visibility timeout keeps its place in its group); delayed and in-flight
 * ones in a set ordered by the time they become visible, and are moved over lazily by every operation that looks.
 * Receivers that long-poll wait as futures, served by the send (or timer) that makes a message visible, never by
 * polling.
 */
public final class Queue {

    private static final Logger LOG = LoggerFactory.getLogger(Queue.class);
    private static final Comparator<Message> BY_VISIBLE_AT =
            Comparator.comparingLong((Message m) -> m.visibleAt).thenComparingLong(m -> m.order);
    private static final long DEDUPLICATION_MILLIS = 5 * 60_000;

    /** A FIFO deduplication id seen in the last five minutes, and what its send answered. */
    private record Deduplication(SendResult first, long until) {
    }

    /** A long-polling receive waiting for messages. */
    private static final class Waiter {
        final int max;
        final int visibilitySeconds;
        final CompletableFuture<List<Delivery>> future = new CompletableFuture<>();
        ScheduledFuture<?> timeout;

        Waiter(int max, int visibilitySeconds) {
            this.max = max;
            this.visibilitySeconds = visibilitySeconds;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Queues owner;
    private final String name;
    private final String arn;
    private final boolean fifo;
    private final long createdSeconds;
    private long modifiedSeconds;
    private final TreeMap<String, String> attributes;
    private final TreeMap<String, String> tags;
    // read without the lock by request checks, so volatile
    private volatile int visibilityTimeout;
    private volatile int delaySeconds;
    private volatile int maximumMessageSize;
    private volatile long retentionMillis;
    private volatile int receiveWaitSeconds;
    private volatile RedrivePolicy redrivePolicy;
    private volatile boolean contentBasedDeduplication;

    private final Map<String, Message> messages = new HashMap<>();
    private final ArrayDeque<Message> ready = new ArrayDeque<>();
    private final TreeSet<Message> fifoReady = new TreeSet<>(Comparator.comparingLong(m -> m.sequenceNumber));
    private final Map<String, Integer> groupsInFlight = new HashMap<>();
    private final LinkedHashMap<String, Deduplication> deduplication = new LinkedHashMap<>();
    private long lastSequence;
    private final TreeSet<Message> timed = new TreeSet<>(BY_VISIBLE_AT);
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final List<Message> pendingMoves = new ArrayList<>();
    private final int[] counts = new int[Message.State.values().length];
    private long nextOrder;
    private ScheduledFuture<?> wakeTask;
    private long wakeAt;
    private boolean deleted;

    Queue(Queues owner, String name, boolean fifo, long createdSeconds, long modifiedSeconds,
          Map<String, String> attributes, Map<String, String> tags) {
        this.owner = owner;
        this.name = name;
        this.arn = owner.arn(name);
        this.fifo = fifo;
        this.createdSeconds = createdSeconds;
        this.modifiedSeconds = modifiedSeconds;
        this.attributes = QueueAttributes.defaults();
        this.tags = new TreeMap<>(tags);
        apply(attributes);
    }

    public String name() {
        return name;
    }

    public String arn() {
        return arn;
    }

    public boolean fifo() {
        return fifo;
    }

    public long createdSeconds() {
        return createdSeconds;
    }

    // ---- attributes and tags

    /** The settable attributes as stored (normalized). */
    public Map<String, String> settableAttributes() {
        lock.lock();
        try {
            return new TreeMap<>(attributes);
        } finally {
            lock.unlock();
        }
    }

    public long modifiedSeconds() {
        lock.lock();
        try {
            return modifiedSeconds;
        } finally {
            lock.unlock();
        }
    }

    /** Every attribute GetQueueAttributes knows, counts included. */
    public Map<String, String> allAttributes() {
        lock.lock();
        try {
            promote(owner.now());
            Map<String, String> all = new LinkedHashMap<>();
            all.put("QueueArn", arn);
            all.put("ApproximateNumberOfMessages", String.valueOf(counts[Message.State.VISIBLE.ordinal()]));
            all.put("ApproximateNumberOfMessagesNotVisible",
                    String.valueOf(counts[Message.State.IN_FLIGHT.ordinal()]));
            all.put("ApproximateNumberOfMessagesDelayed", String.valueOf(counts[Message.State.DELAYED.ordinal()]));
            all.put("CreatedTimestamp", String.valueOf(createdSeconds));
            all.put("LastModifiedTimestamp", String.valueOf(modifiedSeconds));
            all.putAll(attributes);
            if (fifo) {
                all.put(QueueAttributes.FIFO_QUEUE, "true");
                all.putIfAbsent(QueueAttributes.CONTENT_BASED_DEDUPLICATION, "false");
            }
            return all;
        } finally {
            lock.unlock();
        }
    }

    /** Sets normalized attributes; an empty RedrivePolicy removes it. */
    public void setAttributes(Map<String, String> changed) {
        lock.lock();
        try {
            checkNotDeleted();
            apply(changed);
            modifiedSeconds = owner.now() / 1000;
            owner.changes().queueChanged(this);
        } finally {
            lock.unlock();
        }
    }

    void restoreSettings(Map<String, String> saved, Map<String, String> savedTags, long modified) {
        lock.lock();
        try {
            attributes.clear();
            attributes.putAll(QueueAttributes.defaults());
            apply(saved);
            tags.clear();
            tags.putAll(savedTags);
            modifiedSeconds = modified;
        } finally {
            lock.unlock();
        }
    }

    private void apply(Map<String, String> changed) {
        changed.forEach((k, v) -> {
            if (k.equals(QueueAttributes.REDRIVE_POLICY) && v.isEmpty()) {
                attributes.remove(k);
            } else if (!k.equals(QueueAttributes.FIFO_QUEUE)) {
                attributes.put(k, v);
            }
        });
        visibilityTimeout = Integer.parseInt(attributes.get(QueueAttributes.VISIBILITY_TIMEOUT));
        delaySeconds = Integer.parseInt(attributes.get(QueueAttributes.DELAY_SECONDS));
        maximumMessageSize = Integer.parseInt(attributes.get(QueueAttributes.MAXIMUM_MESSAGE_SIZE));
        retentionMillis = Long.parseLong(attributes.get(QueueAttributes.MESSAGE_RETENTION_PERIOD)) * 1000;
        receiveWaitSeconds = Integer.parseInt(attributes.get(QueueAttributes.RECEIVE_WAIT));
        String redrive = attributes.get(QueueAttributes.REDRIVE_POLICY);
        redrivePolicy = redrive == null ? null : RedrivePolicy.parse(redrive);
        contentBasedDeduplication = "true".equals(attributes.get(QueueAttributes.CONTENT_BASED_DEDUPLICATION));
    }

    public int visibilityTimeout() {
        return visibilityTimeout;
    }

    public int delaySeconds() {
        return delaySeconds;
    }

    public int maximumMessageSize() {
        return maximumMessageSize;
    }

    public boolean contentBasedDeduplication() {
        return contentBasedDeduplication;
    }

    public int receiveWaitSeconds() {
        return receiveWaitSeconds;
    }

    /** The dead-letter queue ARN of the redrive policy, or null. */
    public String deadLetterTargetArn() {
        RedrivePolicy p = redrivePolicy;
        return p == null ? null : p.deadLetterTargetArn();
    }

    public Map<String, String> tags() {
        lock.lock();
        try {
            return new TreeMap<>(tags);
        } finally {
            lock.unlock();
        }
    }

    public void tag(Map<String, String> added, Collection<String> removed) {
        lock.lock();
        try {
            checkNotDeleted();
            tags.putAll(added);
            removed.forEach(tags::remove);
            owner.changes().queueChanged(this);
        } finally {
            lock.unlock();
        }
    }

    // ---- messages

    /**
     * Adds sent messages (the caller has checked them) and hands them to waiting receivers; in FIFO queues a message
     * whose deduplication id was sent in the last five minutes is accepted but not added.
     */
    public List<SendResult> send(List<Message> sent) {
        lock.lock();
        try {
            checkNotDeleted();
            long now = owner.now();
            List<SendResult> results = new ArrayList<>(sent.size());
            List<Message> added = new ArrayList<>(sent.size());
            for (Message m : sent) {
                Deduplication seen = fifo ? deduplicated(m.deduplicationId(), now) : null;
                if (seen != null) {
                    results.add(seen.first());
                    continue;
                }
                add(m, now);
                added.add(m);
                SendResult result = new SendResult(m.id(), m.sequenceNumber());
                if (fifo) {
                    deduplication.put(m.deduplicationId(), new Deduplication(result, now + DEDUPLICATION_MILLIS));
                }
                results.add(result);
            }
            if (!added.isEmpty()) {
                owner.changes().sent(this, added);
                serveWaiters(now);
            }
            return results;
        } finally {
            unlockAndMove();
        }
    }

    private Deduplication deduplicated(String deduplicationId, long now) {
        var oldest = deduplication.values().iterator();
        while (oldest.hasNext() && oldest.next().until() <= now) {
            oldest.remove();
        }
        return deduplication.get(deduplicationId);
    }

    /** How many ReceiveMessage calls wait on this queue for a message (long polls parked now). */
    public int waitingReceives() {
        lock.lock();
        try {
            return waiters.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Receives up to {@code max} messages. With {@code waitSeconds} > 0 and nothing visible, the future completes
     * when a message becomes visible or the wait ends (with no messages).
     */
    public CompletableFuture<List<Delivery>> receive(int max, int visibilitySeconds, int waitSeconds) {
        lock.lock();
        try {
            checkNotDeleted();
            long now = owner.now();
            promote(now);
            List<Delivery> got = take(max, visibilitySeconds, now);
            if (!got.isEmpty() || waitSeconds <= 0) {
                return CompletableFuture.completedFuture(got);
            }
            Waiter w = new Waiter(max, visibilitySeconds);
            waiters.addLast(w);
            w.timeout = owner.scheduler().schedule(() -> expire(w), waitSeconds, TimeUnit.SECONDS);
            if (!timed.isEmpty()) {
                scheduleWake(timed.first().visibleAt, now);
            }
            return w.future;
        } finally {
            unlockAndMove();
        }
    }

    /** Deletes by receipt handle; a stale handle (an older receive) succeeds without deleting, as in SQS. */
    public void delete(String receiptHandle) {
        deleteAll(List.of(receiptHandle), null);
    }

    /**
     * Deletes several messages under one lock and one journal line.
     *
     * @param failures where to put the handle's failure by index; null to throw the first
     */
    public void deleteAll(List<String> receiptHandles, Map<Integer, SqsException> failures) {
        lock.lock();
        try {
            checkNotDeleted();
            List<Message> gone = new ArrayList<>();
            for (int i = 0; i < receiptHandles.size(); i++) {
                String handle = receiptHandles.get(i);
                ReceiptHandles.Parsed p = handle == null ? null : ReceiptHandles.parse(handle);
                if (p == null) {
                    SqsException e = SqsException.receiptHandleIsInvalid(handle);
                    if (failures == null) {
                        throw e;
                    }
                    failures.put(i, e);
                    continue;
                }
                Message m = messages.get(p.messageId());
                if (m != null && m.receiveCount == p.receive()) {
                    remove(m);
                    gone.add(m);
                }
            }
            if (!gone.isEmpty()) {
                owner.changes().deleted(this, gone);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Changes how long a received message stays invisible, counted from now. */
    public void changeVisibility(String receiptHandle, int seconds) {
        lock.lock();
        try {
            checkNotDeleted();
            ReceiptHandles.Parsed p = ReceiptHandles.parse(receiptHandle);
            if (p == null) {
                throw SqsException.receiptHandleIsInvalid(receiptHandle);
            }
            long now = owner.now();
            promote(now);
            Message m = messages.get(p.messageId());
            if (m == null || m.receiveCount != p.receive()) {
                throw SqsException.invalidParameter("ReceiptHandle", receiptHandle,
                        "Message does not exist or is not available for visibility timeout change.");
            }
            if (m.state != Message.State.IN_FLIGHT) {
                throw SqsException.messageNotInflight();
            }
            timed.remove(m);
            if (seconds == 0) {
                makeVisible(m);
                serveWaiters(now);
            } else {
                m.visibleAt = now + seconds * 1000L;
                m.order = nextOrder++;
                timed.add(m);
                wakeIfWaiting(m.visibleAt, now);
            }
        } finally {
            unlockAndMove();
        }
    }

    public void purge() {
        lock.lock();
        try {
            checkNotDeleted();
            for (Message m : messages.values()) {
                m.state = Message.State.GONE;
            }
            messages.clear();
            ready.clear();
            fifoReady.clear();
            groupsInFlight.clear();
            timed.clear();
            java.util.Arrays.fill(counts, 0);
            owner.changes().purged(this);
        } finally {
            lock.unlock();
        }
    }

    /** Marks the queue deleted and answers its waiting receivers with nothing. */
    void markDeleted() {
        lock.lock();
        try {
            deleted = true;
            for (Waiter w : waiters) {
                w.timeout.cancel(false);
                w.future.complete(List.of());
            }
            waiters.clear();
            if (wakeTask != null) {
                wakeTask.cancel(false);
            }
            owner.changes().queueDeleted(this);
        } finally {
            lock.unlock();
        }
    }

    /** Puts a message back as saved in a data directory, replacing one with the same id. */
    public void restore(Message m) {
        lock.lock();
        try {
            Message old = messages.get(m.id());
            if (old != null) {
                remove(old);
            }
            long now = owner.now();
            add(m, now);
            if (fifo && m.sentMillis() + DEDUPLICATION_MILLIS > now) {
                deduplication.put(m.deduplicationId(), new Deduplication(new SendResult(m.id(), m.sequenceNumber()),
                        m.sentMillis() + DEDUPLICATION_MILLIS));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Replays a receive saved in a data directory: the count, not the visibility (everything is visible again). */
    public void restoreReceive(String messageId, int count, long firstMillis) {
        lock.lock();
        try {
            Message m = messages.get(messageId);
            if (m != null) {
                m.restoreReceives(count, firstMillis);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Replays deletes (and moves away) saved in a data directory. */
    public void restoreDelete(String messageId) {
        lock.lock();
        try {
            Message m = messages.get(messageId);
            if (m != null) {
                remove(m);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Visits every message under the queue lock (for a snapshot, inside {@link #locked}). */
    public void forEachMessage(Consumer<Message> visitor) {
        lock.lock();
        try {
            messages.values().forEach(visitor);
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code action} under this queue's lock, so a snapshot line matches the queue's messages. */
    public void locked(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    // ---- message move tasks (MoveTasks)

    /** Ids of every message, oldest first: what a move task started now has to move. */
    List<String> messageIdsInArrivalOrder() {
        lock.lock();
        try {
            return messages.values().stream().sorted(Comparator.comparingLong(Message::sentMillis))
                    .map(Message::id).toList();
        } finally {
            lock.unlock();
        }
    }

    /** The message if it is visible now (not in flight, not delayed, not expired), else null. */
    Message visibleMessage(String id) {
        lock.lock();
        try {
            long now = owner.now();
            promote(now);
            Message m = messages.get(id);
            return m != null && m.state == Message.State.VISIBLE && m.sentMillis() + retentionMillis > now ? m : null;
        } finally {
            lock.unlock();
        }
    }

    boolean holds(String id) {
        lock.lock();
        try {
            return messages.containsKey(id);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes a still visible message out for a move, in memory only: the destination journals the move as one line,
     * so a crash before that line leaves the message here.
     */
    boolean removeForMove(Message m) {
        lock.lock();
        try {
            if (deleted || messages.get(m.id()) != m || m.state != Message.State.VISIBLE) {
                return false;
            }
            remove(m);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds a message a move task took from {@code from} as a new message (new id, receive count 0, sent now, as a
     * redrive does) and journals the move.
     *
     * @return false when this queue was deleted meanwhile
     */
    boolean acceptRedriven(Queue from, Message original, String taskId) {
        lock.lock();
        try {
            if (deleted) {
                return false;
            }
            long now = owner.now();
            Message fresh = new Message(java.util.UUID.randomUUID().toString(), original.body(),
                    original.attributes(), original.systemAttributes(), now, original.senderId(), 0,
                    original.groupId(), original.deduplicationId(), null);
            add(fresh, now);
            owner.changes().redriven(from, original.id(), this, fresh, taskId);
            serveWaiters(now);
            return true;
        } finally {
            unlockAndMove();
        }
    }

    // ---- internals, all under the lock

    private void checkNotDeleted() {
        if (deleted) {
            throw SqsException.queueDoesNotExist();
        }
    }

    private void add(Message m, long now) {
        if (fifo) {
            if (m.sequenceNumber == 0) {
                // increasing across restarts too: derived from the clock, never below the last one
                m.sequenceNumber = Math.max(lastSequence + 1, now * 1_000_000);
            }
            lastSequence = Math.max(lastSequence, m.sequenceNumber);
        }
        messages.put(m.id(), m);
        if (m.receiveCount == 0 && m.delayedUntil() > now) {
            m.visibleAt = m.delayedUntil();
            m.order = nextOrder++;
            setState(m, Message.State.DELAYED);
            timed.add(m);
            wakeIfWaiting(m.visibleAt, now);
        } else {
            makeVisible(m);
        }
    }

    private void makeVisible(Message m) {
        setState(m, Message.State.VISIBLE);
        if (fifo) {
            fifoReady.add(m);
        } else {
            ready.addLast(m);
        }
    }

    private void remove(Message m) {
        if (m.state == Message.State.DELAYED || m.state == Message.State.IN_FLIGHT) {
            timed.remove(m);
        } else if (m.state == Message.State.VISIBLE && fifo) {
            fifoReady.remove(m);
        }
        messages.remove(m.id());
        setState(m, Message.State.GONE);
    }

    private void setState(Message m, Message.State state) {
        if (fifo && m.state == Message.State.IN_FLIGHT) {
            groupsInFlight.computeIfPresent(m.groupId(), (g, n) -> n == 1 ? null : n - 1);
        } else if (fifo && state == Message.State.IN_FLIGHT) {
            groupsInFlight.merge(m.groupId(), 1, Integer::sum);
        }
        if (m.state != null) {
            counts[m.state.ordinal()]--;
        }
        m.state = state;
        counts[state.ordinal()]++;
    }

    private void promote(long now) {
        while (!timed.isEmpty() && timed.first().visibleAt <= now) {
            makeVisible(timed.pollFirst());
        }
    }

    private List<Delivery> take(int max, int visibilitySeconds, long now) {
        List<Delivery> out = new ArrayList<>();
        List<Message> received = new ArrayList<>();
        List<Message> expired = new ArrayList<>();
        RedrivePolicy redrive = redrivePolicy;
        Set<String> lockedGroups = fifo ? new HashSet<>(groupsInFlight.keySet()) : Set.of();
        var fifoCandidates = fifoReady.iterator();
        while (out.size() < max) {
            Message m;
            if (fifo) {
                // a group with a message in flight from an earlier receive waits; this receive may take several
                m = null;
                while (m == null && fifoCandidates.hasNext()) {
                    Message next = fifoCandidates.next();
                    if (!lockedGroups.contains(next.groupId())) {
                        m = next;
                        fifoCandidates.remove();
                    }
                }
                if (m == null) {
                    break;
                }
            } else {
                if (ready.isEmpty()) {
                    break;
                }
                m = ready.pollFirst();
                if (m.state != Message.State.VISIBLE) {
                    continue; // deleted while visible
                }
            }
            if (m.sentMillis() + retentionMillis <= now) {
                remove(m);
                expired.add(m);
                continue;
            }
            if (redrive != null && m.receiveCount >= redrive.maxReceiveCount()
                    && owner.byArn(redrive.deadLetterTargetArn()) != null) {
                remove(m);
                pendingMoves.add(m);
                continue;
            }
            m.receiveCount++;
            if (m.firstReceiveMillis == 0) {
                m.firstReceiveMillis = now;
            }
            m.visibleAt = now + visibilitySeconds * 1000L;
            m.order = nextOrder++;
            setState(m, Message.State.IN_FLIGHT);
            timed.add(m);
            wakeIfWaiting(m.visibleAt, now);
            received.add(m);
            out.add(new Delivery(m, ReceiptHandles.of(m), m.receiveCount, m.firstReceiveMillis));
        }
        if (!expired.isEmpty()) {
            owner.changes().deleted(this, expired);
        }
        if (!received.isEmpty()) {
            owner.changes().received(this, received);
        }
        return out;
    }

    private void serveWaiters(long now) {
        while (!waiters.isEmpty() && counts[Message.State.VISIBLE.ordinal()] > 0) {
            Waiter w = waiters.peekFirst();
            List<Delivery> got = take(w.max, w.visibilitySeconds, now);
            if (got.isEmpty()) {
                return;
            }
            waiters.pollFirst();
            w.timeout.cancel(false);
            w.future.complete(got);
        }
    }

    private void expire(Waiter w) {
        lock.lock();
        try {
            if (waiters.remove(w)) {
                w.future.complete(List.of());
            }
        } finally {
            lock.unlock();
        }
    }

    private void wakeIfWaiting(long at, long now) {
        if (!waiters.isEmpty()) {
            scheduleWake(at, now);
        }
    }

    /** Makes sure waiting receivers are looked at when a delayed or in-flight message becomes visible. */
    private void scheduleWake(long at, long now) {
        if (wakeTask != null && !wakeTask.isDone() && wakeAt <= at) {
            return;
        }
        if (wakeTask != null) {
            wakeTask.cancel(false);
        }
        wakeAt = at;
        wakeTask = owner.scheduler().schedule(this::wake, Math.max(0, at - now), TimeUnit.MILLISECONDS);
    }

    private void wake() {
        lock.lock();
        try {
            wakeTask = null;
            long now = owner.now();
            promote(now);
            serveWaiters(now);
            if (!waiters.isEmpty() && !timed.isEmpty()) {
                scheduleWake(timed.first().visibleAt, now);
            }
        } finally {
            unlockAndMove();
        }
    }

    /** Unlocks, then hands messages that exceeded the redrive policy to the dead-letter queue. */
    private void unlockAndMove() {
        List<Message> moves = pendingMoves.isEmpty() ? List.of() : new ArrayList<>(pendingMoves);
        pendingMoves.clear();
        lock.unlock();
        for (Message m : moves) {
            RedrivePolicy redrive = redrivePolicy;
            Queue dlq = redrive == null ? null : owner.byArn(redrive.deadLetterTargetArn());
            if (dlq == null) {
                LOG.warn("Message {} of {} exceeded its receive count, and its dead-letter queue is gone: dropped",
                        m.id(), name);
                owner.changes().deleted(this, List.of(m));
            } else {
                dlq.acceptMoved(this, m);
            }
        }
    }

    private void acceptMoved(Queue from, Message m) {
        lock.lock();
        try {
            Message moved = m.movedFrom(from.arn());
            if (deleted) {
                owner.changes().deleted(from, List.of(m));
                return;
            }
            long now = owner.now();
            add(moved, now);
            owner.changes().moved(from, this, moved);
            serveWaiters(now);
        } finally {
            unlockAndMove();
        }
    }
}
