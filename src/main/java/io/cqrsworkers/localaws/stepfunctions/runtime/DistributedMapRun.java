package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.core.Json;
import io.cqrsworkers.localaws.stepfunctions.asl.Definition;
import io.cqrsworkers.localaws.stepfunctions.asl.MapState;
import io.cqrsworkers.localaws.stepfunctions.asl.QueryLanguage;
import io.cqrsworkers.localaws.stepfunctions.data.StatesError;
import io.cqrsworkers.localaws.stepfunctions.integrations.Integration;
import io.cqrsworkers.localaws.stepfunctions.integrations.S3Integration;
import io.cqrsworkers.localaws.stepfunctions.integrations.S3ItemReader;
import io.cqrsworkers.localaws.stepfunctions.integrations.S3ResultWriter;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A running distributed Map state: items streamed from the ItemReader (or the input), grouped by the ItemBatcher,
 * each item or batch run as a child execution of the ItemProcessor, at most MaxConcurrency at a time, with the
 * failure tolerance and the ResultWriter of AWS. Only the running children and the results are held in memory.
 */
public final class DistributedMapRun {
    private final MapState state;
    private final StateRun run;
    private final Engine engine;
    private JsonNode mapInput;
    private MapRun mapRun;
    private String runId;
    private StateMachine childMachine;
    private S3ItemReader reader;
    private JsonNode inlineItems;
    private int inlinePosition;
    private long itemIndex;
    private long childIndex;
    private int maxConcurrency;
    private long toleratedCount;
    private double toleratedPercentage;
    private int maxItemsPerBatch;
    private long maxBytesPerBatch;
    private JsonNode batchInput;
    private boolean batching;
    private JsonNode pendingItem;
    private boolean readingDone;
    private boolean finished;
    private int running;
    private long failedCount;
    private final Set<Execution> children = new HashSet<>();
    private final Map<Long, JsonNode> outputs = new TreeMap<>();
    private final List<ObjectNode> succeededResults = new ArrayList<>();
    private final List<ObjectNode> failedResults = new ArrayList<>();

    DistributedMapRun(MapState state, StateRun run) {
        this.state = state;
        this.run = run;
        this.engine = run.runtime();
    }

    void start() {
        mapInput = run.effectiveInput();
        Execution parent = run.execution();
        String label = state.label != null ? state.label : UUID.randomUUID().toString().substring(0, 8);
        runId = UUID.randomUUID().toString();
        maxConcurrency = MapItems.maxConcurrency(state, run);
        configureTolerance();
        configureBatching();
        childMachine = childMachine(label);
        engine.putChildMachine(childMachine);
        openItems();
        mapRun = new MapRun(engine.arns().mapRun(parent.machine.name(), label, runId), parent.arn, childMachine.arn(),
                engine.clock().millis(), maxConcurrency, toleratedPercentage, toleratedCount);
        engine.putMapRun(mapRun);
        run.event("MapRunStarted", "mapRunStartedEventDetails", Json.object().put("mapRunArn", mapRun.arn));
        parent.whenEnded(e -> abortChildren());
        if (run.flow.cancelled()) {
            return; // the execution ended meanwhile: no child starts
        }
        fill();
    }

    private StateMachine childMachine(String label) {
        Execution parent = run.execution();
        String childMachineArn = engine.arns().stateMachine(parent.machine.name() + "/" + label);
        return new StateMachine(childMachineArn, parent.machine.name() + "/" + label,
                state.expressChildren ? "EXPRESS" : "STANDARD", Json.write(state.processorDefinition), Definition.of(state.processor),
                parent.machine.roleArn(), engine.clock().millis(), engine.clock().millis(), runId);
    }

    /**
     * After a restart: the map run goes on with the children it had. The items are read again in the same order,
     * so child N gets the same batch; children that ended count as they did, running ones are waited for, and the
     * items no child had yet are started as slots free up.
     */
    void resume(Resumption r) {
        History.Entry started = r.startedWith("MapRunStarted");
        MapRun restored = started == null ? null
                : engine.findMapRun(started.event().path("mapRunStartedEventDetails").path("mapRunArn").asText());
        if (restored == null) {
            r.restart();
            return;
        }
        mapRun = restored;
        mapInput = run.effectiveInput();
        String arn = mapRun.arn;
        runId = arn.substring(arn.lastIndexOf(':') + 1);
        String label = arn.substring(arn.lastIndexOf('/') + 1, arn.lastIndexOf(':'));
        maxConcurrency = MapItems.maxConcurrency(state, run);
        configureTolerance();
        configureBatching();
        childMachine = childMachine(label);
        Map<Long, Execution> byIndex = new HashMap<>();
        long lastKnown = -1;
        for (Execution child : mapRun.executions()) {
            byIndex.put(child.childIndex, child);
            lastKnown = Math.max(lastKnown, child.childIndex);
        }
        List<Runnable> later = new ArrayList<>();
        synchronized (this) {
            try {
                openItems();
                for (long k = 0; k <= lastKnown; k++) {
                    JsonNode input = nextChildInput();
                    if (input == null) {
                        break;
                    }
                    long index = k;
                    int items = batching ? input.path("Items").size() : 1;
                    Execution child = byIndex.get(k);
                    running++;
                    if (child == null) {
                        // its start was under way when the engine stopped
                        later.add(() -> engine.submit(() -> startChild(index, input)));
                    } else {
                        later.add(() -> adopt(index, child, items));
                    }
                }
                childIndex = lastKnown + 1;
            } catch (StatesError e) {
                fail(e.error(), e.cause());
                return;
            }
        }
        run.execution().whenEnded(e -> abortChildren());
        later.forEach(Runnable::run);
        fill();
    }

    private void configureTolerance() {
        Long count = MapItems.toleratedCount(state, run);
        Double pct = MapItems.toleratedPercentage(state, run);
        toleratedCount = count != null ? count : pct != null ? Long.MAX_VALUE : 0;
        toleratedPercentage = pct != null ? pct : count != null ? 100 : 0;
    }

    private JsonNode number(JsonNode field) {
        return field == null ? null : run.value(field, run.input());
    }

    private void configureBatching() {
        JsonNode b = state.itemBatcher;
        if (b == null) {
            return;
        }
        batching = true;
        JsonNode items = b.has("MaxItemsPerBatchPath") ? run.path(b.get("MaxItemsPerBatchPath").asText(), mapInput) : number(b.get("MaxItemsPerBatch"));
        JsonNode bytes = b.has("MaxInputBytesPerBatchPath") ? run.path(b.get("MaxInputBytesPerBatchPath").asText(), mapInput) : number(b.get("MaxInputBytesPerBatch"));
        maxItemsPerBatch = items == null ? Integer.MAX_VALUE : items.asInt();
        maxBytesPerBatch = bytes == null ? 256 * 1024 : Math.min(bytes.asLong(), 256 * 1024);
        if (b.has("BatchInput")) {
            batchInput = run.payload(b.get("BatchInput"), mapInput);
        }
    }

    private void openItems() {
        JsonNode r = state.itemReader;
        if (r == null) {
            inlineItems = MapItems.inline(state, run);
            return;
        }
        S3Client s3 = s3();
        JsonNode template = state.language == QueryLanguage.JSONATA ? r.get("Arguments") : r.get("Parameters");
        JsonNode args = template == null ? Json.object() : run.payload(template, mapInput);
        JsonNode config = r.path("ReaderConfig");
        JsonNode max = config.has("MaxItemsPath") ? run.path(config.get("MaxItemsPath").asText(), mapInput) : number(config.get("MaxItems"));
        reader = S3ItemReader.open(s3, r.path("Resource").asText(), config, args, max == null ? 0 : max.asLong());
    }

    private S3Client s3() {
        Integration s3 = engine.integrations().get("s3");
        if (!(s3 instanceof S3Integration i)) {
            throw new StatesError("States.ItemReaderFailed", "S3 is not configured for the local Step Functions engine");
        }
        return i.client();
    }

    private JsonNode nextItem() {
        JsonNode value;
        if (pendingItem != null) {
            value = pendingItem;
            pendingItem = null;
            return value;
        }
        if (reader != null) {
            value = reader.next();
        } else {
            value = inlinePosition < inlineItems.size() ? inlineItems.get(inlinePosition++) : null;
        }
        if (value == null) {
            return null;
        }
        ObjectNode item = Json.object();
        item.put("Index", itemIndex++);
        item.set("Value", value);
        mapRun.itemsTotal.incrementAndGet();
        return MapItems.select(state, run, mapInput, item);
    }

    /** The next child input (one item or a batch), or null when the items are exhausted. */
    private JsonNode nextChildInput() {
        if (!batching) {
            return nextItem();
        }
        ArrayNode items = Json.NODES.arrayNode();
        long bytes = 2;
        while (items.size() < maxItemsPerBatch) {
            JsonNode item = nextItem();
            if (item == null) {
                break;
            }
            long size = Json.write(item).length() + 1;
            if (!items.isEmpty() && bytes + size > maxBytesPerBatch) {
                pendingItem = item;
                break;
            }
            items.add(item);
            bytes += size;
        }
        if (items.isEmpty()) {
            return null;
        }
        ObjectNode batch = Json.object();
        if (batchInput != null) {
            batch.set("BatchInput", batchInput);
        }
        batch.set("Items", items);
        return batch;
    }

    /**
     * Starts children until MaxConcurrency is reached or the items run out. Each start is a pool task of its own:
     * a child that ends at once reports back from there instead of growing this stack.
     */
    private void fill() {
        List<Runnable> starts = new ArrayList<>();
        synchronized (this) {
            try {
                while (!finished && !readingDone && (maxConcurrency == 0 || running < maxConcurrency)) {
                    JsonNode input = nextChildInput();
                    if (input == null) {
                        readingDone = true;
                        if (reader != null) {
                            reader.close();
                        }
                        break;
                    }
                    running++;
                    long index = childIndex++;
                    starts.add(() -> engine.submit(() -> startChild(index, input)));
                }
            } catch (StatesError e) {
                fail(e.error(), e.cause());
                return;
            }
            if (readingDone && running == 0 && !finished) {
                finished = true;
                engine.submit(this::complete);
            }
        }
        starts.forEach(Runnable::run);
    }

    private void startChild(long index, JsonNode input) {
        String name = UUID.randomUUID().toString();
        String arn = childMachine.express()
                ? engine.arns().expressExecution(childMachine.name(), name, UUID.randomUUID().toString())
                : engine.arns().execution(childMachine.name(), name);
        Execution child = engine.startChild(childMachine, arn, name, Json.write(input), mapRun.arn, index, run.execution().mock);
        mapRun.addChild(child);
        adopt(index, child, batching ? input.path("Items").size() : 1);
    }

    /** Counts {@code child} as running and waits for its end. */
    private void adopt(long index, Execution child, int items) {
        mapRun.executionsRunning.incrementAndGet();
        mapRun.itemsRunning.addAndGet(items);
        synchronized (this) {
            children.add(child);
        }
        child.whenEnded(e -> childEnded(index, e, items));
    }

    private void childEnded(long index, Execution child, int items) {
        mapRun.executionsRunning.decrementAndGet();
        mapRun.itemsRunning.addAndGet(-items);
        boolean ok = child.status() == Execution.Status.SUCCEEDED;
        (ok ? mapRun.executionsSucceeded : mapRun.executionsFailed).incrementAndGet();
        (ok ? mapRun.itemsSucceeded : mapRun.itemsFailed).addAndGet(items);
        synchronized (this) {
            children.remove(child);
            running--;
            if (finished) {
                return;
            }
            if (state.resultWriter != null) {
                (ok ? succeededResults : failedResults).add(result(child));
            } else if (ok) {
                outputs.put(index, parse(child.outputText()));
            }
            if (!ok) {
                failedCount += items;
                if (failedCount > toleratedCount) {
                    fail("States.ExceedToleratedFailureThreshold", "The specified tolerated failure threshold was exceeded");
                    return;
                }
            }
        }
        fill();
    }

    private ObjectNode result(Execution e) {
        ObjectNode r = Json.object();
        r.put("ExecutionArn", e.arn);
        r.put("Input", e.inputText);
        r.set("InputDetails", Json.object().put("Included", true));
        r.put("Name", e.name);
        if (e.outputText() != null) {
            r.put("Output", e.outputText());
            r.set("OutputDetails", Json.object().put("Included", true));
        }
        if (e.error() != null) {
            r.put("Error", e.error());
        }
        if (e.cause() != null) {
            r.put("Cause", e.cause());
        }
        r.put("RedriveCount", 0);
        r.put("RedriveStatus", "NOT_REDRIVABLE");
        r.put("StartDate", Instant.ofEpochMilli(e.startMillis).toString());
        r.put("StateMachineArn", e.machine.arn());
        r.put("Status", e.status().name());
        r.put("StopDate", Instant.ofEpochMilli(e.stopMillis()).toString());
        return r;
    }

    private static JsonNode parse(String text) {
        try {
            return Json.parse(text);
        } catch (Exception e) {
            return Json.NODES.textNode(text);
        }
    }

    private void complete() {
        long total = mapRun.itemsTotal.get();
        if (total > 0 && failedCount * 100.0 / total > toleratedPercentage) {
            finishFailed("States.ExceedToleratedFailureThreshold", "The specified tolerated failure threshold was exceeded");
            return;
        }
        JsonNode output;
        try {
            if (state.resultWriter != null) {
                JsonNode w = state.resultWriter;
                JsonNode template = state.language == QueryLanguage.JSONATA ? w.get("Arguments") : w.get("Parameters");
                JsonNode args = template == null ? Json.object() : run.payload(template, mapInput);
                String bucket = args.path("Bucket").asText();
                String key = S3ResultWriter.write(s3(), bucket, args.path("Prefix").asText(""), mapRun.arn, runId, succeededResults, failedResults);
                mapRun.resultsWritten.set(succeededResults.size() + failedResults.size());
                ObjectNode o = Json.object();
                o.put("MapRunArn", mapRun.arn);
                o.putObject("ResultWriterDetails").put("Bucket", bucket).put("Key", key);
                output = o;
            } else {
                ArrayNode a = Json.NODES.arrayNode();
                outputs.values().forEach(a::add);
                output = a;
            }
        } catch (StatesError e) {
            finishFailed(e.error(), e.cause());
            return;
        }
        engine.endMapRun(mapRun, "SUCCEEDED");
        // the ResultWriter's output is not in the event: a restart after it goes on from here
        run.event("MapRunSucceeded", null, null, Json.object().set("output", output));
        run.guarded(() -> run.succeed(output));
    }

    /** Called with the lock held. */
    private void fail(String error, String cause) {
        finished = true;
        if (reader != null) {
            reader.close();
        }
        engine.submit(() -> {
            abortChildren();
            finishFailed(error, cause);
        });
    }

    private void finishFailed(String error, String cause) {
        engine.endMapRun(mapRun, "FAILED");
        ObjectNode d = Json.object();
        Engine.putErrorCause(d, error, cause);
        run.event("MapRunFailed", "mapRunFailedEventDetails", d);
        run.fail(error, cause);
    }

    private void abortChildren() {
        List<Execution> toStop;
        synchronized (this) {
            toStop = new ArrayList<>(children);
        }
        for (Execution c : toStop) {
            engine.stop(c, "States.Aborted", "The Map Run was stopped");
        }
    }
}
