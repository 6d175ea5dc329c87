package io.cqrsworkers.security;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code app.security.*} keys: whether the business API wants a bearer token, and how that token is checked.
 * See the README section "Security".
 *
 * @param enabled            every request on the business port needs a valid token
 * @param issuer             the exact {@code iss} of accepted tokens (Cognito: https://cognito-idp.REGION.amazonaws.com/POOL_ID)
 * @param jwksUrl            where the issuer's signing keys are (default: issuer + /.well-known/jwks.json)
 * @param audiences          accepted audiences (Cognito: the app client ids)
 * @param audienceClaims     claims compared with them: {@code aud} (ID tokens) and/or {@code client_id} (access tokens)
 * @param tokenUse           required {@code token_use} (id or access), or empty for any
 * @param tenantClaim        the claim holding the caller's tenant(s), e.g. {@code custom:tenant}
 * @param userClaims         claims tried in order for the user id, e.g. {@code sub}
 * @param adminTenant        a tenant-claim value that allows every tenant and tenant-less requests; empty: none
 * @param tenantFromPk       a {@code pk} in the request names the tenant after its first {@code #}, too
 * @param clockSkew          allowed difference of clocks for exp, nbf, iat
 * @param jwksMaxAge         keys older than this are fetched again (on the next request)
 * @param jwksMinRefresh     at most one fetch in this interval for unknown key ids (no fetch storms)
 */
public record SecuritySettings(boolean enabled, String issuer, URI jwksUrl, Set<String> audiences,
                               List<String> audienceClaims, String tokenUse, String tenantClaim, List<String> userClaims,
                               String adminTenant, boolean tenantFromPk, Duration clockSkew, Duration jwksMaxAge,
                               Duration jwksMinRefresh) {

    public static final String PREFIX = "app.security.";

    /** Reads and checks the keys; a setting that cannot work is an error at start-up, not a 401 per request. */
    public static SecuritySettings from(Function<String, String> config) {
        Function<String, String> key = name -> {
            String value = config.apply(PREFIX + name);
            return value == null ? "" : value.trim();
        };
        boolean enabled = Boolean.parseBoolean(key.apply("enabled"));
        String issuer = key.apply("issuer");
        String jwks = key.apply("jwks-url");
        Set<String> audiences = Set.copyOf(list(key.apply("audience")));
        List<String> audienceClaims = list(or(key.apply("audience-claims"), "aud,client_id"));
        String tokenUse = key.apply("token-use");
        String tenantClaim = or(key.apply("tenant-claim"), "custom:tenant");
        List<String> userClaims = list(or(key.apply("user-claim"), "sub"));
        String admin = key.apply("admin-tenant");
        boolean tenantFromPk = Boolean.parseBoolean(or(key.apply("tenant-from-pk"), "true"));
        Duration skew = Duration.ofSeconds(Long.parseLong(or(key.apply("clock-skew-seconds"), "60")));
        Duration maxAge = Duration.ofSeconds(Long.parseLong(or(key.apply("jwks-cache-seconds"), "3600")));
        Duration minRefresh = Duration.ofSeconds(Long.parseLong(or(key.apply("jwks-refresh-min-seconds"), "30")));
        if (!enabled) {
            return new SecuritySettings(false, issuer, null, audiences, audienceClaims, tokenUse, tenantClaim,
                    userClaims, admin, tenantFromPk, skew, maxAge, minRefresh);
        }
        if (issuer.isEmpty()) {
            throw new IllegalStateException(PREFIX + "enabled=true but " + PREFIX + "issuer is not set: set it to the "
                    + "token issuer (Cognito: https://cognito-idp.<region>.amazonaws.com/<userPoolId>; environment "
                    + "variable APP_SECURITY_ISSUER), or set " + PREFIX + "enabled=false when something in front of "
                    + "the service checks the callers");
        }
        URI issuerUri = URI.create(issuer);
        if (!"https".equals(issuerUri.getScheme()) && !"http".equals(issuerUri.getScheme())) {
            throw new IllegalStateException(PREFIX + "issuer must be an http(s) URL, not '" + issuer + "'");
        }
        if (audiences.isEmpty()) {
            throw new IllegalStateException(PREFIX + "enabled=true but " + PREFIX + "audience is not set: list the "
                    + "accepted audiences / app client ids (comma-separated)");
        }
        for (String claim : audienceClaims) {
            if (!claim.equals("aud") && !claim.equals("client_id")) {
                throw new IllegalStateException(PREFIX + "audience-claims takes aud and/or client_id, not '" + claim + "'");
            }
        }
        if (!tokenUse.isEmpty() && !tokenUse.equals("id") && !tokenUse.equals("access")) {
            throw new IllegalStateException(PREFIX + "token-use takes id, access or nothing, not '" + tokenUse + "'");
        }
        if (skew.isNegative() || maxAge.isNegative() || minRefresh.isNegative()) {
            throw new IllegalStateException(PREFIX + "clock-skew-seconds, jwks-cache-seconds and "
                    + "jwks-refresh-min-seconds cannot be negative");
        }
        URI jwksUrl = URI.create(jwks.isEmpty() ? stripSlash(issuer) + "/.well-known/jwks.json" : jwks);
        return new SecuritySettings(true, issuer, jwksUrl, audiences, audienceClaims, tokenUse, tenantClaim,
                userClaims, admin, tenantFromPk, skew, maxAge, minRefresh);
    }

    private static String or(String value, String fallback) {
        return value.isEmpty() ? fallback : value;
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableList());
    }

    private static String stripSlash(String value) {
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }
}
