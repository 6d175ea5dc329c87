package io.cqrsworkers.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OIDC issuer for tests: a JDK HTTP server on 127.0.0.1 serving the JWKS of RSA keys generated here, and tokens
 * signed with them. Keys can be added (rotation); {@link #jwksRequests()} counts the fetches.
 */
public final class TestIssuer implements AutoCloseable {

    static final String POOL = "/us-east-1_TestPool";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final HttpServer server;
    private final Map<String, KeyPair> published = new LinkedHashMap<>();
    private final AtomicInteger jwksRequests = new AtomicInteger();

    public TestIssuer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext(POOL + "/.well-known/jwks.json", exchange -> {
            jwksRequests.incrementAndGet();
            byte[] body = jwks().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** Like https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool, on this server. */
    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + POOL;
    }

    int jwksRequests() {
        return jwksRequests.get();
    }

    /** Generates a key and publishes it under this kid. */
    public synchronized KeyPair publish(String kid) {
        KeyPair pair = newKey();
        published.put(kid, pair);
        return pair;
    }

    static KeyPair newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    synchronized KeyPair key(String kid) {
        return published.get(kid);
    }

    private synchronized String jwks() {
        ObjectNode set = JSON.createObjectNode();
        ArrayNode keys = set.putArray("keys");
        published.forEach((kid, pair) -> {
            RSAPublicKey key = (RSAPublicKey) pair.getPublic();
            keys.addObject().put("alg", "RS256").put("e", B64.encodeToString(unsigned(key.getPublicExponent().toByteArray())))
                    .put("kid", kid).put("kty", "RSA").put("n", B64.encodeToString(unsigned(key.getModulus().toByteArray())))
                    .put("use", "sig");
        });
        return set.toString();
    }

    private static byte[] unsigned(byte[] twosComplement) {
        return twosComplement.length > 1 && twosComplement[0] == 0
                ? java.util.Arrays.copyOfRange(twosComplement, 1, twosComplement.length) : twosComplement;
    }

    /** Cognito ID-token-like claims for this user and tenant claim, valid for an hour. */
    public ObjectNode idClaims(String user, String tenant, String audience) {
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = JSON.createObjectNode().put("sub", user).put("iss", issuer()).put("aud", audience)
                .put("token_use", "id").put("cognito:username", "name-of-" + user)
                .put("auth_time", now).put("iat", now).put("exp", now + 3600);
        if (tenant != null) {
            claims.put("custom:tenant", tenant);
        }
        return claims;
    }

    /** Signs the claims with the published key of this kid. */
    public String sign(String kid, ObjectNode claims) {
        return sign(kid, claims, key(kid).getPrivate(), "RS256");
    }

    static String sign(String kid, ObjectNode claims, PrivateKey key, String alg) {
        ObjectNode header = JSON.createObjectNode().put("kid", kid).put("alg", alg);
        String signingInput = B64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsigned token ("alg": "none"). */
    static String unsignedToken(String kid, ObjectNode claims) {
        ObjectNode header = JSON.createObjectNode().put("kid", kid).put("alg", "none");
        return B64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8)) + ".";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
