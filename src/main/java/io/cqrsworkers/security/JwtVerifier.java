package io.cqrsworkers.security;

import io.cqrsworkers.json.Jackson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a JWT as RFC 7519 / OIDC want it for this service: compact JWS, RS256 only (no {@code none}, no HMAC, no
 * embedded keys), signed by one of the issuer's keys ({@link JwksKeys}, by {@code kid}), then {@code exp} (required),
 * {@code nbf}, {@code iat} with the allowed clock skew, {@code iss}, the audience ({@code aud} or Cognito's
 * {@code client_id}) and, if configured, Cognito's {@code token_use}.
 */
public final class JwtVerifier {

    public static final String ALGORITHM = "RS256";
    private static final ObjectMapper JSON = Jackson.MAPPER;

    /** A token that passed: its claims, the user and the tenants it grants. */
    public record VerifiedToken(ObjectNode claims, String userId, Set<String> tenants) {
    }

    private final SecuritySettings settings;
    private final JwksKeys keys;
    private final Clock clock;

    public JwtVerifier(SecuritySettings settings, JwksKeys keys, Clock clock) {
        this.settings = settings;
        this.keys = keys;
        this.clock = clock;
    }

    public JwksKeys keys() {
        return keys;
    }

    public VerifiedToken verify(String token) throws InvalidTokenException, KeysUnavailableException {
        String[] parts = token.split("\\.", -1);
        if (parts.length == 5) {
            throw new InvalidTokenException("Encrypted tokens (JWE) are not accepted");
        }
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new InvalidTokenException("The token is not a signed JWT (header.payload.signature)");
        }
        ObjectNode header = object(parts[0], "header");
        String alg = header.path("alg").asText("");
        if (!ALGORITHM.equals(alg)) {
            throw new InvalidTokenException("The token's algorithm '" + alg + "' is not accepted (" + ALGORITHM + " only)");
        }
        if (parts[2].isEmpty()) {
            throw new InvalidTokenException("The token has no signature");
        }
        if (header.has("crit")) {
            throw new InvalidTokenException("The token has critical header parameters this service does not understand");
        }
        String kid = header.path("kid").asText("");
        if (kid.isEmpty()) {
            throw new InvalidTokenException("The token names no signing key (kid)");
        }
        RSAPublicKey key = keys.key(kid);
        if (!signatureVerifies(key, parts)) {
            throw new InvalidTokenException("The token's signature does not verify");
        }
        ObjectNode claims = object(parts[1], "payload");
        checkTimes(claims);
        String issuer = claims.path("iss").asText("");
        if (!settings.issuer().equals(issuer)) {
            throw new InvalidTokenException("The token's issuer '" + issuer + "' is not the accepted issuer");
        }
        checkAudience(claims);
        if (!settings.tokenUse().isEmpty() && !settings.tokenUse().equals(claims.path("token_use").asText())) {
            throw new InvalidTokenException("The token's token_use is '" + claims.path("token_use").asText()
                    + "', '" + settings.tokenUse() + "' is required");
        }
        String user = null;
        for (String claim : settings.userClaims()) {
            JsonNode value = claims.get(claim);
            if (value != null && value.isTextual() && !value.asText().isBlank()) {
                user = value.asText();
                break;
            }
        }
        if (user == null) {
            throw new InvalidTokenException("The token has no user claim (" + String.join(", ", settings.userClaims()) + ")");
        }
        return new VerifiedToken(claims, user, tenants(claims.get(settings.tenantClaim())));
    }

    private void checkTimes(ObjectNode claims) throws InvalidTokenException {
        long now = clock.instant().getEpochSecond();
        long skew = settings.clockSkew().toSeconds();
        JsonNode exp = claims.get("exp");
        if (exp == null || !exp.isNumber()) {
            throw new InvalidTokenException("The token has no expiry (exp)");
        }
        if (now - skew >= exp.asLong()) {
            throw new InvalidTokenException("The token expired at " + Instant.ofEpochSecond(exp.asLong()));
        }
        JsonNode nbf = claims.get("nbf");
        if (nbf != null && (!nbf.isNumber() || now + skew < nbf.asLong())) {
            throw new InvalidTokenException("The token is not valid before " + Instant.ofEpochSecond(nbf.asLong()));
        }
        JsonNode iat = claims.get("iat");
        if (iat != null && (!iat.isNumber() || now + skew < iat.asLong())) {
            throw new InvalidTokenException("The token is issued in the future (iat " + Instant.ofEpochSecond(iat.asLong()) + ")");
        }
    }

    private void checkAudience(ObjectNode claims) throws InvalidTokenException {
        List<String> presented = new ArrayList<>();
        for (String claim : settings.audienceClaims()) {
            JsonNode value = claims.get(claim);
            if (value == null) {
                continue;
            }
            if (value.isArray()) {
                value.forEach(v -> presented.add(v.asText()));
            } else {
                presented.add(value.asText());
            }
        }
        if (presented.stream().noneMatch(settings.audiences()::contains)) {
            throw new InvalidTokenException("The token's audience " + (presented.isEmpty()
                    ? "(" + String.join(", ", settings.audienceClaims()) + ") is missing" : presented + " is not accepted"));
        }
    }

    /** A string (one tenant, or several separated by commas or blanks) or an array of strings. */
    static Set<String> tenants(JsonNode claim) {
        Set<String> tenants = new LinkedHashSet<>();
        if (claim == null || claim.isNull()) {
            return tenants;
        }
        if (claim.isArray()) {
            claim.forEach(t -> {
                if (t.isTextual() && !t.asText().isBlank()) {
                    tenants.add(t.asText().trim());
                }
            });
        } else if (claim.isTextual()) {
            for (String t : claim.asText().split("[,\\s]+")) {
                if (!t.isEmpty()) {
                    tenants.add(t);
                }
            }
        }
        return tenants;
    }

    private static boolean signatureVerifies(RSAPublicKey key, String[] parts) throws InvalidTokenException {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(key);
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return signature.verify(decode(parts[2], "signature"));
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static ObjectNode object(String part, String what) throws InvalidTokenException {
        try {
            JsonNode node = JSON.readTree(decode(part, what));
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException e) {
            // below
        }
        throw new InvalidTokenException("The token's " + what + " is not a JSON object");
    }

    private static byte[] decode(String part, String what) throws InvalidTokenException {
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("The token's " + what + " is not base64url");
        }
    }
}
