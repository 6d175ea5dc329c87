package io.cqrsworkers.localaws.stepfunctions.data;

import io.cqrsworkers.localaws.stepfunctions.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;

/**
 * Payload templates of JSONPath states (Parameters, ItemSelector, ResultSelector, Arguments): a key ending in
 * {@code .$} takes the value of its path ({@code $...}, {@code $$...}, {@code $var...}) or intrinsic function
 * call, under the key without the suffix. Nested objects and arrays are walked; static parts are shared, not
 * copied.
 */
public final class PayloadTemplates {

    private static final String DYNAMIC_SUFFIX = ".$";

    private PayloadTemplates() {
    }

    public static JsonNode apply(JsonNode template, EvalScope scope) {
        if (template == null) {
            return null;
        }
        if (template.isObject()) {
            return applyObject((ObjectNode) template, scope);
        }
        if (template.isArray()) {
            ArrayNode out = null;
            for (int i = 0; i < template.size(); i++) {
                JsonNode element = template.get(i);
                JsonNode applied = apply(element, scope);
                if (applied != element && out == null) {
                    out = Json.MAPPER.createArrayNode();
                    for (int k = 0; k < i; k++) {
                        out.add(template.get(k));
                    }
                }
                if (out != null) {
                    out.add(applied);
                }
            }
            return out == null ? template : out;
        }
        return template;
    }

    /**
     * Definition check: every {@code .$} key holds a string that is a valid path or intrinsic call. Throws
     * {@link IllegalArgumentException} with AWS's text naming the field; its cause holds the reason.
     */
    public static void validate(JsonNode template) {
        if (template == null) {
            return;
        }
        if (template.isArray()) {
            template.forEach(PayloadTemplates::validate);
            return;
        }
        if (!template.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = template.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getKey().endsWith(DYNAMIC_SUFFIX)) {
                validate(field.getValue());
                continue;
            }
            JsonNode value = field.getValue();
            try {
                if (!value.isTextual()) {
                    throw new IllegalArgumentException("not a string: " + Json.write(value));
                }
                String expr = value.asText();
                if (Intrinsics.isIntrinsic(expr)) {
                    Intrinsics.validate(expr);
                } else {
                    JsonPaths.validatePath(expr);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("The value for the field '" + field.getKey()
                        + "' must be a valid JSONPath or a valid intrinsic function call", e);
            }
        }
    }

    private static JsonNode applyObject(ObjectNode template, EvalScope scope) {
        ObjectNode out = null;
        int seen = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = template.fields(); it.hasNext(); seen++) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            String outKey = key;
            JsonNode outValue;
            if (key.endsWith(DYNAMIC_SUFFIX) && value.isTextual()) {
                outKey = key.substring(0, key.length() - DYNAMIC_SUFFIX.length());
                outValue = resolve(key, value.asText(), scope);
            } else {
                outValue = apply(value, scope);
            }
            if (out == null && (outValue != value || !outKey.equals(key))) {
                out = copyFirst(template, seen);
            }
            if (out != null) {
                out.set(outKey, outValue);
            }
        }
        return out == null ? template : out;
    }

    private static ObjectNode copyFirst(ObjectNode template, int count) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        Iterator<Map.Entry<String, JsonNode>> it = template.fields();
        for (int i = 0; i < count; i++) {
            Map.Entry<String, JsonNode> field = it.next();
            out.set(field.getKey(), field.getValue());
        }
        return out;
    }

    /**
     * The value of one dynamic field: a path or an intrinsic call. Also serves fields outside templates that
     * take either, such as a Fail state's ErrorPath and CausePath; a path that matches nothing fails with
     * AWS's "The JSONPath '...' specified for the field '...' could not be found in the input '...'".
     */
    public static JsonNode resolve(String field, String pathOrIntrinsic, EvalScope scope) {
        if (Intrinsics.isIntrinsic(pathOrIntrinsic)) {
            return Intrinsics.evaluate(pathOrIntrinsic, scope, field);
        }
        return JsonPaths.readField(pathOrIntrinsic, field, scope);
    }
}
