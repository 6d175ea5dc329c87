package io.cqrsworkers.embedded;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Embedded services that also answer inside this JVM, without a socket. A client of this JVM whose endpoint is
 * registered here hands the request's method, headers and body to the service's {@link Handler} and gets back the
 * status, headers and body the service would have written on the wire: the same protocol, less the TCP round trip,
 * the HTTP framing and the hand-over between the client's thread and a server thread. The services still listen on
 * their ports for every other client (the AWS CLI, a browser, another process).
 *
 * <p>Keyed by the endpoint's authority ({@code 127.0.0.1:8000}), since that is all a client knows of the service.
 * Registered by the embedded library when it starts ({@code app.local.in-process}, default true), removed when it
 * stops.
 */
public final class InProcessEndpoints {

    /** One service's request handler. */
    @FunctionalInterface
    public interface Handler {
        /**
         * Answers a request. Quick operations answer on the caller's thread (the future is already complete); a
         * long poll completes it later from the service's own thread.
         *
         * @param header a header's first value by name, matched without regard to case; null when absent
         */
        CompletableFuture<Answer> call(String method, Function<String, String> header, byte[] body);
    }

    /** The service's answer: status, headers as name, value, name, value, ..., and body. */
    public record Answer(int status, List<String> headers, byte[] body) {
    }

    private static final Map<String, Handler> HANDLERS = new ConcurrentHashMap<>();

    private InProcessEndpoints() {
    }

    public static void register(URI endpoint, Handler handler) {
        HANDLERS.put(endpoint.getAuthority(), handler);
    }

    public static void unregister(URI endpoint) {
        HANDLERS.remove(endpoint.getAuthority());
    }

    /** The handler serving this endpoint in this JVM, or null (no endpoint, or one served elsewhere). */
    public static Handler find(URI endpoint) {
        return endpoint == null || endpoint.getAuthority() == null ? null : HANDLERS.get(endpoint.getAuthority());
    }
}
