package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reader alone: line numbers, batch sizes, empty input. */
class CsvBatchReaderTest {

    private static List<CsvBatch> read(String csv, int size) throws Exception {
        List<CsvBatch> batches = new ArrayList<>();
        try (CsvBatchReader reader = new CsvBatchReader(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                size, JsonNodeFactory.instance.objectNode())) {
            reader.forEachRemaining(batches::add);
        }
        return batches;
    }

    @Test
    void reportsTheLineARejectedRowStartsOn() throws Exception {
        List<CsvBatch> batches = read("a,b\r\n\"x\ny\",1\r\n\r\n1,2,3\r\n4,5\r\n6", 2);
        assertThat(batches).extracting(b -> b.json().get("Items").size()).containsExactly(2, 0);
        assertThat(batches.get(0).rejected()).containsExactly(new RowError(5, "expected 2 columns, found 3"));
        assertThat(batches.get(1).rejected()).containsExactly(new RowError(7, "expected 2 columns, found 1"));
    }

    @Test
    void emptyInputHasNoHeader() {
        assertThatThrownBy(() -> read("", 100)).isInstanceOf(CsvBatchReader.EmptyFileException.class);
        assertThatThrownBy(() -> read("\uFEFF", 100)).isInstanceOf(CsvBatchReader.EmptyFileException.class);
    }
}
