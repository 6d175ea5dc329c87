package io.cqrsworkers.localaws.stepfunctions;

import io.cqrsworkers.localaws.stepfunctions.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.stepfunctions.data.StatesError;
import io.cqrsworkers.localaws.stepfunctions.integrations.S3ItemReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The CSV ItemReader on rows whose field count differs from the header's, as AWS documents it ("How Step Functions
 * parses input CSV files"): fewer fields are padded with empty strings, extra fields are skipped. Blank lines and
 * invalid UTF-8, which AWS does not document, and an empty object.
 */
class S3ItemReaderCsvTest {
    static LocalS3 s3;

    @BeforeAll
    static void start() throws Exception {
        s3 = new LocalS3();
        s3.client.createBucket(b -> b.bucket("csv"));
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    private static List<String> items(byte[] content) {
        s3.client.putObject(b -> b.bucket("csv").key("f.csv"), RequestBody.fromBytes(content));
        List<String> items = new ArrayList<>();
        try (S3ItemReader reader = S3ItemReader.open(s3.client, "arn:aws:states:::s3:getObject",
                Json.object().put("InputType", "CSV").put("CSVHeaderLocation", "FIRST_ROW"),
                Json.object().put("Bucket", "csv").put("Key", "f.csv"), 0)) {
            for (JsonNode item = reader.next(); item != null; item = reader.next()) {
                items.add(item.toString());
            }
        }
        return items;
    }

    @Test
    void shortRowsArePaddedExtraFieldsSkippedBlankLinesSkippedInvalidBytesReplaced() {
        byte[] text = "a,b,c\r\n1,2\r\n\r\n\n3,4,5,6\n\"x\ny\",,\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] invalid = {'7', ',', (byte) 0xC3, (byte) 0x28, ',', '9', '\n'};
        byte[] content = new byte[text.length + invalid.length];
        System.arraycopy(text, 0, content, 0, text.length);
        System.arraycopy(invalid, 0, content, text.length, invalid.length);
        assertThat(items(content)).containsExactly(
                "{\"a\":\"1\",\"b\":\"2\",\"c\":\"\"}",
                "{\"a\":\"3\",\"b\":\"4\",\"c\":\"5\"}",
                "{\"a\":\"x\\ny\",\"b\":\"\",\"c\":\"\"}",
                "{\"a\":\"7\",\"b\":\"\uFFFD(\",\"c\":\"9\"}");
    }

    @Test
    void aHeaderOnlyObjectHasNoItemsAndAnEmptyOneFailsTheReader() {
        assertThat(items("a,b\n".getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEmpty();
        assertThatThrownBy(() -> items(new byte[0])).isInstanceOf(StatesError.class)
                .hasMessageContaining("empty");
    }
}
