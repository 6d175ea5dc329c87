package io.cqrsworkers.localaws.stepfunctions.data;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Intrinsic functions of JSONPath states ({@code States.Format(...)}, ..., {@code States.UUID()}), with nested
 * calls, string literals with {@code \' \{ \} \\} escapes, numbers, booleans, null and paths as arguments.
 * Parsed calls are cached by their text. Bad arguments fail with {@code States.IntrinsicFailure}.
 */
public final class Intrinsics {

    private static final BoundedCache<Object> CACHE = new BoundedCache<>(10_000, Intrinsics::compile);

    private Intrinsics() {
    }

    /** True when the text is an intrinsic function call rather than a path. */
    public static boolean isIntrinsic(String expr) {
        return expr.startsWith("States.");
    }

    public static JsonNode evaluate(String expr, EvalScope scope) {
        return evaluate(expr, scope, expr);
    }

    /** Evaluates for a template field: a path argument that matches nothing names {@code field} in its cause. */
    public static JsonNode evaluate(String expr, EvalScope scope, String field) {
        Object compiled = CACHE.get(expr);
        if (compiled instanceof String syntaxError) {
            throw new StatesError(StatesError.INTRINSIC_FAILURE, syntaxError);
        }
        return ((IntrinsicExpr.Call) compiled).evaluate(scope, field);
    }

    /** Definition check: throws {@link IllegalArgumentException} when the call cannot be parsed. */
    public static void validate(String expr) {
        if (CACHE.get(expr) instanceof String syntaxError) {
            throw new IllegalArgumentException(syntaxError);
        }
    }

    /** The parsed call, or the syntax error text (cached too, so a bad call is not re-parsed each time). */
    private static Object compile(String expr) {
        try {
            return IntrinsicParser.parse(expr);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
