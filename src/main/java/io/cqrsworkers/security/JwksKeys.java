package io.cqrsworkers.security;

import io.cqrsworkers.json.Jackson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The issuer's RSA signing keys (its JWKS), by key id. Fetched on first use, kept for {@code maxAge}, fetched again
 * when a token names a key id not in the set (the issuer rotated its keys), but at most once per
 * {@code minRefresh}, so tokens with made-up key ids cannot make the service hammer the issuer. A failed fetch keeps
 * the keys already known.
 */
public final class JwksKeys {

    private static final Logger LOG = LoggerFactory.getLogger(JwksKeys.class);
    private static final ObjectMapper JSON = Jackson.MAPPER;
    private static final int MIN_RSA_BITS = 2048;

    private final URI uri;
    private final Duration maxAge;
    private final Duration minRefresh;
    private final Clock clock;
    private final HttpClient http;
    private final AtomicInteger fetches = new AtomicInteger();

    private volatile Map<String, RSAPublicKey> keys = Map.of();
    private volatile Instant fetchedAt;
    private Instant lastAttempt;

    public JwksKeys(URI uri, Duration maxAge, Duration minRefresh, Clock clock) {
        this.uri = uri;
        this.maxAge = maxAge;
        this.minRefresh = minRefresh;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** The key with this id; may block for a fetch. */
    public RSAPublicKey key(String kid) throws InvalidTokenException, KeysUnavailableException {
        Instant fetched = fetchedAt;
        if (fetched == null || !clock.instant().isBefore(fetched.plus(maxAge))) {
            refresh(kid, true);
        }
        RSAPublicKey key = keys.get(kid);
        if (key == null) {
            refresh(kid, false);
            key = keys.get(kid);
        }
        if (key == null) {
            throw new InvalidTokenException("The token's signing key (kid " + kid + ") is not among the issuer's keys");
        }
        return key;
    }

    /** How many times the key set was fetched (successfully or not). */
    public int fetches() {
        return fetches.get();
    }

    /**
     * One thread fetches; the others wait and then see its result. {@code stale}: the set is missing or too old;
     * otherwise {@code kid} is unknown.
     */
    private synchronized void refresh(String kid, boolean stale) throws KeysUnavailableException {
        Instant now = clock.instant();
        boolean needed = stale ? fetchedAt == null || !now.isBefore(fetchedAt.plus(maxAge)) : !keys.containsKey(kid);
        if (!needed) {
            return;
        }
        if (lastAttempt != null && now.isBefore(lastAttempt.plus(minRefresh))) {
            if (fetchedAt == null) {
                throw new KeysUnavailableException("The token issuer's signing keys (" + uri + ") could not be "
                        + "fetched; next attempt within " + minRefresh.toSeconds() + " s", null);
            }
            return;
        }
        lastAttempt = now;
        fetches.incrementAndGet();
        try {
            keys = fetch();
            fetchedAt = now;
            LOG.info("Fetched {} signing key(s) {} from {} ({})", keys.size(), keys.keySet(), uri,
                    stale ? "first use or expired" : "unknown kid " + kid);
        } catch (IOException | RuntimeException e) {
            if (fetchedAt == null) {
                throw new KeysUnavailableException("The token issuer's signing keys (" + uri + ") could not be "
                        + "fetched: " + e.getMessage(), e);
            }
            LOG.warn("Signing keys from {} not refreshed, keeping the {} known: {}", uri, keys.size(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeysUnavailableException("Interrupted while fetching " + uri, e);
        }
    }

    private Map<String, RSAPublicKey> fetch() throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + " from " + uri);
        }
        JsonNode set = JSON.readTree(response.body());
        if (set == null || !set.path("keys").isArray()) {
            throw new IOException("no \"keys\" array in the answer of " + uri);
        }
        Map<String, RSAPublicKey> found = new HashMap<>();
        for (JsonNode jwk : set.path("keys")) {
            String kid = jwk.path("kid").asText("");
            if (kid.isEmpty() || !"RSA".equals(jwk.path("kty").asText())
                    || (jwk.hasNonNull("use") && !"sig".equals(jwk.path("use").asText()))
                    || (jwk.hasNonNull("alg") && !JwtVerifier.ALGORITHM.equals(jwk.path("alg").asText()))) {
                continue;
            }
            try {
                RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                        unsigned(jwk.path("n").asText()), unsigned(jwk.path("e").asText())));
                if (key.getModulus().bitLength() < MIN_RSA_BITS) {
                    LOG.warn("Ignoring signing key {} of {}: {} bits", kid, uri, key.getModulus().bitLength());
                    continue;
                }
                found.put(kid, key);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                LOG.warn("Ignoring signing key {} of {}: {}", kid, uri, e.toString());
            }
        }
        return Map.copyOf(found);
    }

    private static BigInteger unsigned(String base64Url) {
        return new BigInteger(1, Base64.getUrlDecoder().decode(base64Url));
    }
}
