package io.cqrsworkers.imports;

import io.cqrsworkers.aws.AwsClients;
import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.testkit.EmbeddedAws;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** DIRECT mode's reader waits while more than max-pending-rows of its job's rows wait in the import action queue. */
@CamelMainTest(configurationClasses = AppConfiguration.class, properties = {"app.import.max-items-per-batch=1",
        "app.import.max-concurrency=2", "app.import.max-pending-rows=50"})
@EmbeddedAws(routes = "classpath:test-routes/*.camel.yaml")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DirectImportBackPressureTest {

    @BeanInject
    CamelContext context;

    @BeanInject
    AwsClients aws;

    @Test
    void theReaderWaitsWhileTooManyOfTheJobsRowsAreQueued() throws Exception {
        ImportTestSupport imports = new ImportTestSupport(context);
        String bucket = context.resolvePropertyPlaceholders("{{bucket:bucket}}");
        StringBuilder csv = new StringBuilder("code,name\n");
        for (int i = 0; i < 300; i++) {
            csv.append('p').append(i).append(",Name ").append(i).append('\n');
        }
        aws.s3().putObject(b -> b.bucket(bucket).key("pending.csv"), RequestBody.fromString(csv.toString()));
        ImportRequest job = imports.processing(new ImportRequest("DIRECT", bucket, "pending.csv", "sample", "t8",
                null));
        String id = job.sourceId();
        // one row a batch, and nothing applies them: each batch only counts its row as read
        AtomicInteger read = new AtomicInteger();
        imports.handler((key, batch) -> {
            imports.jobs().count(id, key + "/read", new ImportJobs.Counts(1, 1, 0, 0, List.of()));
            read.incrementAndGet();
            return new BatchResult(1, 1, 0, List.of());
        });
        CompletableFuture<Void> run = CompletableFuture.runAsync(() -> imports.readDirect(job, false));
        // it looks at the backlog every 100 batches: at the 100th, 100 rows wait (more than 50); it waits until
        // rows are applied, which the reader's own progress cannot bring about
        // the job says the reader waits, with the backlog it saw (over 50): it has handed out exactly 100 rows
        await().atMost(Duration.ofSeconds(20)).until(() -> waitingRows(imports, id) > 50);
        await().atMost(Duration.ofSeconds(5)).until(() -> read.get() == 100);
        imports.jobs().count(id, "applied-1", new ImportJobs.Counts(0, 0, 100, 0, List.of()));
        // it went on, and waits again after the next 100
        await().atMost(Duration.ofSeconds(20)).until(() -> read.get() >= 101);
        await().atMost(Duration.ofSeconds(20)).until(() -> waitingRows(imports, id) > 50 && read.get() == 200);
        assertThat(run).isNotDone();
        imports.jobs().count(id, "applied-2", new ImportJobs.Counts(0, 0, 100, 0, List.of()));
        run.get(20, TimeUnit.SECONDS);
        assertThat(read.get()).isEqualTo(300);
        assertThat(imports.jobs().get(id).orElseThrow().get("readerDone").asBoolean()).isTrue();
        assertThat(imports.jobs().get(id).orElseThrow().has("readerWaitingRows")).isFalse();
    }

    @Test
    void aWaitLeftBehindByAStoppedReaderEndsWhenTheReaderFinishes() {
        // the job service alone: ImportTestSupport would advise the import route a second time
        ImportJobs jobs = context.getRegistry().lookupByNameAndType(ImportJobs.BEAN, ImportJobs.class);
        String bucket = context.resolvePropertyPlaceholders("{{bucket:bucket}}");
        String id = jobs.create(new ImportRequest("DIRECT", bucket, "stopped.csv", "sample", "t8", null),
                ImportStatus.PROCESSING).get("id").asText();
        // a reader killed while it waited never said it went on
        jobs.readerWaiting(id, 80);
        assertThat(jobs.get(id).orElseThrow().path("readerWaitingRows").asLong()).isEqualTo(80);
        jobs.readerFinished(id);
        assertThat(jobs.get(id).orElseThrow().get("readerDone").asBoolean()).isTrue();
        assertThat(jobs.get(id).orElseThrow().has("readerWaitingRows")).isFalse();
    }

    /** The backlog the job shows its reader waiting for; -1 while it does not wait. */
    private static long waitingRows(ImportTestSupport imports, String id) {
        return imports.jobs().get(id).orElseThrow().path("readerWaitingRows").asLong(-1);
    }
}
