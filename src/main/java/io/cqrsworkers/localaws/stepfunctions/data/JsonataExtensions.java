package io.cqrsworkers.localaws.stepfunctions.data;

import io.cqrsworkers.localaws.stepfunctions.core.Json;
import com.dashjoin.jsonata.Jsonata.JFunction;
import com.dashjoin.jsonata.Utils;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The functions Step Functions adds to JSONata: {@code $partition}, {@code $range}, {@code $hash},
 * {@code $random}, {@code $uuid}, {@code $parse}. The array/hash ones share their rules with the intrinsics.
 */
final class JsonataExtensions {

    private JsonataExtensions() {
    }

    static void registerAll(com.dashjoin.jsonata.Jsonata expression) {
        expression.registerFunction("partition", new JFunction((input, args) -> partition(args), null));
        expression.registerFunction("range", new JFunction((input, args) -> range(args), null));
        expression.registerFunction("hash", new JFunction((input, args) -> hash(args), null));
        expression.registerFunction("random", new JFunction((input, args) -> random(args), null));
        expression.registerFunction("uuid", new JFunction((input, args) -> UUID.randomUUID().toString(), null));
        expression.registerFunction("parse", new JFunction((input, args) -> parse(args), null));
        expression.assign("eval", null); // AWS leaves $eval out ($parse replaces it): calling it is a T1006
    }

    private static Object partition(List<?> args) {
        arity("partition", args, 2, 2);
        if (!(args.get(0) instanceof List<?> array)) {
            throw error("partition", "the first argument must be an array");
        }
        long size = integer("partition", args.get(1));
        if (size <= 0) {
            throw error("partition", "the chunk size must be a positive integer");
        }
        int chunk = (int) Math.min(size, array.size() + 1L);
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i += chunk) {
            out.add(new ArrayList<>(array.subList(i, Math.min(array.size(), i + chunk))));
        }
        return out;
    }

    /** A JSONata sequence, as on AWS: a range of one number collapses to that number. */
    private static Object range(List<?> args) {
        arity("range", args, 3, 3);
        Object items = intrinsic(IntrinsicFunction.ARRAY_RANGE, "range", args);
        if (!(items instanceof List<?> list)) {
            return items;
        }
        List<Object> sequence = Utils.createSequence();
        sequence.addAll(list);
        return sequence;
    }

    private static Object hash(List<?> args) {
        arity("hash", args, 2, 2);
        return intrinsic(IntrinsicFunction.HASH, "hash", args);
    }

    private static Object random(List<?> args) {
        arity("random", args, 0, 1);
        Random random = args.isEmpty() || args.get(0) == null
                ? ThreadLocalRandom.current() : new Random(integer("random", args.get(0)));
        return random.nextDouble();
    }

    private static Object parse(List<?> args) {
        arity("parse", args, 1, 1);
        if (!(args.get(0) instanceof String text)) {
            throw error("parse", "the argument must be a string");
        }
        try {
            JsonNode parsed = Json.parse(text);
            if (parsed == null || parsed.isMissingNode()) {
                throw error("parse", "the string is not valid JSON");
            }
            return JsonataValues.toJava(parsed);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw error("parse", "the string is not valid JSON");
        }
    }

    /** Runs an intrinsic with JSONata arguments, turning its failure into a JSONata evaluation error. */
    private static Object intrinsic(IntrinsicFunction function, String name, List<?> args) {
        List<JsonNode> json = new ArrayList<>(args.size());
        for (Object arg : args) {
            JsonNode node = JsonataValues.toJson(arg);
            if (node == null) {
                return null; // like JSONata's own functions: an undefined argument gives undefined
            }
            json.add(node);
        }
        try {
            return JsonataValues.toJava(function.evaluate(null, json));
        } catch (IntrinsicFunction.ArgumentError e) {
            throw error(name, e.getMessage());
        }
    }

    private static void arity(String name, List<?> args, int min, int max) {
        if (args.size() < min || args.size() > max) {
            throw error(name, "expected " + (min == max ? String.valueOf(min) : min + " to " + max)
                    + " argument(s) but got " + args.size());
        }
    }

    private static long integer(String name, Object value) {
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.longValue();
        }
        throw error(name, "expected an integer but got " + value);
    }

    private static ExtensionError error(String name, String reason) {
        return new ExtensionError("Function $" + name + ": " + reason);
    }

    /** A bad call of an extension function; surfaces as {@code States.QueryEvaluationError}. */
    static final class ExtensionError extends RuntimeException {
        ExtensionError(String message) {
            super(message, null, false, false);
        }
    }
}
