package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.core.Json;
import io.cqrsworkers.localaws.stepfunctions.asl.MapState;
import io.cqrsworkers.localaws.stepfunctions.asl.QueryLanguage;
import io.cqrsworkers.localaws.stepfunctions.data.Jsonata;
import io.cqrsworkers.localaws.stepfunctions.data.StatesError;
import com.fasterxml.jackson.databind.node.JsonNodeType;

/** Item handling shared by inline and distributed Map: the item array, ItemSelector, MaxConcurrency. */
final class MapItems {
    private MapItems() {
    }

    /** The items of an inline Map (Items / ItemsPath, default the input itself). */
    static JsonNode inline(MapState state, StateRun run) {
        JsonNode in = run.effectiveInput();
        JsonNode items;
        if (state.language == QueryLanguage.JSONATA) {
            if (state.items == null) {
                items = run.input();
            } else if (state.items.isTextual() && Jsonata.isExpression(state.items.asText())) {
                // AWS: "The JSONata expression '1' specified for the field 'Items' returned an unexpected result
                // type. Expected 'array', but was 'number' for value: 1" (LocalStack's recorded test_map_state_items_eval_jsonata_fail)
                items = Jsonata.evaluate(state.items.asText(), run.states(null, null), run.flow.variables, "Items", JsonNodeType.ARRAY);
            } else {
                // an array written out: the expressions inside it are evaluated (test_map_state_items_eval_jsonata)
                items = Jsonata.applyTemplate(state.items, run.states(null, null), run.flow.variables, "Items");
            }
        } else {
            items = "$".equals(state.itemsPath) || state.itemsPath == null ? in : run.path(state.itemsPath, in);
        }
        if (!items.isArray()) {
            // AWS words it so for a JSONata Map over its input (test_map_state_items_input_types); the JSONPath
            // error name is not recorded, the text is taken to be the same
            throw new StatesError(state.language == QueryLanguage.JSONATA ? StatesError.QUERY_EVALUATION_ERROR : StatesError.RUNTIME,
                    "Map state input must be an array but was: " + Json.write(items));
        }
        return items;
    }

    /** The input of one iteration: ItemSelector (with $$.Map.Item) or the item value. */
    static JsonNode select(MapState state, StateRun run, JsonNode mapInput, ObjectNode item) {
        if (state.itemSelector == null) {
            return item.get("Value");
        }
        return run.payloadForItem(state.itemSelector, mapInput, item);
    }

    static int maxConcurrency(MapState state, StateRun run) {
        if (state.maxConcurrencyPath != null) {
            JsonNode v = run.path(state.maxConcurrencyPath, run.effectiveInput());
            // AWS: 'The MaxConcurrencyPath field refers to value "NoNumber" which is not a valid integer: $.x'
            // (LocalStack's recorded test_max_concurrency_path); a negative value is not recorded
            long n = integer(v, "MaxConcurrencyPath", state.maxConcurrencyPath);
            if (n < 0) {
                throw new StatesError(StatesError.RUNTIME, "The MaxConcurrencyPath field refers to value \"" + text(v) + "\" which is not a valid integer: " + state.maxConcurrencyPath);
            }
            return (int) Math.min(n, Integer.MAX_VALUE);
        }
        JsonNode v = state.maxConcurrency == null ? null : run.value(state.maxConcurrency, run.input());
        if (v == null) {
            return 0;
        }
        if (!v.isIntegralNumber() || v.asInt() < 0) {
            throw new StatesError("States.Runtime", "The value for the field 'MaxConcurrency' must be a non-negative integer, but was '" + v + "'");
        }
        return v.asInt();
    }

    /** A *Path field's value as an integer: a number without fraction or a string of digits, as AWS reads them. */
    static long integer(JsonNode v, String field, String path) {
        if (v.isIntegralNumber() || (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()))) {
            return v.asLong();
        }
        if (v.isTextual() && v.asText().matches("-?\\d{1,18}")) {
            return Long.parseLong(v.asText());
        }
        throw new StatesError(StatesError.RUNTIME, "The " + field + " field refers to value \"" + text(v) + "\" which is not a valid integer: " + path);
    }

    static String text(JsonNode v) {
        return v.isTextual() ? v.asText() : Json.write(v);
    }

    /** ToleratedFailureCount(Path): null when neither is given. */
    static Long toleratedCount(MapState state, StateRun run) {
        JsonNode v;
        if (state.toleratedFailureCountPath != null) {
            v = run.path(state.toleratedFailureCountPath, run.effectiveInput());
            long n = integer(v, "ToleratedFailureCountPath", state.toleratedFailureCountPath);
            if (n < 0) {
                throw new StatesError(StatesError.RUNTIME, "ToleratedFailureCount cannot be negative.");
            }
            return n;
        }
        if (state.toleratedFailureCount == null) {
            return null;
        }
        v = run.value(state.toleratedFailureCount, run.input());
        if (!v.isNumber() || v.asLong() < 0) {
            throw new StatesError(StatesError.RUNTIME, "ToleratedFailureCount cannot be negative.");
        }
        return v.asLong();
    }

    /** ToleratedFailurePercentage(Path): null when neither is given. */
    static Double toleratedPercentage(MapState state, StateRun run) {
        JsonNode v;
        double p;
        if (state.toleratedFailurePercentagePath != null) {
            v = run.path(state.toleratedFailurePercentagePath, run.effectiveInput());
            if (v.isNumber()) {
                p = v.asDouble();
            } else if (v.isTextual() && v.asText().matches("-?\\d+(\\.\\d+)?")) {
                p = Double.parseDouble(v.asText());
            } else {
                throw new StatesError(StatesError.RUNTIME, "The ToleratedFailurePercentagePath field refers to value \"" + text(v)
                        + "\" which is not a valid float: " + state.toleratedFailurePercentagePath);
            }
        } else if (state.toleratedFailurePercentage != null) {
            v = run.value(state.toleratedFailurePercentage, run.input());
            p = v.isNumber() ? v.asDouble() : -1;
        } else {
            return null;
        }
        if (p < 0 || p > 100) {
            throw new StatesError(StatesError.RUNTIME, "ToleratedFailurePercentage must be between 0 and 100.");
        }
        return p;
    }
}
