package io.cqrsworkers.localaws.stepfunctions.data;

import io.cqrsworkers.localaws.stepfunctions.core.Json;
import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata.EntryCallback;
import com.dashjoin.jsonata.Jsonata.ExitCallback;
import com.dashjoin.jsonata.Parser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The JSONata query language of Step Functions: {@code "{% expr %}"} strings anywhere in a template, with
 * {@code $states} and the workflow variables bound and AWS's extension functions registered. Failures are
 * {@code States.QueryEvaluationError} with AWS's cause sentences; {@code field} arguments are the ASL field
 * the expression sits in, e.g. {@code Output/a/b} or {@code Arguments/items[0]}.
 */
public final class Jsonata {

    private static final BoundedCache<Compiled> CACHE = new BoundedCache<>(10_000, Compiled::compile);

    /** Bounds that stop a runaway expression (endless recursion or loop) from holding an engine thread. */
    private static final long MAX_EVALUATION_NANOS = 5_000_000_000L;
    private static final int MAX_EVALUATION_DEPTH = 500;

    private static final Pattern ERROR_CODE = Pattern.compile("[A-Z]\\d{4}");

    private Jsonata() {
    }

    /** A string {@code "{% ... %}"}. */
    public static boolean isExpression(JsonNode value) {
        return value != null && value.isTextual() && isExpression(value.textValue());
    }

    public static boolean isExpression(String text) {
        return text.length() >= 4 && text.startsWith("{%") && text.endsWith("%}");
    }

    /**
     * Evaluates one expression (with or without the {@code {% %}} delimiters); null when it yields nothing
     * (JSONata's undefined).
     */
    public static JsonNode evaluate(String expression, JsonNode states, Map<String, JsonNode> variables) {
        return run(expression, states, variables, null);
    }

    /** Evaluates the expression of {@code field}; yielding nothing is an error, as on AWS. */
    public static JsonNode evaluate(String expression, JsonNode states, Map<String, JsonNode> variables,
                                    String field) {
        JsonNode result = run(expression, states, variables, field);
        if (result == null) {
            throw new StatesError(StatesError.QUERY_EVALUATION_ERROR, "The JSONata expression '" + body(expression)
                    + "' specified for the field '" + field + "' returned nothing (undefined).");
        }
        return result;
    }

    /**
     * Evaluates the expression of {@code field} and checks its JSON type, e.g. ARRAY for Map {@code Items},
     * BOOLEAN for a Choice {@code Condition}, NUMBER for Wait {@code Seconds}.
     */
    public static JsonNode evaluate(String expression, JsonNode states, Map<String, JsonNode> variables,
                                    String field, JsonNodeType expected) {
        JsonNode result = evaluate(expression, states, variables, field);
        if (result.getNodeType() != expected) {
            throw new StatesError(StatesError.QUERY_EVALUATION_ERROR, "The JSONata expression '" + body(expression)
                    + "' specified for the field '" + field + "' returned an unexpected result type. Expected '"
                    + Json.typeName(expected) + "', but was '" + Json.typeName(result) + "' for value: "
                    + Json.write(result));
        }
        return result;
    }

    /** Evaluates every {@code {% %}} string in a template (Output, Arguments, Assign, ...); other values stay. */
    public static JsonNode applyTemplate(JsonNode template, JsonNode states, Map<String, JsonNode> variables) {
        return applyTemplate(template, states, variables, "Output");
    }

    public static JsonNode applyTemplate(JsonNode template, JsonNode states, Map<String, JsonNode> variables,
                                         String field) {
        if (template == null) {
            return null;
        }
        if (isExpression(template)) {
            return evaluate(template.textValue(), states, variables, field);
        }
        if (template.isObject()) {
            ObjectNode out = null;
            int seen = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = template.fields(); it.hasNext(); seen++) {
                Map.Entry<String, JsonNode> entry = it.next();
                JsonNode value = applyTemplate(entry.getValue(), states, variables, field + "/" + entry.getKey());
                if (value != entry.getValue() && out == null) {
                    out = Json.MAPPER.createObjectNode();
                    Iterator<Map.Entry<String, JsonNode>> copy = template.fields();
                    for (int i = 0; i < seen; i++) {
                        Map.Entry<String, JsonNode> kept = copy.next();
                        out.set(kept.getKey(), kept.getValue());
                    }
                }
                if (out != null) {
                    out.set(entry.getKey(), value);
                }
            }
            return out == null ? template : out;
        }
        if (template.isArray()) {
            ArrayNode out = null;
            for (int i = 0; i < template.size(); i++) {
                JsonNode value = applyTemplate(template.get(i), states, variables, field + "[" + i + "]");
                if (value != template.get(i) && out == null) {
                    out = Json.MAPPER.createArrayNode();
                    for (int k = 0; k < i; k++) {
                        out.add(template.get(k));
                    }
                }
                if (out != null) {
                    out.add(value);
                }
            }
            return out == null ? template : out;
        }
        return template;
    }

    /** Definition check: throws {@link IllegalArgumentException} with the JSONata syntax error. */
    public static void validate(String expression) {
        Compiled compiled = CACHE.get(body(expression));
        if (compiled.syntaxError != null) {
            throw new IllegalArgumentException(compiled.syntaxError);
        }
    }

    /** Definition check of every {@code {% %}} string in a template. */
    public static void validateTemplate(JsonNode template) {
        if (isExpression(template)) {
            validate(template.textValue());
        } else if (template != null && template.isContainerNode()) {
            template.forEach(Jsonata::validateTemplate);
        }
    }

    /** The expression text without {@code {% %}} and surrounding blanks, as AWS quotes it. */
    static String body(String expression) {
        String text = expression.strip();
        if (isExpression(text)) {
            text = text.substring(2, text.length() - 2).strip();
        }
        return text;
    }

    private static JsonNode run(String expression, JsonNode states, Map<String, JsonNode> variables, String field) {
        String body = body(expression);
        Compiled compiled = CACHE.get(body);
        if (compiled.syntaxError != null) {
            throw failure(body, field, compiled.syntaxError);
        }
        com.dashjoin.jsonata.Jsonata.Frame frame = compiled.expression.createFrame();
        RunawayGuard guard = new RunawayGuard();
        frame.setEvaluateEntryCallback(guard);
        frame.setEvaluateExitCallback(guard);
        frame.bind("states", JsonataValues.toJava(states));
        for (Map.Entry<String, JsonNode> variable : variables.entrySet()) {
            frame.bind(variable.getKey(), JsonataValues.toJava(variable.getValue()));
        }
        Object result;
        try {
            result = compiled.expression.evaluate(null, frame);
        } catch (JException e) {
            throw failure(body, field, detail(e));
        } catch (JsonataExtensions.ExtensionError e) {
            throw failure(body, field, e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            Throwable cause = e.getCause() instanceof JsonataExtensions.ExtensionError ext ? ext : e;
            throw failure(body, field, cause.getMessage() != null ? cause.getMessage() : cause.toString());
        }
        try {
            return JsonataValues.toJson(result);
        } catch (JsonataValues.UnsupportedResult e) {
            throw new StatesError(StatesError.QUERY_EVALUATION_ERROR, "The JSONata expression '" + body
                    + "'" + fieldPart(field) + " returned an unsupported result type.");
        }
    }

    private static StatesError failure(String body, String field, String detail) {
        return new StatesError(StatesError.QUERY_EVALUATION_ERROR, "The JSONata expression '" + body + "'"
                + fieldPart(field) + " threw an error during evaluation. " + detail);
    }

    private static String fieldPart(String field) {
        return field == null ? "" : " specified for the field '" + field + "'";
    }

    /** "CODE: message" as jsonata-js words it. */
    private static String detail(JException e) {
        String code = e.getError();
        if (code != null && ERROR_CODE.matcher(code).matches()) {
            return code + ": " + message(e);
        }
        // the runaway guard throws its message as the code; jsonata-js files both under U1001
        return "U1001: " + (code == null ? e.getMessage() : code);
    }

    /** dashjoin's catalog says "Object" where jsonata-js (and so AWS) says "function". */
    private static String message(JException e) {
        String text = e.getMessage() == null ? "" : e.getMessage();
        return text.replace("of Object \"", "of function \"").replace("Object signature", "function signature")
                .replaceAll("Argument \"(\\d+)\"", "Argument $1");
    }

    /**
     * Stops a runaway evaluation: nesting depth on every step, elapsed time every 1024 steps (dashjoin's own
     * Timebox reads the clock twice per step, which costs more than small expressions do).
     */
    private static final class RunawayGuard implements EntryCallback, ExitCallback {
        private final long deadline = System.nanoTime() + MAX_EVALUATION_NANOS;
        private int depth;
        private int steps;

        @Override
        public void callback(Parser.Symbol expr, Object input, com.dashjoin.jsonata.Jsonata.Frame environment) {
            if (++depth > MAX_EVALUATION_DEPTH) {
                throw new JException("Stack overflow error: Check for non-terminating recursive function.  "
                        + "Consider rewriting as tail-recursive.", -1);
            }
            if ((++steps & 1023) == 0 && System.nanoTime() > deadline) {
                throw new JException("Expression evaluation timeout: Check for infinite loop", -1);
            }
        }

        @Override
        public void callback(Parser.Symbol expr, Object input, com.dashjoin.jsonata.Jsonata.Frame environment,
                             Object result) {
            depth--;
        }
    }

    /** A compiled expression with AWS's functions registered, or the syntax error it failed with. */
    private record Compiled(com.dashjoin.jsonata.Jsonata expression, String syntaxError) {
        static Compiled compile(String body) {
            try {
                com.dashjoin.jsonata.Jsonata expression = com.dashjoin.jsonata.Jsonata.jsonata(body);
                expression.setValidateInput(false);
                expression.setOutputConvertNulls(false);
                JsonataExtensions.registerAll(expression);
                return new Compiled(expression, null);
            } catch (JException e) {
                return new Compiled(null, detail(e));
            }
        }
    }
}
