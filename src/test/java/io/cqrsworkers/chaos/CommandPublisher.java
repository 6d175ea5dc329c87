package io.cqrsworkers.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Publishes {@code entities x versions} commands, one at a time, paced, through POST /api/commands/sample, whatever
 * happens to the service meanwhile: in waves, wave v publishing version v of every entity (in a seeded order) when
 * {@link #releaseWave()} says so. Version v of an entity is published (as "after v-1") only once v-1 is known to
 * be written. A request that gets no answer (connection refused, reset, timed out: the service was killed) is sent
 * again until it gets one; the outcome of one whose response was lost may be either, so:
 * <ul>
 * <li>201: acknowledged (the lost attempt, if any, did not write);</li>
 * <li>409 after a lost attempt: that attempt wrote the version; it must carry this request's X-Request-Id;</li>
 * <li>a 404 that is not the API's (the HTTP server's HTML page while the routes are not started yet): not routed,
 * sent again;</li>
 * <li>anything else (409 without a lost attempt, 400, 404, 200 "nothing changed") is an error of the service.</li>
 * </ul>
 */
final class CommandPublisher implements Runnable {

    static final String MODULE = "sample";
    static final String TENANT = "chaos";
    static final String PK = "ORDER#" + TENANT;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One command: version {@code version} of entity {@code entity} (1-based). */
    record Planned(int entity, int version) {
    }

    /** How a version came to be known as written. */
    enum Outcome { ACKED, LOST_RESPONSE_BUT_WRITTEN }

    private final Supplier<String> api;
    private final long seed;
    private final int entities;
    private final int versions;
    private final long intervalMillis;
    private final List<Planned> plan;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** entity -> versions written, with how we know */
    final Map<Integer, Map<Integer, Outcome>> written = new ConcurrentHashMap<>();
    final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger acked = new AtomicInteger();
    final AtomicInteger lostButWritten = new AtomicInteger();
    /** responses lost (reset, timeout) and then retried with a 201: the lost attempt had not written */
    final AtomicInteger lostNotWritten = new AtomicInteger();
    /** requests refused before they reached the service (it was dead or starting) */
    final AtomicInteger refused = new AtomicInteger();
    final AtomicInteger serverErrors = new AtomicInteger();
    /** 404 pages of the HTTP server before the API routes were started */
    final AtomicInteger notRouted = new AtomicInteger();
    private final Semaphore waves = new Semaphore(0);
    private volatile boolean stopped;
    private volatile boolean done;

    CommandPublisher(Supplier<String> api, long seed, int entities, int versions, long intervalMillis) {
        this.api = api;
        this.seed = seed;
        this.entities = entities;
        this.versions = versions;
        this.intervalMillis = intervalMillis;
        // version by version; the entities of each round in a seeded order
        List<Planned> planned = new ArrayList<>();
        Random random = new Random(seed ^ 0x5DEECE66DL);
        for (int v = 1; v <= versions; v++) {
            List<Integer> order = new ArrayList<>();
            for (int e = 1; e <= entities; e++) {
                order.add(e);
            }
            Collections.shuffle(order, random);
            for (int e : order) {
                planned.add(new Planned(e, v));
            }
        }
        this.plan = List.copyOf(planned);
    }

    static String sk(int entity) {
        return String.format("ORDER#e%03d", entity);
    }

    String requestId(Planned p) {
        return "chaos-" + seed + "-e" + p.entity() + "-v" + p.version();
    }

    int planned() {
        return plan.size();
    }

    int publishedCount() {
        return written.values().stream().mapToInt(Map::size).sum();
    }

    boolean done() {
        return done;
    }

    void stop() {
        stopped = true;
    }

    /** Lets the next wave (the next version of every entity) go. */
    void releaseWave() {
        waves.release();
    }

    @Override
    public void run() {
        try {
            int wave = 0;
            for (Planned p : plan) {
                if (stopped) {
                    return;
                }
                if (p.version() > wave) {
                    waves.acquire();
                    wave = p.version();
                }
                Map<Integer, Outcome> entity = written.computeIfAbsent(p.entity(), k -> new ConcurrentHashMap<>());
                if (p.version() > 1 && !entity.containsKey(p.version() - 1)) {
                    continue; // the previous version was refused: reported already
                }
                publish(p, entity);
                Thread.sleep(intervalMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            errors.add("publisher crashed: " + e);
        } finally {
            done = true;
        }
    }

    private void publish(Planned p, Map<Integer, Outcome> entity) throws InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("pk", PK).put("sk", sk(p.entity()))
                .put("code", String.format("e%03d", p.entity())).put("name", "entity " + p.entity())
                .put("tenantCode", TENANT).put("type", "ORDER").put("version", p.version() - 1);
        body.putObject("attributes").put("v", p.version()).put("seed", seed);
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.get() + "/commands/" + MODULE))
                .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json")
                .header("X-Request-Id", requestId(p)).POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        boolean lost = false;
        while (!stopped) {
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException deadOrStarting) {
                refused.incrementAndGet();
                Thread.sleep(250);
                continue;
            } catch (IOException lostResponse) {
                // sent, maybe received, no answer: the kill came in between, or the service was too slow
                lost = true;
                Thread.sleep(250);
                continue;
            }
            int status = response.statusCode();
            if (status == 201) {
                acked.incrementAndGet();
                if (lost) {
                    lostNotWritten.incrementAndGet();
                }
                entity.put(p.version(), Outcome.ACKED);
                return;
            }
            if (status == 409 && lost) {
                JsonNode stored = storedVersion(p);
                if (stored != null && requestId(p).equals(stored.path("requestId").asText())) {
                    lostButWritten.incrementAndGet();
                    entity.put(p.version(), Outcome.LOST_RESPONSE_BUT_WRITTEN);
                } else {
                    errors.add(String.format("%s %s@%d: 409 after a lost response, but the stored version is %s",
                            PK, sk(p.entity()), p.version(), stored));
                }
                return;
            }
            if (status == 404 && !response.body().trim().startsWith("{")) {
                notRouted.incrementAndGet();
                Thread.sleep(250);
                continue;
            }
            if (status >= 500) {
                // the service answered while starting or stopping: the outcome is open, as for a lost response
                serverErrors.incrementAndGet();
                lost = true;
                Thread.sleep(250);
                continue;
            }
            errors.add(String.format("%s %s@%d (request %s, earlier attempt lost: %s): %d %s", PK, sk(p.entity()),
                    p.version(), requestId(p), lost, status, response.body()));
            return;
        }
    }

    /** The stored command of that version, through the API, retried until the service answers. */
    private JsonNode storedVersion(Planned p) throws InterruptedException {
        String sk = sk(p.entity()) + "@" + p.version();
        URI uri = URI.create(api.get() + "/commands/" + MODULE + "?pk=" + enc(PK) + "&sk=" + enc(sk));
        for (int attempt = 0; attempt < 240 && !stopped; attempt++) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return JSON.readTree(response.body());
                }
                if (response.statusCode() == 404) {
                    return null;
                }
            } catch (IOException notNow) {
                // killed again: retry
            }
            Thread.sleep(250);
        }
        return null;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
