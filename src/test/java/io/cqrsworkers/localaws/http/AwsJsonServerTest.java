package io.cqrsworkers.localaws.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP/1.1 side of the AWS JSON server, spoken byte by byte: framing, keep-alive, errors, waiting answers. */
class AwsJsonServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AwsJsonServer server;
    private int port;
    private final CompletableFuture<ObjectNode> parked = new CompletableFuture<>();
    /** Counted down when a Test.Wait request reached its operation (and now waits for {@link #parked}). */
    private final CountDownLatch waitArrived = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        AwsJsonServer.Operation echo = request -> {
            ObjectNode out = JSON.createObjectNode();
            out.set("got", request);
            return out;
        };
        AwsJsonServer.Operation wait = new AwsJsonServer.Operation() {
            @Override
            public ObjectNode handle(JsonNode request) {
                return handleAsync(request).join();
            }

            @Override
            public CompletableFuture<ObjectNode> handleAsync(JsonNode request) {
                waitArrived.countDown();
                return parked;
            }
        };
        server = new AwsJsonServer(Map.of("Test.Echo", echo, "Test.Wait", wait),
                new AwsJsonServer.Settings("test.local", "test#", true, "test-http"));
        port = server.start("127.0.0.1", 0, 2).getPort();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private static String post(String body, String... headers) {
        StringBuilder b = new StringBuilder("POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: Test.Echo\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return b.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n")
                .append(body).toString();
    }

    /** Reads one answer (head and Content-Length body) from {@code in}; null at the end of the stream. */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                return head.size() == 0 ? null : head.toString(StandardCharsets.ISO_8859_1);
            }
            head.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3))
                    ? state + 1 : c == '\r' ? 1 : 0;
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : h.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        s.setSoTimeout(10_000);
        return s;
    }

    @Test
    void keepAliveServesRequestsInTurnAndPipelinedOnesInOrder() throws IOException {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(post("{\"n\":1}").getBytes(StandardCharsets.UTF_8));
            assertThat(readAnswer(in)).startsWith("HTTP/1.1 200 OK\r\n").endsWith("{\"got\":{\"n\":1}}")
                    .contains("x-amz-crc32: ", "x-amzn-RequestId: ", "Content-Type: application/x-amz-json-1.0");
            out.write((post("{\"n\":2}") + post("{\"n\":3}")).getBytes(StandardCharsets.UTF_8));
            assertThat(readAnswer(in)).endsWith("{\"got\":{\"n\":2}}");
            assertThat(readAnswer(in)).endsWith("{\"got\":{\"n\":3}}");
        }
    }

    @Test
    void chunkedBodiesAndExpectContinueAreUnderstood() throws IOException {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(("POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: Test.Echo\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "4\r\n{\"a\"\r\n6;ext=1\r\n:\"bcd\"\r\n1\r\n}\r\n0\r\nTrailer: x\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(readAnswer(in)).endsWith("{\"got\":{\"a\":\"bcd\"}}");
            out.write(("POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: Test.Echo\r\nExpect: 100-continue\r\n"
                    + "Content-Length: 7\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            assertThat(readAnswer(in)).startsWith("HTTP/1.1 100 Continue\r\n");
            out.write("{\"b\":1}".getBytes(StandardCharsets.UTF_8));
            assertThat(readAnswer(in)).endsWith("{\"got\":{\"b\":1}}");
        }
    }

    @Test
    void connectionCloseAndHttp10AreHonoured() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write(post("{}", "Connection: close").getBytes(StandardCharsets.UTF_8));
            assertThat(readAnswer(s.getInputStream())).contains("Connection: close");
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        try (Socket s = connect()) {
            s.getOutputStream().write(post("{}").replace("HTTP/1.1", "HTTP/1.0").getBytes(StandardCharsets.UTF_8));
            assertThat(readAnswer(s.getInputStream())).startsWith("HTTP/1.1 200");
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void malformedRequestsAnswer400AndClose() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write("NONSENSE\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            assertThat(readAnswer(s.getInputStream())).startsWith("HTTP/1.1 400");
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        try (Socket s = connect()) {
            s.getOutputStream().write("POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            assertThat(readAnswer(s.getInputStream())).startsWith("HTTP/1.1 400");
        }
        try (Socket s = connect()) {
            s.getOutputStream().write(post("{not json").getBytes(StandardCharsets.UTF_8));
            assertThat(readAnswer(s.getInputStream())).startsWith("HTTP/1.1 400").contains("SerializationException");
        }
    }

    @Test
    void largeBodiesAndTheJdkClientWork() throws Exception {
        String big = "{\"s\":\"" + "x".repeat(3_000_000) + "\"}";
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("X-Amz-Target", "Test.Echo").POST(HttpRequest.BodyPublishers.ofString(big)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).hasSize(big.length() + 8);
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.body()).isEqualTo("healthy: test.local ");
    }

    @Test
    void aWaitingAnswerHoldsOnlyItsOwnConnection() throws Exception {
        try (Socket waiting = connect(); Socket other = connect()) {
            waiting.getOutputStream().write(post("{}").replace("Test.Echo", "Test.Wait")
                    .getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 5; i++) {
                // more requests than the 2 threads kept ready, on another connection, while the first one waits
                other.getOutputStream().write(post("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8));
                assertThat(readAnswer(other.getInputStream())).endsWith("{\"got\":{\"i\":" + i + "}}");
            }
            parked.complete(JSON.createObjectNode().put("late", true));
            assertThat(readAnswer(waiting.getInputStream())).endsWith("{\"late\":true}");
        }
    }

    @Test
    void stopClosesOpenConnectionsAndFreesThePort() throws Exception {
        Socket idle = connect();
        Socket waiting = connect();
        waiting.getOutputStream().write(post("{}").replace("Test.Echo", "Test.Wait").getBytes(StandardCharsets.UTF_8));
        assertThat(waitArrived.await(5, TimeUnit.SECONDS)).isTrue();
        long t0 = System.nanoTime();
        server.stop();
        assertThat(idle.getInputStream().read()).isEqualTo(-1);
        assertThat(readAnswer(waiting.getInputStream())).isNull();
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(3));
        idle.close();
        waiting.close();
        port = server.start("127.0.0.1", port, 2).getPort();
        try (Socket s = connect()) {
            s.getOutputStream().write(post("{}").getBytes(StandardCharsets.UTF_8));
            assertThat(readAnswer(s.getInputStream())).startsWith("HTTP/1.1 200");
        }
    }
}
