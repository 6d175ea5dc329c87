package io.cqrsworkers.localaws.stepfunctions.data;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** A parsed intrinsic argument: a literal, a path, or a nested function call. */
sealed interface IntrinsicExpr {

    JsonNode evaluate(EvalScope scope, String field);

    /** A constant; string literals also keep the pieces between their unescaped {@code {}} placeholders. */
    record Literal(JsonNode value, List<String> formatPieces) implements IntrinsicExpr {
        @Override
        public JsonNode evaluate(EvalScope scope, String field) {
            return value;
        }
    }

    record Path(String path) implements IntrinsicExpr {
        @Override
        public JsonNode evaluate(EvalScope scope, String field) {
            JsonNode found = JsonPaths.find(path, scope);
            if (found == null) {
                JsonNode searched = JsonPaths.isContextPath(path) ? scope.context() : scope.input();
                throw new StatesError(StatesError.RUNTIME, "The JSONPath '" + path + "' specified for the field '"
                        + field + "' could not be found in the input '" + Json.write(searched) + "'");
            }
            return found;
        }
    }

    record Call(IntrinsicFunction function, List<IntrinsicExpr> args) implements IntrinsicExpr {
        @Override
        public JsonNode evaluate(EvalScope scope, String field) {
            List<JsonNode> values = new ArrayList<>(args.size());
            for (IntrinsicExpr arg : args) {
                values.add(arg.evaluate(scope, field));
            }
            return function.apply(this, values);
        }
    }
}
