package io.cqrsworkers.localaws.stepfunctions.data;

import io.cqrsworkers.localaws.stepfunctions.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSONPath as Step Functions uses it: {@code $...} on the state input, {@code $$...} on the context object and
 * {@code $name...} on a workflow variable. Plain member/index paths (the vast majority) are walked directly
 * over the Jackson tree; everything else (wildcards, slices, filters, deep scan) goes to Jayway JsonPath,
 * which is also what produces AWS's "No results for path" texts on a miss.
 */
public final class JsonPaths {

    private static final Configuration JAYWAY = Configuration.builder()
            .jsonProvider(new JacksonJsonNodeJsonProvider(Json.MAPPER))
            .mappingProvider(new JacksonMappingProvider(Json.MAPPER))
            .build();

    private static final BoundedCache<Compiled> CACHE = new BoundedCache<>(20_000, Compiled::compile);
    /** ResultPaths as steps (an empty array: not a valid reference path); parsed once, not at every transition. */
    private static final BoundedCache<Object[]> RESULT_PATHS = new BoundedCache<>(20_000, path -> {
        Object[] steps = path.startsWith("$$") ? null : parseSimple(path, 1);
        return steps == null ? new Object[0] : steps;
    });

    private static final Pattern FUNCTION_CALL = Pattern.compile("\\.([A-Za-z]\\w*\\(\\))$");

    private JsonPaths() {
    }

    /** Reads a path; a definite path that matches nothing fails with AWS's {@code Invalid path} cause. */
    public static JsonNode read(String path, EvalScope scope) {
        Compiled compiled = CACHE.get(path);
        JsonNode result = compiled.find(scope);
        if (result == null) {
            throw new StatesError(StatesError.RUNTIME, "Invalid path '" + path + "' : " + compiled.missReason(scope));
        }
        return result;
    }

    /**
     * Reads the path of a template field such as {@code "name.$"} (or an intrinsic argument in it); a definite
     * path that matches nothing fails with AWS's "The JSONPath '...' specified for the field '...' could not be
     * found in the input '...'".
     */
    public static JsonNode readField(String path, String field, EvalScope scope) {
        JsonNode found = find(path, scope);
        if (found == null) {
            JsonNode searched = isContextPath(path) ? scope.context() : scope.input();
            throw new StatesError(StatesError.RUNTIME, "The JSONPath '" + path + "' specified for the field '" + field
                    + "' could not be found in the input '" + Json.write(searched) + "'");
        }
        return found;
    }

    /**
     * InputPath / OutputPath: a null path yields an empty object ({@code {}}), as AWS does; otherwise the value
     * the path selects in the scope's input, failing as {@link #read} does.
     */
    public static JsonNode select(String pathOrNull, EvalScope scope) {
        return pathOrNull == null ? Json.MAPPER.createObjectNode() : read(pathOrNull, scope);
    }

    /**
     * Reads a path; null when a definite path matches nothing (an indefinite path then gives an empty array).
     * Invalid syntax throws {@link StatesError} {@code States.Runtime}.
     */
    public static JsonNode find(String path, EvalScope scope) {
        return CACHE.get(path).find(scope);
    }

    /** True when the path can select at most one node (no wildcard, slice, filter, union or deep scan). */
    public static boolean isDefinite(String path) {
        return CACHE.get(path).isDefinite();
    }

    /** True for a path into the context object ({@code $$...}). */
    public static boolean isContextPath(String path) {
        return path.startsWith("$$");
    }

    /** Definition check for any path field: throws {@link IllegalArgumentException} when it is not a JSONPath. */
    public static void validatePath(String path) {
        try {
            CACHE.get(path);
        } catch (StatesError e) {
            throw new IllegalArgumentException(e.cause());
        }
    }

    /**
     * Definition check for ResultPath and other reference paths: {@code $} followed by member names and array
     * indices only. Throws {@link IllegalArgumentException} with the reason.
     */
    public static void validateReferencePath(String path) {
        if (path == null || !path.startsWith("$") || path.startsWith("$$") || parseSimple(path, 1) == null) {
            throw new IllegalArgumentException("The value '" + path + "' is not a valid ReferencePath");
        }
    }

    /**
     * ResultPath: null discards the result (the input passes through), {@code $} replaces the input, any other
     * reference path places the result into a copy of the input, creating missing objects on the way. The input
     * is never mutated; the output shares untouched subtrees with it.
     */
    public static JsonNode applyResultPath(JsonNode stateInput, String resultPath, JsonNode result) {
        if (resultPath == null) {
            return stateInput;
        }
        if (resultPath.equals("$")) {
            return result;
        }
        Object[] steps = RESULT_PATHS.get(resultPath);
        if (steps.length == 0) {
            throw new StatesError(StatesError.RUNTIME, "The value '" + resultPath + "' is not a valid ReferencePath");
        }
        JsonNode out = place(stateInput, steps, 0, result);
        if (out == null) {
            throw new StatesError(StatesError.REFERENCE_PATH_CONFLICT,
                    "Unable to apply ReferencePath " + resultPath + " to input " + Json.write(stateInput));
        }
        return out;
    }

    /** Copy of {@code node} with {@code value} at {@code steps[i..]}; null when the path cannot be applied. */
    private static JsonNode place(JsonNode node, Object[] steps, int i, JsonNode value) {
        if (i == steps.length) {
            return value;
        }
        if (steps[i] instanceof String name) {
            if (node != null && !node.isObject()) {
                return null;
            }
            ObjectNode copy = Json.MAPPER.createObjectNode();
            if (node != null) {
                copy.setAll((ObjectNode) node);
            }
            JsonNode child = place(node == null ? null : node.get(name), steps, i + 1, value);
            if (child == null) {
                return null;
            }
            copy.set(name, child);
            return copy;
        }
        int index = (Integer) steps[i];
        if (node == null || !node.isArray() || index >= node.size()) {
            return null;
        }
        JsonNode child = place(node.get(index), steps, i + 1, value);
        if (child == null) {
            return null;
        }
        ArrayNode copy = Json.MAPPER.createArrayNode().addAll((ArrayNode) node);
        copy.set(index, child);
        return copy;
    }

    /**
     * Steps of a plain path from {@code start}: String for a member, Integer for an index; null when the path
     * uses anything else.
     */
    static Object[] parseSimple(String path, int start) {
        List<Object> steps = new ArrayList<>();
        int i = start;
        int n = path.length();
        while (i < n) {
            char c = path.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < n && isNameChar(path.charAt(end))) {
                    end++;
                }
                if (end == i + 1) {
                    return null;
                }
                steps.add(path.substring(i + 1, end));
                i = end;
            } else if (c == '[' && i + 1 < n && (path.charAt(i + 1) == '\'' || path.charAt(i + 1) == '"')) {
                // a quoted member: a backslash escapes the next character, as in Jayway's bracket notation
                // ($['a\'b'] is the member a'b, $["a\"b"] the member a"b, $['a\\b'] the member a\b)
                char quote = path.charAt(i + 1);
                StringBuilder name = new StringBuilder();
                int k = i + 2;
                while (k < n && path.charAt(k) != quote) {
                    char ch = path.charAt(k);
                    if (ch == '\\') {
                        if (k + 1 >= n) {
                            return null;
                        }
                        int used = unescape(path, k + 1, name);
                        if (used < 0) {
                            return null;
                        }
                        k += 1 + used;
                    } else {
                        name.append(ch);
                        k++;
                    }
                }
                if (k + 1 >= n || path.charAt(k + 1) != ']') {
                    return null;
                }
                steps.add(name.toString());
                i = k + 2;
            } else if (c == '[') {
                int close = path.indexOf(']', i);
                if (close < 0 || close == i + 1) {
                    return null;
                }
                for (int k = i + 1; k < close; k++) {
                    if (!Character.isDigit(path.charAt(k))) {
                        return null;
                    }
                }
                try {
                    steps.add(Integer.parseInt(path.substring(i + 1, close)));
                } catch (NumberFormatException e) {
                    return null;
                }
                i = close + 1;
            } else {
                return null;
            }
        }
        return steps.toArray();
    }

    /**
     * Appends the character an escape stands for (the text after the backslash at {@code at}) and returns how many
     * characters it used; -1 for a malformed unicode escape (left to Jayway). As Jayway unescapes a quoted member:
     * {@code \b \f \n \r \t \\uXXXX}, and any other character stands for itself ({@code \' \" \\ \/}).
     */
    private static int unescape(String path, int at, StringBuilder out) {
        char e = path.charAt(at);
        switch (e) {
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'u' -> {
                if (at + 5 > path.length()) {
                    return -1;
                }
                int code = 0;
                for (int d = at + 1; d < at + 5; d++) {
                    int digit = Character.digit(path.charAt(d), 16);
                    if (digit < 0) {
                        return -1;
                    }
                    code = code * 16 + digit;
                }
                out.append((char) code);
                return 5;
            }
            default -> out.append(e);
        }
        return 1;
    }

    private static boolean isNameChar(char c) {
        return switch (c) {
            case '.', '[', ']', '*', '\'', '"', '(', ')', '?', '@', ',', ':', ' ', '\t', '$' -> false;
            default -> true;
        };
    }

    private enum Root { INPUT, CONTEXT, VARIABLE }

    /** A parsed path: its root, the variable name for {@code $name} paths, and either plain steps or Jayway. */
    private record Compiled(String text, Root root, String variable, Object[] steps, JsonPath jayway) {

        static Compiled compile(String text) {
            if (text == null || !text.startsWith("$")) {
                throw new StatesError(StatesError.RUNTIME, "Invalid path '" + text + "' : a path must start with '$'");
            }
            Root root = Root.INPUT;
            String variable = null;
            int restStart = 1;
            if (text.startsWith("$$")) {
                root = Root.CONTEXT;
                restStart = 2;
            } else if (text.length() > 1 && isVariableStart(text.charAt(1))) {
                root = Root.VARIABLE;
                int end = 2;
                while (end < text.length() && isVariablePart(text.charAt(end))) {
                    end++;
                }
                variable = text.substring(1, end);
                restStart = end;
            }
            String rest = text.substring(restStart);
            Matcher function = FUNCTION_CALL.matcher(rest);
            if (function.find()) { // AWS has no JsonPath functions: "length()" is just a (missing) member name
                rest = rest.substring(0, function.start()) + "['" + function.group(1) + "']";
            }
            JsonPath jayway;
            try {
                jayway = JsonPath.compile("$" + rest);
            } catch (InvalidPathException e) {
                throw new StatesError(StatesError.RUNTIME, "Invalid path '" + text + "' : " + e.getMessage());
            }
            return new Compiled(text, root, variable, parseSimple(text, restStart), jayway);
        }

        boolean isDefinite() {
            return steps != null || jayway.isDefinite();
        }

        JsonNode rootNode(EvalScope scope) {
            return switch (root) {
                case INPUT -> scope.input();
                case CONTEXT -> scope.context();
                case VARIABLE -> scope.variables().get(variable);
            };
        }

        JsonNode find(EvalScope scope) {
            JsonNode node = rootNode(scope);
            if (node == null) {
                return null;
            }
            if (steps != null) {
                for (Object step : steps) {
                    node = step instanceof String name
                            ? (node.isObject() ? node.get(name) : null)
                            : (node.isArray() ? node.get((Integer) step) : null);
                    if (node == null) {
                        return null;
                    }
                }
                return node;
            }
            try {
                return toNode(jayway.read(node, JAYWAY));
            } catch (PathNotFoundException e) {
                // a wildcard or slice over a missing path selects nothing: an empty array on AWS (LocalStack's
                // recorded test_json_path_array_wildcard_or_slice_with_no_input)
                return jayway.isDefinite() ? null : Json.MAPPER.createArrayNode();
            }
        }

        /** Why {@link #find} found nothing, worded as Jayway (and so AWS) words it. */
        String missReason(EvalScope scope) {
            JsonNode node = rootNode(scope);
            if (node == null) {
                return "The variable '" + variable + "' is not defined";
            }
            try {
                jayway.read(node, JAYWAY);
                return "No results for path: " + jayway.getPath();
            } catch (PathNotFoundException e) {
                return e.getMessage();
            }
        }

        private static boolean isVariableStart(char c) {
            return Character.isLetter(c) || c == '_';
        }

        private static boolean isVariablePart(char c) {
            return Character.isLetterOrDigit(c) || c == '_';
        }
    }

    private static JsonNode toNode(Object value) {
        return value instanceof JsonNode node ? node : Json.MAPPER.valueToTree(value);
    }
}
