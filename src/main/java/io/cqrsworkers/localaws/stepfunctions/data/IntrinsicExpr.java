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
            return JsonPaths.readField(path, field, scope);
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
