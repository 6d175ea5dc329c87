package io.cqrsworkers.security;

import io.vertx.core.json.JsonArray;
import io.vertx.ext.auth.User;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who called, for routes behind the business port: with security on, the user of the verified token
 * ({@link ApiGuard}); with it off (local profile), the {@code X-User-Id} header, which nothing checks.
 */
public final class Caller {

    /** The registry name of the {@link SecuritySettings} in force. */
    public static final String SETTINGS_BEAN = "apiSecuritySettings";
    static final String USER_ID = "userId";
    static final String TENANTS = "tenants";

    private Caller() {
    }

    /** The caller's user id; {@code fallback} when security is off and no X-User-Id header came. */
    public static String userId(Exchange exchange, String fallback) {
        Object user = exchange.getMessage().getHeader(VertxPlatformHttpConstants.AUTHENTICATED_USER);
        if (user instanceof User verified) {
            return userId(verified);
        }
        SecuritySettings settings = exchange.getContext().getRegistry()
                .lookupByNameAndType(SETTINGS_BEAN, SecuritySettings.class);
        if (settings != null && settings.enabled()) {
            // the guard lets no request through without a user: a route reached some other way
            throw new IllegalStateException("No authenticated caller on exchange " + exchange.getExchangeId());
        }
        return exchange.getMessage().getHeader("X-User-Id", fallback, String.class);
    }

    static String userId(User user) {
        return user.attributes().getString(USER_ID);
    }

    static Set<String> tenants(User user) {
        Set<String> tenants = new LinkedHashSet<>();
        JsonArray granted = user.attributes().getJsonArray(TENANTS);
        if (granted != null) {
            granted.forEach(t -> tenants.add(String.valueOf(t)));
        }
        return tenants;
    }
}
