package io.cqrsworkers.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.aws.AwsClients;
import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.resources.Provisioner;
import io.cqrsworkers.resources.ResourceDescription;
import io.cqrsworkers.workflow.ExecutionNames;
import io.cqrsworkers.support.FreePort;
import io.cqrsworkers.task.TaskKeys;
import io.cqrsworkers.task.TaskService;
import io.cqrsworkers.workflow.StateMachines;
import io.cqrsworkers.task.TaskRunner;
import io.cqrsworkers.task.TaskStore;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

import software.amazon.awssdk.services.sfn.model.HistoryEvent;

import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sub-tasks per second of one step-function task of N items (default 1,000) whose handler does no work, at
 * MaxConcurrency 2 and 50, on the embedded AWS services; and the overhead per sub-task (worker queue, status
 * writes, notifications, callback) against the handler's own time; and where one iteration's time goes, from the
 * execution history (median and mean): Map iteration started to TaskScheduled, TaskScheduled to TaskSubmitted (the
 * message is sent), TaskSubmitted to TaskSucceeded (the worker: receive, sub-task, answer), TaskSucceeded to the
 * iteration's end, and the gap before the slot's next iteration starts. Run: main (args: items), see README.
 */
public final class TaskBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        AtomicLong handlerNanos = new AtomicLong();
        Main main = new Main();
        main.addInitialProperty("camel.main.profile", "local");
        // Camel's stream reader: no KCL lease wait before the first task, which the numbers are not about
        main.addOverrideProperty("app.streams.component", "aws2-ddbstream");
        // free ports and a data folder of its own
        main.addOverrideProperty("camel.server.port", String.valueOf(FreePort.find("127.0.0.1")));
        main.addOverrideProperty("camel.management.port", String.valueOf(FreePort.find("127.0.0.1")));
        for (String service : new String[] {"sqs", "s3", "dynamodb", "stepfunctions"}) {
            main.addOverrideProperty("app.local." + service + ".port", "0");
        }
        main.addOverrideProperty("app.local.data-dir", Files.createTempDirectory("cqrs-task-bench").toString());
        main.addOverrideProperty("camel.main.routes-include-pattern",
                "file:routes/*.camel.yaml,classpath:test-routes/*.camel.yaml");
        main.setPropertyPlaceholderLocations("file:application-local.properties;optional=true,file:application.properties");
        main.configure().addConfiguration(AppConfiguration.class);
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:task-bench").routeId("bench-handler").process(e -> {
                    long start = System.nanoTime();
                    e.getMessage().setBody("{}");
                    handlerNanos.addAndGet(System.nanoTime() - start);
                });
            }
        });
        main.start();
        try {
            CamelContext context = main.getCamelContext();
            baseline(context);
            for (int concurrency : new int[] {2, 50}) {
                handlerNanos.set(0);
                run(context, items, concurrency, handlerNanos);
            }
        } finally {
            main.stop();
        }
        // KCL leaves non-daemon threads behind when its consumers stop
        System.exit(0);
    }

    /** The cost of single calls to the embedded services, the unit the overhead per sub-task is made of. */
    private static void baseline(CamelContext context) {
        AwsClients aws = context.getRegistry().lookupByNameAndType("awsClients", AwsClients.class);
        TaskStore store = context.getRegistry().lookupByNameAndType(TaskStore.BEAN, TaskStore.class);
        String queue = aws.sqs().getQueueUrl(b -> b.queueName(
                context.resolvePropertyPlaceholders("{{queue:notification-queue}}"))).queueUrl();
        int n = 200;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            store.put(JSON.createObjectNode().put("pk", "BENCH").put("sk", "row#" + i).put("status", "CREATED"));
        }
        long puts = System.nanoTime() - start;
        start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            store.get(new TaskKeys("BENCH", "row#" + i));
        }
        long gets = System.nanoTime() - start;
        start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            aws.sqs().sendMessage(b -> b.queueUrl(queue).messageBody("{}"));
        }
        long sends = System.nanoTime() - start;
        aws.sqs().purgeQueue(b -> b.queueUrl(queue));
        System.out.printf("embedded services, one call: DynamoDB PutItem %.1f ms, GetItem %.1f ms, SQS SendMessage %.1f ms%n",
                puts / 1e6 / n, gets / 1e6 / n, sends / 1e6 / n);
    }

    private static void run(CamelContext context, int items, int concurrency, AtomicLong handlerNanos)
            throws Exception {
        AwsClients aws = context.getRegistry().lookupByNameAndType("awsClients", AwsClients.class);
        String prefix = context.resolvePropertyPlaceholders("{{app.prefix}}");
        // the same definition with another MaxConcurrency, as app.task.max-concurrency would give it
        new Provisioner(aws, prefix, key -> key.equals("app.task.max-concurrency") ? String.valueOf(concurrency)
                : context.getPropertiesComponent().resolveProperty(key).orElse(null))
                .createOrUpdateStateMachine(TaskRunner.MACHINE, ResourceDescription.readText(
                        "infra/statemachines/task.asl.json"));

        TaskService service = context.getRegistry().lookupByNameAndType(TaskService.BEAN, TaskService.class);
        ArrayNode input = JSON.createArrayNode();
        for (int i = 0; i < items; i++) {
            input.addObject().put("n", i);
        }
        ObjectNode request = JSON.createObjectNode().put("taskType", "bench").put("tenantCode", "bench");
        request.set("input", input);
        long start = System.nanoTime();
        ObjectNode task = service.create(request, true, "bench-" + concurrency);
        TaskKeys key = new TaskKeys(task.path("pk").asText(), task.path("sk").asText());
        JsonNode done;
        while (true) {
            done = service.store().get(key).orElseThrow();
            if (done.path("status").asText().equals("COMPLETED") || done.path("status").asText().equals("FAILED")) {
                break;
            }
            Thread.sleep(50);
        }
        long totalMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        String executionArn = context.getRegistry().lookupByNameAndType(StateMachines.BEAN, StateMachines.class).executionArn(TaskRunner.MACHINE,
                ExecutionNames.of(key.pk(), key.sk()));
        var execution = aws.sfn().describeExecution(b -> b.executionArn(executionArn));
        long mapMillis = execution.stopDate() == null ? -1
                : execution.stopDate().toEpochMilli() - execution.startDate().toEpochMilli();
        double handlerMicros = handlerNanos.get() / 1000.0 / items;
        double slotMillis = (double) mapMillis * concurrency / items;
        System.out.printf("MaxConcurrency %d, %d items: parent %s after %d ms (%.0f sub-tasks/s end to end), "
                        + "state machine %d ms (%.0f sub-tasks/s); per sub-task: handler %.1f us, "
                        + "overhead %.1f ms per concurrency slot%n",
                concurrency, items, done.path("status").asText(), totalMillis, items * 1000.0 / totalMillis,
                mapMillis, items * 1000.0 / mapMillis, handlerMicros, slotMillis - handlerMicros / 1000);
        iterationBreakdown(aws, executionArn);
    }

    /** Medians of the phases of one Map iteration, from the execution history's timestamps. */
    private static void iterationBreakdown(AwsClients aws, String executionArn) {
        List<HistoryEvent> events = new ArrayList<>();
        aws.sfn().getExecutionHistoryPaginator(b -> b.executionArn(executionArn).maxResults(1000))
                .forEach(page -> events.addAll(page.events()));
        // an iteration's own events chain by previousEventId from its MapIterationStarted; its end (an event of
        // the Map) names its index
        Map<Long, Long> iterationOf = new HashMap<>();
        Map<Integer, Long> iterationOfIndex = new HashMap<>();
        Map<Long, Instant[]> phases = new HashMap<>(); // started, scheduled, submitted, succeeded, iteration end
        List<Instant> iterationEnds = new ArrayList<>();
        List<Instant> iterationStarts = new ArrayList<>();
        for (HistoryEvent e : events) {
            String type = e.typeAsString();
            if (type.equals("MapIterationStarted")) {
                iterationOf.put(e.id(), e.id());
                phases.put(e.id(), new Instant[5]);
                phases.get(e.id())[0] = e.timestamp();
                iterationStarts.add(e.timestamp());
                iterationOfIndex.put(e.mapIterationStartedEventDetails().index(), e.id());
                continue;
            }
            if (type.equals("MapIterationSucceeded")) {
                phases.get(iterationOfIndex.get(e.mapIterationSucceededEventDetails().index()))[4] = e.timestamp();
                iterationEnds.add(e.timestamp());
                continue;
            }
            Long iteration = e.previousEventId() == null ? null : iterationOf.get(e.previousEventId());
            if (iteration == null) {
                continue;
            }
            iterationOf.put(e.id(), iteration);
            Instant[] p = phases.get(iteration);
            switch (type) {
                case "TaskScheduled" -> p[1] = e.timestamp();
                case "TaskSubmitted" -> p[2] = e.timestamp();
                case "TaskSucceeded" -> p[3] = e.timestamp();
                default -> { }
            }
        }
        String[] names = {"started->scheduled", "scheduled->submitted", "submitted->succeeded (worker)",
                "succeeded->iteration end"};
        StringBuilder line = new StringBuilder("  one iteration (ms, median/mean):");
        for (int phase = 0; phase < 4; phase++) {
            List<Long> millis = new ArrayList<>();
            for (Instant[] p : phases.values()) {
                if (p[phase] != null && p[phase + 1] != null) {
                    millis.add(p[phase + 1].toEpochMilli() - p[phase].toEpochMilli());
                }
            }
            line.append(String.format(" %s %s;", names[phase], stats(millis)));
        }
        // a slot's next iteration starts after some iteration ended: the gap between each start and the last end
        List<Long> gaps = new ArrayList<>();
        iterationEnds.sort(null);
        for (Instant start : iterationStarts) {
            Instant last = null;
            for (Instant end : iterationEnds) {
                if (end.isAfter(start)) {
                    break;
                }
                last = end;
            }
            if (last != null) {
                gaps.add(start.toEpochMilli() - last.toEpochMilli());
            }
        }
        line.append(String.format(" iteration end->next start %s", stats(gaps)));
        System.out.println(line);
    }

    private static String stats(List<Long> values) {
        if (values.isEmpty()) {
            return "-";
        }
        values.sort(null);
        return values.get(values.size() / 2) + "/"
                + Math.round(values.stream().mapToLong(Long::longValue).average().orElse(0));
    }
}
