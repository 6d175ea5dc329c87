package io.cqrsworkers.security;

import io.cqrsworkers.json.Jackson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which tenants a request names, and whether the caller may name them.
 * <p>
 * A request names a tenant wherever a route could read one: {@code tenantCode} as a query parameter, form field or
 * header (Camel turns all three into the same case-insensitive message header) or as a top-level field of a JSON
 * body (or of the objects of a JSON array body), and, with {@code tenant-from-pk}, a {@code pk} in those places, whose
 * tenant is the text after its first {@code #} (the framework's {@code TYPE#tenant} keys). Every tenant named must be
 * one the token grants. A request naming no tenant at all (approvals, workflows, look-ups by id, the stream DLQ
 * replay) is an operator's request: only a token with the admin tenant may make it, and that token may name any
 * tenant.
 */
public final class TenantAccess {

    private static final ObjectMapper JSON = Jackson.MAPPER;
    static final String TENANT_FIELD = "tenantCode";
    static final String PK_FIELD = "pk";

    private final SecuritySettings settings;

    public TenantAccess(SecuritySettings settings) {
        this.settings = settings;
    }

    /** Empty when allowed, else why not (the 403 message). */
    public Optional<String> denied(Set<String> granted, Set<String> named) {
        if (!settings.adminTenant().isEmpty() && granted.contains(settings.adminTenant())) {
            return Optional.empty();
        }
        if (named.isEmpty()) {
            return Optional.of("The request names no tenant (tenantCode" + (settings.tenantFromPk() ? " or pk" : "")
                    + "); only an administrator may make it");
        }
        for (String tenant : named) {
            if (!granted.contains(tenant)) {
                return Optional.of("The token does not grant access to tenant '" + tenant + "'");
            }
        }
        return Optional.empty();
    }

    /** The tenants named by headers, query parameters and form fields, and by the body if it is JSON. */
    public Set<String> named(MultiMap headers, MultiMap query, MultiMap form, Buffer body) {
        Set<String> tenants = new TreeSet<>();
        for (MultiMap map : new MultiMap[] {headers, query, form}) {
            if (map == null) {
                continue;
            }
            for (Map.Entry<String, String> entry : map.entries()) {
                add(tenants, entry.getKey(), entry.getValue(), true);
            }
        }
        if (body != null && body.length() > 0) {
            JsonNode json = json(body);
            if (json != null && json.isArray()) {
                json.forEach(element -> fields(tenants, element));
            } else if (json != null) {
                fields(tenants, json);
            }
        }
        return tenants;
    }

    private void fields(Set<String> tenants, JsonNode object) {
        if (object.isObject()) {
            object.fields().forEachRemaining(field -> {
                if (field.getValue().isValueNode() && !field.getValue().isNull()) {
                    add(tenants, field.getKey(), field.getValue().asText(), false);
                } else if (field.getKey().equals(TENANT_FIELD) || field.getKey().equals(PK_FIELD)) {
                    // an object or array where a route reads text: treat it as a tenant nobody is granted
                    tenants.add(field.getValue().toString());
                }
            });
        }
    }

    private void add(Set<String> tenants, String name, String value, boolean ignoreCase) {
        if (value == null || value.isBlank()) {
            return;
        }
        if (ignoreCase ? TENANT_FIELD.equalsIgnoreCase(name) : TENANT_FIELD.equals(name)) {
            tenants.add(value.trim());
        } else if (settings.tenantFromPk() && (ignoreCase ? PK_FIELD.equalsIgnoreCase(name) : PK_FIELD.equals(name))) {
            int hash = value.indexOf('#');
            if (hash >= 0) {
                tenants.add(value.substring(hash + 1).trim());
            }
        }
    }

    /** Routes parse bodies with a default ObjectMapper whatever their content type says, and so does this. */
    private static JsonNode json(Buffer body) {
        try {
            return JSON.readTree(body.getBytes());
        } catch (IOException e) {
            return null;
        }
    }
}
