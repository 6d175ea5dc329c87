package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.Json;
import io.cqrsworkers.localaws.stepfunctions.asl.MapState;
import io.cqrsworkers.localaws.stepfunctions.asl.QueryLanguage;
import io.cqrsworkers.localaws.stepfunctions.data.StatesError;

/** Item handling shared by inline and distributed Map: the item array, ItemSelector, MaxConcurrency. */
final class MapItems {
    private MapItems() {
    }

    /** The items of an inline Map (Items / ItemsPath, default the input itself). */
    static JsonNode inline(MapState state, StateRun run) {
        JsonNode in = run.effectiveInput();
        JsonNode items;
        if (state.language == QueryLanguage.JSONATA) {
            items = state.items == null ? run.input() : run.value(state.items, run.input());
        } else {
            items = "$".equals(state.itemsPath) || state.itemsPath == null ? in : run.path(state.itemsPath, in);
        }
        if (!items.isArray()) {
            throw new StatesError("States.Runtime", "Items of the Map state '" + state.name + "' must be a JSON array, but was: " + Json.write(items));
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
        JsonNode v = state.maxConcurrencyPath != null ? run.path(state.maxConcurrencyPath, run.effectiveInput())
                : state.maxConcurrency == null ? null : run.value(state.maxConcurrency, run.input());
        if (v == null) {
            return 0;
        }
        if (!v.isIntegralNumber() || v.asInt() < 0) {
            throw new StatesError("States.Runtime", "The value for the field 'MaxConcurrency' must be a non-negative integer, but was '" + v + "'");
        }
        return v.asInt();
    }
}
