package io.cqrsworkers.security;

import io.cqrsworkers.api.JsonResponses;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.Set;

/**
 * The bearer-token check in front of every route of the business HTTP server (REST routes, platform-http routes and
 * the Server-Sent-Events endpoint alike): one Vert.x route, ordered first, matching every path.
 * <ol>
 * <li>authenticate: {@code Authorization: Bearer <JWT>} verified by {@link JwtVerifier} on a worker thread (a key
 * fetch may block), the request paused meanwhile; 401 with a {@code WWW-Authenticate} challenge, or 503 when the
 * issuer's keys cannot be had;</li>
 * <li>read the body with the server's own body handler (the routes' body handlers then find it read), so an
 * unauthenticated caller never gets a body buffered;</li>
 * <li>authorize: every tenant the request names must be granted by the token ({@link TenantAccess}); 403.</li>
 * </ol>
 * A request that passes carries the caller as the routing context's {@link User}, which platform-http hands to the
 * Camel exchange as header {@code CamelVertxPlatformHttpAuthenticatedUser}; {@link Caller} reads it.
 */
public final class ApiGuard {

    private static final Logger LOG = LoggerFactory.getLogger(ApiGuard.class);
    static final String REALM = "cqrs-workers";
    private static final String BODY_READ = ApiGuard.class.getName() + ".bodyRead";
    private static final String PUBLIC = ApiGuard.class.getName() + ".publicAsset";

    private final JwtVerifier verifier;
    private final TenantAccess tenants;

    public ApiGuard(JwtVerifier verifier, TenantAccess tenants) {
        this.verifier = verifier;
        this.tenants = tenants;
    }

    public JwtVerifier verifier() {
        return verifier;
    }

    /** Puts the check before everything else the router has or will have. */
    public void install(Router router, io.vertx.core.Handler<RoutingContext> bodyHandler) {
        router.route().order(Integer.MIN_VALUE)
                .handler(this::authenticate)
                .handler(bodyHandler)
                .handler(this::authorize);
    }

    /** Whether this guard has read the request's body already (route body handlers must not read it again). */
    public static boolean bodyRead(RoutingContext ctx) {
        return Boolean.TRUE.equals(ctx.get(BODY_READ));
    }

    /**
     * The console's page and its static assets carry no data and a browser cannot send a bearer token when it
     * navigates to a page: they are served to anyone. Everything the page shows comes from {@code /console/api/...},
     * which needs a token like the rest of the API (the page asks for one).
     */
    static boolean publicAsset(HttpMethod method, String normalizedPath) {
        return (method == HttpMethod.GET || method == HttpMethod.HEAD) && normalizedPath != null
                && (normalizedPath.equals("/console") || normalizedPath.equals("/console/")
                || normalizedPath.startsWith("/console/assets/"));
    }

    private void authenticate(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (publicAsset(request.method(), ctx.normalizedPath())) {
            ctx.put(PUBLIC, Boolean.TRUE);
            ctx.next();
            return;
        }
        String token;
        try {
            token = bearerToken(request.getHeader("Authorization"));
        } catch (InvalidTokenException e) {
            unauthorized(ctx, e);
            return;
        }
        boolean paused = !request.isEnded();
        if (paused) {
            request.pause();
        }
        ctx.vertx().<JwtVerifier.VerifiedToken>executeBlocking(() -> verifier.verify(token), false).onComplete(result -> {
            if (result.succeeded()) {
                JwtVerifier.VerifiedToken verified = result.result();
                ctx.setUser(User.create(new JsonObject(verified.claims().toString()), new JsonObject()
                        .put(Caller.USER_ID, verified.userId())
                        .put(Caller.TENANTS, new JsonArray(verified.tenants().stream().toList()))));
                ctx.next();
                return;
            }
            Throwable failure = result.cause();
            if (failure instanceof InvalidTokenException invalid) {
                unauthorized(ctx, invalid);
            } else if (failure instanceof KeysUnavailableException unavailable) {
                LOG.warn("{}", unavailable.getMessage());
                end(ctx, 503, unavailable.getMessage());
            } else {
                LOG.error("Token check failed", failure);
                end(ctx, 500, "The token could not be checked");
            }
        });
    }

    private void authorize(RoutingContext ctx) {
        ctx.put(BODY_READ, Boolean.TRUE);
        if (Boolean.TRUE.equals(ctx.get(PUBLIC))) {
            ctx.next();
            return;
        }
        User user = ctx.user();
        if (user == null) {
            end(ctx, 500, "No authenticated caller");
            return;
        }
        Set<String> granted = Caller.tenants(user);
        Set<String> named = tenants.named(ctx.request().headers(), ctx.queryParams(), ctx.request().formAttributes(),
                ctx.body().buffer());
        Optional<String> denied = tenants.denied(granted, named);
        if (denied.isPresent()) {
            LOG.info("403 {} {} for user {} (tenants {}): {}", ctx.request().method(), ctx.normalizedPath(),
                    Caller.userId(user), granted, denied.get());
            end(ctx, 403, denied.get());
            return;
        }
        ctx.next();
    }

    static String bearerToken(String authorization) throws InvalidTokenException {
        if (authorization == null || authorization.isBlank()) {
            throw InvalidTokenException.missing();
        }
        String value = authorization.trim();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Bearer")) {
            throw new InvalidTokenException("The Authorization header must be 'Bearer <JWT>'");
        }
        String token = value.substring(space + 1).trim();
        if (token.isEmpty()) {
            throw new InvalidTokenException("The Authorization header carries no token");
        }
        return token;
    }

    private static void unauthorized(RoutingContext ctx, InvalidTokenException e) {
        String challenge = "Bearer realm=\"" + REALM + "\"";
        if (!e.isMissing()) {
            challenge += ", error=\"invalid_token\", error_description=\"" + quotable(e.getMessage()) + "\"";
        }
        ctx.response().putHeader("WWW-Authenticate", challenge);
        end(ctx, 401, e.getMessage());
    }

    private static void end(RoutingContext ctx, int status, String message) {
        HttpServerResponse response = ctx.response();
        if (response.ended()) {
            return;
        }
        if (!ctx.request().isEnded()) {
            // do not read a body nobody will use; the connection cannot be reused then
            response.putHeader("Connection", "close");
            ctx.request().resume();
        }
        response.setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(JsonResponses.errorBody(status, message).toString());
    }

    /** RFC 6750 allows %x20-21 / %x23-5B / %x5D-7E in error_description. */
    private static String quotable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            out.append(c >= 0x20 && c <= 0x7E && c != '"' && c != '\\' ? c : c == '"' ? '\'' : '?');
        }
        return out.toString();
    }
}
