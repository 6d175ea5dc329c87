package io.cqrsworkers.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.testkit.EmbeddedAws;
import io.cqrsworkers.testkit.EmbeddedAwsClient;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A task handler in YAML (src/test/resources/examples/invoice-task.camel.yaml), tested as a user would. */
@EmbeddedAws(routes = "classpath:examples/invoice-task.camel.yaml")
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // one service for both tests
class InvoiceTaskHandlerTest {

    EmbeddedAwsClient aws;

    @Test
    void anInvoiceTaskCompletesWithItsResult() {
        JsonNode created = aws.createTask("invoice", "t1",
                Map.of("customer", "acme", "lines", List.of(Map.of("amount", 30), Map.of("amount", 12))));

        JsonNode task = aws.awaitTask(created);

        assertThat(task.path("status").asText()).isEqualTo("COMPLETED");
        JsonNode result = task.path("attributes").path("result");
        assertThat(result.path("invoice").asText()).isEqualTo("INV-t1-acme");
        assertThat(result.path("total").asDouble()).isEqualTo(42.0);
    }

    @Test
    void anInvoiceWithoutCustomerFailsWithItsReasonAndAnAlarm() {
        JsonNode created = aws.createTask("invoice", "t1", Map.of("lines", List.of(Map.of("amount", 5))));
        JsonNode task = aws.awaitTask(created);

        assertThat(task.path("status").asText()).isEqualTo("FAILED");
        assertThat(task.path("attributes").path("error").toString()).contains("an invoice needs a customer");
        assertThat(aws.awaitAlarm(created.path("sk").asText())).contains("an invoice needs a customer");
    }
}
