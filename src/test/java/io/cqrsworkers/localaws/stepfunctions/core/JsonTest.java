package io.cqrsworkers.localaws.stepfunctions.core;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTest {

    @Test
    void aTextBufferWritesEachValueAsJacksonDoes() throws Exception {
        List<JsonNode> values = new ArrayList<>();
        for (String text : List.of("{}", "[]", "\"\"", "null", "true", "false", "0", "-7", "10", "-100", "9223372036854775807", "-9223372036854775808",
                "18446744073709551616", "1.5", "-0.0", "1e400", "1.0E-7", "123456789012345678901234567890.5",
                "{\"a\":{\"b\":[1,[2,{}],\"c\"]},\"\":null}",
                "\"quote \\\" backslash \\\\ slash / tab \\t newline \\n nul \\u0000 unit \\u001f del \\u007f\"",
                "\"é 日本 \\ud83d\\ude00 lone \\ud800\"", "{\"ключ\":\"значение\",\"k\\\"ey\":[\"\\u2028\"]}")) {
            values.add(Json.parse(text));
        }
        values.add(Json.NODES.numberNode((short) 12));
        values.add(Json.NODES.numberNode(2.5f));
        values.add(Json.NODES.binaryNode(new byte[] {1, 2, 3}));
        values.add(Json.NODES.pojoNode("pojo \"text\""));
        values.add(Json.lazyText(Json.object().put("inner", 1)));

        Json.TextBuffer buffer = new Json.TextBuffer();
        List<int[]> spans = new ArrayList<>();
        for (JsonNode v : values) {
            int start = buffer.size();
            buffer.write(v);
            spans.add(new int[] {start, buffer.size()});
        }
        byte[] all = buffer.toByteArray();
        assertThat(all).hasSize(buffer.size());
        for (int i = 0; i < values.size(); i++) {
            int[] span = spans.get(i);
            byte[] written = java.util.Arrays.copyOfRange(all, span[0], span[1]);
            // bytes: a lone surrogate is '?' in both
            assertThat(written).as("value %d: %s", i, values.get(i)).isEqualTo(Json.write(values.get(i)).getBytes(StandardCharsets.UTF_8));
        }
    }
}
