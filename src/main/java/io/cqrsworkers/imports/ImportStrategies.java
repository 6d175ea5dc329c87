package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.command.CommandStore;
import io.cqrsworkers.json.Jackson;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.support.DefaultExchange;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * Import strategies are Camel endpoints per target table, one per part: {@code transform}, {@code validate},
 * {@code compare} and {@code map}. A part is the route whose id is {@code import-<table>.<part>} when one exists
 * (looked up by id on every use, so routes added or removed at run time count at once), else the endpoint named by
 * {@code app.import.strategies.<table>.<part>}, else the built-in default ({@link RowMapping}, and
 * a comparison with the table's read model). {@code app.import.strategies.<table>.publish-mode} is SYNC (default:
 * the command is applied at once, as bulk loads need) or ASYNC (the command workflow applies it).
 * <p>
 * An endpoint receives the row as JSON text with headers {@value #TABLE}, {@value #TENANT}, {@value #SOURCE} (and
 * {@value #COMPARISON} for map). transform replies the new row, validate replies anything (an exception is the
 * reason the row is invalid), compare replies NOT_EXIST, CHANGED or EQUAL, map replies the command. The built-in
 * parts are also the routes {@code direct:import-default.<part>}, for an endpoint that adds to them.
 */
public final class ImportStrategies {

    public static final String BEAN = "importStrategies";
    public static final String TABLE = "ImportTableName";
    public static final String TENANT = "ImportTenantCode";
    public static final String SOURCE = "ImportSourceId";
    public static final String COMPARISON = "ImportComparison";
    private static final ObjectMapper JSON = Jackson.MAPPER;

    public enum PublishMode { SYNC, ASYNC }

    private final CamelContext context;
    private final CommandStore store;
    private final ProducerTemplate template;

    public ImportStrategies(CamelContext context, CommandStore store) {
        this.context = context;
        this.store = store;
        this.template = context.createProducerTemplate();
    }

    public JsonNode transform(ImportTarget target, JsonNode row) {
        return endpoint(target, "transform").map(uri -> call(uri, target, row, null)).orElse(row);
    }

    public void validate(ImportTarget target, JsonNode row) {
        endpoint(target, "validate").ifPresentOrElse(uri -> send(uri, target, row, null),
                () -> builtInValidate(row));
    }

    public Comparison compare(ImportTarget target, JsonNode row) {
        Optional<String> uri = endpoint(target, "compare");
        if (uri.isEmpty()) {
            return builtInCompare(target, row);
        }
        String verdict = call(uri.get(), target, row, null).asText();
        try {
            return Comparison.valueOf(verdict.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidRowException("compare replied '" + verdict + "', not NOT_EXIST, CHANGED or EQUAL", e);
        }
    }

    public ObjectNode map(ImportTarget target, JsonNode row, Comparison comparison) {
        Optional<String> uri = endpoint(target, "map");
        if (uri.isEmpty()) {
            return builtInMap(target, row);
        }
        JsonNode command = call(uri.get(), target, row, comparison);
        if (!command.isObject()) {
            throw new InvalidRowException("map replied " + command + ", not a command object", null);
        }
        return (ObjectNode) command;
    }

    /** The built-in part as the route {@code direct:import-default.<part>} calls it: the row as JSON text. */
    public String builtIn(String part, String tableName, String tenantCode, String sourceId, String row)
            throws java.io.IOException {
        return builtIn(part, new ImportTarget(tableName, tenantCode, sourceId), JSON.readTree(row)).toString();
    }

    /** The built-in part (a user's endpoint may delegate to it: {@code direct:import-default.<part>}). */
    public JsonNode builtIn(String part, ImportTarget target, JsonNode row) {
        return switch (part) {
            case "transform" -> row;
            case "validate" -> {
                builtInValidate(row);
                yield row;
            }
            case "compare" -> JSON.getNodeFactory().textNode(builtInCompare(target, row).name());
            case "map" -> builtInMap(target, row);
            default -> throw new IllegalArgumentException("No import strategy part '" + part + "'");
        };
    }

    private static void builtInValidate(JsonNode row) {
        try {
            RowMapping.validate(row);
        } catch (IllegalArgumentException e) {
            throw new InvalidRowException(e.getMessage(), e);
        }
    }

    private Comparison builtInCompare(ImportTarget target, JsonNode row) {
        ObjectNode command = map(target, row, Comparison.NOT_EXIST);
        return compare(store.getData(target.tableName(), command.path("pk").asText(), command.path("sk").asText(),
                true), command);
    }

    /** The built-in comparison: no data row, a data row equal in code, name and attributes, or a change. */
    public static Comparison compare(Optional<ObjectNode> data, ObjectNode command) {
        return data.map(d -> unchanged(d, command) ? Comparison.EQUAL : Comparison.CHANGED)
                .orElse(Comparison.NOT_EXIST);
    }

    private static ObjectNode builtInMap(ImportTarget target, JsonNode row) {
        try {
            return RowMapping.toCommand(row, target);
        } catch (IllegalArgumentException e) {
            throw new InvalidRowException(e.getMessage(), e);
        }
    }

    public PublishMode publishMode(String tableName) {
        String mode = config("app.import.strategies." + tableName + ".publish-mode");
        return mode == null || mode.isBlank() ? PublishMode.SYNC : PublishMode.valueOf(mode.trim().toUpperCase());
    }

    /** The id of the route that is a table's strategy part, by convention. */
    public static String routeId(String tableName, String part) {
        return "import-" + tableName + "." + part;
    }

    /** The endpoint of a part, if the table has one: the consumer of its route, else the configured endpoint. */
    public Optional<String> endpoint(ImportTarget target, String part) {
        Route route = context.getRoute(routeId(target.tableName(), part));
        if (route != null) {
            return Optional.of(route.getEndpoint().getEndpointUri());
        }
        String configured = config("app.import.strategies." + target.tableName() + "." + part);
        return configured == null || configured.isBlank() ? Optional.empty() : Optional.of(configured.trim());
    }

    private String config(String key) {
        return context.getPropertiesComponent().resolveProperty(key).orElse(null);
    }

    private static boolean unchanged(JsonNode data, ObjectNode command) {
        return !data.path("isDeleted").asBoolean(false)
                && Objects.equals(data.get("code"), command.get("code"))
                && Objects.equals(data.get("name"), command.get("name"))
                && Objects.equals(data.get("attributes"), command.get("attributes"));
    }

    private JsonNode call(String uri, ImportTarget target, JsonNode row, Comparison comparison) {
        Object body = send(uri, target, row, comparison).getMessage().getBody();
        String text = body instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                : body == null ? "null" : body instanceof String s ? s : null;
        if (text == null) {
            return JSON.valueToTree(body);
        }
        try {
            return JSON.readTree(text);
        } catch (Exception notJson) {
            return JSON.getNodeFactory().textNode(text);
        }
    }

    /** The part's exchange once done; its failure thrown as transient or as the row's fault. */
    private Exchange send(String uri, ImportTarget target, JsonNode row, Comparison comparison) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(row.toString());
        exchange.getMessage().setHeader(TABLE, target.tableName());
        exchange.getMessage().setHeader(TENANT, target.tenantCode());
        exchange.getMessage().setHeader(SOURCE, target.sourceId());
        if (comparison != null) {
            exchange.getMessage().setHeader(COMPARISON, comparison.name());
        }
        Exchange done = template.send(uri, exchange);
        Throwable failure = cause(done.getException());
        if (failure != null) {
            if (RowFailures.isTransient(failure)) {
                throw failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
            }
            throw failure instanceof InvalidRowException invalid ? invalid
                    : new InvalidRowException(failure.getMessage(), failure);
        }
        return done;
    }

    /** The failure itself, not Camel's wrapper of it (a bean step wraps what its method threw). */
    private static Throwable cause(Exception failure) {
        Throwable t = failure;
        while (t != null && t.getCause() != null && t.getClass().getName().startsWith("org.apache.camel.")) {
            t = t.getCause();
        }
        return t;
    }
}
