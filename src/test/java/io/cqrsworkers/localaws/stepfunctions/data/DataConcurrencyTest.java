package io.cqrsworkers.localaws.stepfunctions.data;

import io.cqrsworkers.localaws.stepfunctions.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The caches share compiled expressions between threads: concurrent evaluations must not see each other's data. */
class DataConcurrencyTest {

    @Test
    void sharedCompiledExpressionsGiveEachThreadItsOwnResult() throws Exception {
        JsonNode jsonataTemplate = Json.parse("""
                {"n":"{% $states.input.n * 2 %}","v":"{% $offset + $states.input.n %}","p":"{% $partition([$states.input.n], 1) %}"}""");
        JsonNode template = Json.parse("""
                {"n.$":"$.n","s.$":"States.Format('n={}', $.n)","sum.$":"States.MathAdd($.n, $offset)"}""");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    int checked = 0;
                    for (int i = 0; i < 2_000; i++) {
                        int n = thread * 100_000 + i;
                        JsonNode input = Json.parse("{\"n\":" + n + "}");
                        Map<String, JsonNode> vars = Map.of("offset", Json.parse(String.valueOf(thread)));
                        JsonNode states = EvalScope.jsonataStates(input, null, null, Json.MAPPER.createObjectNode());
                        JsonNode out = Jsonata.applyTemplate(jsonataTemplate, states, vars);
                        assertThat(out.get("n").asLong()).isEqualTo(2L * n);
                        assertThat(out.get("v").asLong()).isEqualTo(n + thread);
                        assertThat(out.get("p").get(0).get(0).asLong()).isEqualTo(n);
                        JsonNode applied = PayloadTemplates.apply(template, new EvalScope(input, input, vars));
                        assertThat(applied.get("s").asText()).isEqualTo("n=" + n);
                        assertThat(applied.get("sum").asLong()).isEqualTo(n + thread);
                        checked++;
                    }
                    return checked;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(2_000);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
