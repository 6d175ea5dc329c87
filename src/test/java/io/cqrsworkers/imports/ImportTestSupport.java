package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.command.CommandService;
import io.cqrsworkers.command.CommandStore;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.awaitility.Awaitility.await;

/**
 * What the import tests share: the pipeline's beans from the registry, DIRECT runs through their route with each
 * job's batches recorded (and, per test, another handler in place of csvRowsHandler), finished jobs, read models.
 */
final class ImportTestSupport {

    /** Runs one batch in place of csvRowsHandler.handle. */
    @FunctionalInterface
    interface BatchHandler {
        BatchResult handle(String batchKey, JsonNode batch);
    }

    private final CamelContext context;
    /** Each job's batches as the DIRECT route made them. */
    private final Map<String, List<JsonNode>> batches = new ConcurrentHashMap<>();
    private volatile BatchHandler handler;

    /** Replaces the DIRECT route's csvRowsHandler step by one that records and hands on; once per context. */
    ImportTestSupport(CamelContext context) throws Exception {
        this.context = context;
        AdviceWith.adviceWith(context, "import-direct", a -> a.weaveById(DirectImport.HANDLER_STEP).replace()
                .process(e -> {
                    JsonNode batch = e.getMessage().getBody(JsonNode.class);
                    String job = batch.at("/BatchInput/Attributes/sourceId").asText();
                    batches.computeIfAbsent(job, k -> Collections.synchronizedList(new ArrayList<>())).add(batch);
                    String key = e.getMessage().getHeader(DirectImport.BATCH_KEY, String.class);
                    BatchHandler current = handler;
                    e.getMessage().setBody(current != null ? current.handle(key, batch) : rows().handle(key, batch));
                }));
    }

    <T> T bean(String name, Class<T> type) {
        return context.getRegistry().lookupByNameAndType(name, type);
    }

    ImportJobs jobs() {
        return bean(ImportJobs.BEAN, ImportJobs.class);
    }

    CsvRowsHandler rows() {
        return bean(CsvRowsHandler.BEAN, CsvRowsHandler.class);
    }

    CommandStore store() {
        return context.getRegistry().findSingleByType(CommandStore.class);
    }

    CommandService commands() {
        return context.getRegistry().findSingleByType(CommandService.class);
    }

    /** Batches run by another handler until {@link #restoreHandler()}. */
    void handler(BatchHandler replacement) {
        handler = replacement;
    }

    void restoreHandler() {
        handler = null;
    }

    /** The batches the DIRECT route made for a job, in the order they ran. */
    List<JsonNode> batches(String jobId) {
        return batches.getOrDefault(jobId, List.of());
    }

    /** Writes a job PROCESSING (as its start message's claim leaves it) and returns the request with its id. */
    ImportRequest processing(ImportRequest request) {
        return request.withSourceId(jobs().create(request, ImportStatus.PROCESSING).get("id").asText());
    }

    /** Writes a job CREATED, as the API does: the stream and the import action queue run it. */
    String created(ImportRequest request) {
        return jobs().create(request, ImportStatus.CREATED).get("id").asText();
    }

    /**
     * Reads the job's file through the DIRECT route, as its start message would ({@code resume}: it ran before);
     * returns once the reader has finished. A failure the route rethrows comes out as the exchange's exception.
     */
    void readDirect(ImportRequest job, boolean resume) {
        context.createProducerTemplate().requestBodyAndHeader(DirectImport.URI, job, DirectImport.RESUME, resume);
    }

    /** The job once every row is applied or rejected. */
    ObjectNode finished(String id) {
        await().atMost(Duration.ofSeconds(60)).until(() -> List.of("COMPLETED", "FAILED")
                .contains(jobs().get(id).orElseThrow().get("status").asText()));
        return jobs().get(id).orElseThrow();
    }

    JsonNode data(String tenant, String code) {
        return store().getData("sample", "SAMPLE#" + tenant, code, true).orElse(null);
    }
}
