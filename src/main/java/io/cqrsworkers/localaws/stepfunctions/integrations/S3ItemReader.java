package io.cqrsworkers.localaws.stepfunctions.integrations;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.core.Json;
import io.cqrsworkers.localaws.stepfunctions.data.StatesError;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The ItemReader of a distributed Map: streams items out of S3 (CSV, JSON array, JSON Lines, an S3 inventory
 * manifest, or the object listing of ListObjectsV2), one at a time, up to ReaderConfig.MaxItems.
 */
public final class S3ItemReader implements AutoCloseable {
    private static final Map<String, Character> DELIMITERS = Map.of("COMMA", ',', "PIPE", '|', "SEMICOLON", ';', "SPACE", ' ', "TAB", '\t');

    /** A source of items; next() returns null at the end. */
    private interface Source extends AutoCloseable {
        JsonNode next() throws IOException;

        @Override
        void close() throws IOException;
    }

    private final Source source;
    private final long maxItems;
    private long read;

    private S3ItemReader(Source source, long maxItems) {
        this.source = source;
        this.maxItems = maxItems;
    }

    /**
     * @param resource  arn:aws:states:::s3:getObject or arn:aws:states:::s3:listObjectsV2
     * @param config    ReaderConfig (InputType, CSVHeaderLocation, CSVHeaders, CSVDelimiter), may be missing
     * @param args      the reader's evaluated Parameters/Arguments (Bucket, Key or Prefix)
     * @param maxItems  0 for no limit
     */
    public static S3ItemReader open(S3Client s3, String resource, JsonNode config, JsonNode args, long maxItems) {
        String bucket = args.path("Bucket").asText(null);
        try {
            if (resource.endsWith(":listObjectsV2")) {
                return new S3ItemReader(listing(s3, bucket, args.path("Prefix").asText(null)), maxItems);
            }
            String type = config.path("InputType").asText("JSON");
            String key = args.path("Key").asText(null);
            Source source = switch (type) {
                case "CSV" -> csv(open(s3, bucket, key), config);
                case "JSON" -> jsonArray(open(s3, bucket, key));
                case "JSONL" -> jsonLines(open(s3, bucket, key));
                case "MANIFEST" -> manifest(s3, bucket, key);
                default -> throw new StatesError("States.ItemReaderFailed", "Unsupported InputType '" + type + "'");
            };
            return new S3ItemReader(source, maxItems);
        } catch (SdkException | IOException | UncheckedIOException e) {
            throw new StatesError("States.ItemReaderFailed", "Could not read items from S3 bucket '" + bucket + "': " + e.getMessage());
        }
    }

    /** The next item, or null when there are no more. */
    public JsonNode next() {
        if (maxItems > 0 && read >= maxItems) {
            return null;
        }
        try {
            JsonNode item = source.next();
            if (item != null) {
                read++;
            }
            return item;
        } catch (SdkException | IOException | UncheckedIOException | IllegalArgumentException e) {
            throw new StatesError("States.ItemReaderFailed", "Could not read the next item: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            source.close();
        } catch (IOException ignored) {
            // closing an S3 stream early may fail harmlessly
        }
    }

    private static InputStream open(S3Client s3, String bucket, String key) throws IOException {
        InputStream in = s3.getObject(b -> b.bucket(bucket).key(key));
        return key != null && key.endsWith(".gz") ? new GZIPInputStream(in) : in;
    }

    /**
     * A CSV object's rows as items keyed by the header. AWS documents how its reader treats a row whose field count
     * differs from the header's ("How Step Functions parses input CSV files",
     * https://docs.aws.amazon.com/step-functions/latest/dg/example-csv-parse-dist-map.html): fewer fields get empty
     * strings for the missing values, more fields have the additional ones skipped; this reader does the same. It
     * documents nothing for blank lines and invalid UTF-8: here blank lines are skipped and undecodable bytes read
     * as U+FFFD (the decoder's replacement), and an object without even a header row fails the reader.
     */
    private static Source csv(InputStream in, JsonNode config) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        CsvRecords records = new CsvRecords(reader, DELIMITERS.getOrDefault(config.path("CSVDelimiter").asText("COMMA"), ','));
        List<String> given = new ArrayList<>();
        config.path("CSVHeaders").forEach(h -> given.add(h.asText()));
        boolean firstRow = !"GIVEN".equals(config.path("CSVHeaderLocation").asText("FIRST_ROW"));
        return new Source() {
            private List<String> headers = firstRow ? null : given;

            @Override
            public JsonNode next() {
                if (headers == null) {
                    headers = records.next();
                    if (headers == null) {
                        throw new StatesError("States.ItemReaderFailed", "The CSV file is empty: no header row");
                    }
                }
                List<String> row = records.next();
                if (row == null) {
                    return null;
                }
                ObjectNode o = Json.object();
                for (int i = 0; i < headers.size(); i++) {
                    o.put(headers.get(i), i < row.size() ? row.get(i) : "");
                }
                return o;
            }

            @Override
            public void close() throws IOException {
                reader.close();
            }
        };
    }

    private static Source jsonArray(InputStream in) throws IOException {
        JsonParser parser = Json.MAPPER.getFactory().createParser(in);
        if (parser.nextToken() != JsonToken.START_ARRAY) {
            throw new StatesError("States.ItemReaderFailed", "The JSON file must contain an array of items");
        }
        return new Source() {
            @Override
            public JsonNode next() throws IOException {
                return parser.nextToken() == JsonToken.END_ARRAY ? null : Json.IN_SEQUENCE.readTree(parser);
            }

            @Override
            public void close() throws IOException {
                parser.close();
            }
        };
    }

    private static Source jsonLines(InputStream in) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        return new Source() {
            @Override
            public JsonNode next() throws IOException {
                String line;
                do {
                    line = reader.readLine();
                } while (line != null && line.isBlank());
                return line == null ? null : Json.parse(line);
            }

            @Override
            public void close() throws IOException {
                reader.close();
            }
        };
    }

    /** An S3 inventory: manifest.json names CSV files (often gzipped) whose columns are its fileSchema. */
    private static Source manifest(S3Client s3, String bucket, String key) throws IOException {
        JsonNode manifest;
        try (InputStream in = open(s3, bucket, key)) {
            manifest = Json.MAPPER.readTree(in);
        }
        String dataBucket = manifest.path("destinationBucket").asText(bucket).replace("arn:aws:s3:::", "");
        ObjectNode config = Json.object().put("CSVHeaderLocation", "GIVEN");
        for (String column : manifest.path("fileSchema").asText("Bucket, Key").split(",")) {
            config.withArray("CSVHeaders").add(column.trim());
        }
        Deque<String> files = new ArrayDeque<>();
        manifest.path("files").forEach(f -> files.add(f.path("key").asText()));
        return new Source() {
            private Source current;

            @Override
            public JsonNode next() throws IOException {
                while (true) {
                    if (current == null) {
                        if (files.isEmpty()) {
                            return null;
                        }
                        current = csv(open(s3, dataBucket, files.poll()), config);
                    }
                    JsonNode item = current.next();
                    if (item != null) {
                        return item;
                    }
                    current.close();
                    current = null;
                }
            }

            @Override
            public void close() throws IOException {
                if (current != null) {
                    current.close();
                }
            }
        };
    }

    private static Source listing(S3Client s3, String bucket, String prefix) {
        return new Source() {
            private Iterator<S3Object> page = List.<S3Object>of().iterator();
            private String token;
            private boolean more = true;

            @Override
            public JsonNode next() {
                while (!page.hasNext()) {
                    if (!more) {
                        return null;
                    }
                    ListObjectsV2Response r = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).continuationToken(token));
                    page = r.contents().iterator();
                    token = r.nextContinuationToken();
                    more = Boolean.TRUE.equals(r.isTruncated());
                }
                S3Object o = page.next();
                ObjectNode item = Json.object();
                item.put("Etag", o.eTag());
                item.put("Key", o.key());
                item.put("LastModified", o.lastModified() == null ? null : o.lastModified().toString());
                item.put("Size", o.size());
                item.put("StorageClass", o.storageClassAsString());
                return item;
            }

            @Override
            public void close() {
            }
        };
    }
}
