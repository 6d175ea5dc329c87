package io.cqrsworkers.localaws.stepfunctions.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTest {

    @Test
    void valuesAreWrittenAsJacksonWritesThem() throws Exception {
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

        ObjectMapper jackson = new ObjectMapper();
        StringBuilder all = new StringBuilder("prefix:");
        for (JsonNode v : values) {
            String expected = jackson.writeValueAsString(v);
            assertThat(Json.write(v)).as("%s", v).isEqualTo(expected);
            int start = all.length();
            Json.write(v, all);
            assertThat(all.substring(start)).isEqualTo(expected);
        }
    }
}
