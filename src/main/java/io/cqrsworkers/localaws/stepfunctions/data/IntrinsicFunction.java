package io.cqrsworkers.localaws.stepfunctions.data;

import io.cqrsworkers.localaws.stepfunctions.core.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Every {@code States.*} intrinsic function: its arity and its evaluation with AWS's argument rules. */
enum IntrinsicFunction {

    FORMAT("States.Format", 1, Integer.MAX_VALUE) {
        @Override
        JsonNode evaluate(IntrinsicExpr.Call call, List<JsonNode> args) {
            JsonNode template = args.get(0);
            if (!template.isTextual()) {
                throw fail("the first argument must be a string, but was " + describe(template));
            }
            List<String> pieces = call.args().get(0) instanceof IntrinsicExpr.Literal literal
                    ? literal.formatPieces()
                    : List.of(template.asText().split("\\{}", -1));
            if (pieces.size() - 1 != args.size() - 1) {
                throw fail("the format string has " + (pieces.size() - 1) + " placeholder(s) '{}' but "
                        + (args.size() - 1) + " argument(s) were given");
            }
            StringBuilder out = new StringBuilder(pieces.get(0));
            for (int i = 1; i < pieces.size(); i++) {
                appendFormatted(out, args.get(i));
                out.append(pieces.get(i));
            }
            return TextNode.valueOf(out.toString());
        }
    },

    STRING_TO_JSON("States.StringToJson", 1, 1) {
        @Override
        JsonNode evaluate(IntrinsicExpr.Call call, List<JsonNode> args) {
            String text = string(args, 0);
            if (text.isBlank()) {
                return NullNode.getInstance(); // AWS answers null for an empty or blank string
            }
            try {
                JsonNode parsed = Json.parse(text);
                if (parsed == null || parsed.isMissingNode()) {
                    throw fail("the string is not valid JSON: '" + text + "'");
                }
                return parsed;
            } catch (JsonProcessingException e) {
                throw fail("the string is not valid JSON: '" + text + "'");
            }
        }
    },

    JSON_TO_STRING("States.JsonToString", 1, 1) {
        @Override
        JsonNode evaluate(IntrinsicExpr.Call call, List<JsonNode> args) {
            return TextNode.valueOf(Json.write(args.get(0)));
        }
    },

    ARRAY("States.Array", 0, Integer.MAX_VALUE) {
        @Override
        JsonNode evaluate(IntrinsicExpr.Call call, List<JsonNode> args) {
            return Json.MAPPER.createArrayNode().addAll(args);
        }
    },

    ARRAY_PARTITION("States.ArrayPartition", 2, 2) {
        @Override
        JsonNode evaluate(IntrinsicExpr.Call call, List<JsonNode> args) {
            ArrayNode array = array(args, 0);
            long size = integer(args, 1);
            if (size <= 0) {
                throw fail("the chunk size must be a positive integer, but was " + size);
            }
            ArrayNode out = Json.MAPPER.createArrayNode();
            ArrayNode chunk = null;
            for (int i = 0; i < array.size(); i++) {
                if (i % size == 0) {
                    chunk = out.addArray();
                }
                chunk.add(array.get(i));
            }
            return out;
        }
    },

    ARRAY_CONTAINS("States.ArrayContains", 2, 2) {
        @Override
        JsonNode evaluate(IntrinsicExpr.Call call, List<JsonNode> args) {
            ArrayNode array = array(args, 0);
            for (JsonNode item : array) {
                if (Json.sameValue(item, args.get(1))) {
                    return BooleanNode.TRUE;
                }
            }
            return BooleanNode.FALSE;
        }
    },

    ARRAY_RANGE("States.ArrayRange", 3, 3) {
        @Override
        JsonNode evaluate(IntrinsicExpr.Call call, List<JsonNode> args) {
            long start = rounded(args, 0);
            long end = rounded(args, 1);
            long step = rounded(args, 2);
            if (step == 0) {
                throw fail("the step must not be 0");
            }
            long span = Math.subtractExact(end, start) / step;
            long count = span < 0 ? 0 : span + 1;
            if (count > MAX_RANGE_ITEMS) {
                throw fail("the array would have " + count + " items, more than the limit of " + MAX_RANGE_ITEMS);
            }
            ArrayNode out = Json.MAPPER.createArrayNode();
            for (long i = 0, v = start; i < count; i++, v += step) {
                out.add(number(v));
            }
            return out;
        }
    },

    ARRAY_GET_ITEM("States.ArrayGetItem", 2, 2) {
        @Override
        JsonNode evaluate(IntrinsicExpr.Call call, List<JsonNode> args) {
            ArrayNode array = array(args, 0);
            long index = integer(args, 1);
            if (index < 0 || index >= array.size()) {
                throw fail("the index " + index + " is out of bounds for an array of " + array.size() + " items");
            }
            return array.get((int) index);
        }
    },

    ARRAY_LENGTH("States.ArrayLength", 1, 1) {
        @Override
        JsonNode evaluate(IntrinsicExpr.Call call, List<JsonNode> args) {
            return IntNode.valueOf(array(args, 0).size());
        }
    },

    ARRAY_UNIQUE("States.ArrayUnique", 1, 1) {
        @Override
        JsonNode evaluate(IntrinsicExpr.Call call, List<JsonNode> args) {
            ArrayNode out = Json.MAPPER.createArrayNode();
            outer:
            for (JsonNode item : array(args, 0)) {
                for (JsonNode kept : out) {
                    if (Json.sameValue(kept, item)) {
                        continue outer;
                    }
                }
                out.add(item);
            }
            return out;
        }
    },

    BASE64_ENCODE("States.Base64Encode", 1, 1) {
        @Override
        JsonNode evaluate(IntrinsicExpr.Call call, List<JsonNode> args) {
            String text = limited(args, 0);
            return TextNode.valueOf(Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
        }
    },

    BASE64_DECODE("States.Base64Decode", 1, 1) {
        @Override
        JsonNode evaluate(IntrinsicExpr.Call call, List<JsonNode> args) {
            String text = limited(args, 0);
            try {
                return TextNode.valueOf(new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw fail("the string is not valid base64: '" + text + "'");
            }
        }
    },

    HASH("States.Hash", 2, 2) {
        @Override
        JsonNode evaluate(IntrinsicExpr.Call call, List<JsonNode> args) {
            String data = limited(args, 0);
            String algorithm = string(args, 1);
            if (!HASH_ALGORITHMS.contains(algorithm)) {
                throw fail("the hash algorithm must be one of " + HASH_ALGORITHMS + ", but was '" + algorithm + "'");
            }
            try {
                byte[] digest = MessageDigest.getInstance(algorithm).digest(data.getBytes(StandardCharsets.UTF_8));
                return TextNode.valueOf(HexFormat.of().formatHex(digest));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    },

    JSON_MERGE("States.JsonMerge", 3, 3) {
        @Override
        JsonNode evaluate(IntrinsicExpr.Call call, List<JsonNode> args) {
            ObjectNode left = object(args, 0);
            ObjectNode right = object(args, 1);
            if (!args.get(2).isBoolean()) {
                throw fail("argument 3 must be a boolean, but was " + describe(args.get(2)));
            }
            if (args.get(2).booleanValue()) {
                throw fail("only shallow merging is supported: argument 3 must be false");
            }
            ObjectNode out = Json.MAPPER.createObjectNode();
            out.setAll(left);
            out.setAll(right);
            return out;
        }
    },

    MATH_RANDOM("States.MathRandom", 2, 3) {
        @Override
        JsonNode evaluate(IntrinsicExpr.Call call, List<JsonNode> args) {
            long start = rounded(args, 0);
            long end = rounded(args, 1);
            if (start >= end) {
                throw fail("the start " + start + " must be less than the end " + end);
            }
            Random random = args.size() == 3 ? new Random(rounded(args, 2)) : ThreadLocalRandom.current();
            return number(start + (long) (random.nextDouble() * Math.subtractExact(end, start)));
        }
    },

    MATH_ADD("States.MathAdd", 2, 2) {
        @Override
        JsonNode evaluate(IntrinsicExpr.Call call, List<JsonNode> args) {
            return number(Math.addExact(rounded(args, 0), rounded(args, 1)));
        }
    },

    STRING_SPLIT("States.StringSplit", 2, 2) {
        @Override
        JsonNode evaluate(IntrinsicExpr.Call call, List<JsonNode> args) {
            String text = string(args, 0);
            String delimiters = string(args, 1);
            ArrayNode out = Json.MAPPER.createArrayNode();
            StringBuilder token = new StringBuilder();
            for (int i = 0; i <= text.length(); i++) {
                if (i == text.length() || delimiters.indexOf(text.charAt(i)) >= 0) {
                    if (token.length() > 0) { // empty tokens are dropped, as AWS does
                        out.add(token.toString());
                        token.setLength(0);
                    }
                } else {
                    token.append(text.charAt(i));
                }
            }
            return out;
        }
    },

    UUID_V4("States.UUID", 0, 0) {
        @Override
        JsonNode evaluate(IntrinsicExpr.Call call, List<JsonNode> args) {
            return TextNode.valueOf(UUID.randomUUID().toString());
        }
    };

    static final int MAX_RANGE_ITEMS = 1000;
    static final int MAX_INPUT_CHARS = 10_000;
    private static final List<String> HASH_ALGORITHMS = List.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512");
    private static final Map<String, IntrinsicFunction> BY_NAME = Stream.of(values())
            .collect(Collectors.toUnmodifiableMap(f -> f.functionName, Function.identity()));

    private final String functionName;
    private final int minArgs;
    private final int maxArgs;

    IntrinsicFunction(String functionName, int minArgs, int maxArgs) {
        this.functionName = functionName;
        this.minArgs = minArgs;
        this.maxArgs = maxArgs;
    }

    static IntrinsicFunction byName(String name) {
        return BY_NAME.get(name);
    }

    void checkArity(int count) {
        if (count < minArgs || count > maxArgs) {
            String expected = minArgs == maxArgs ? String.valueOf(minArgs)
                    : maxArgs == Integer.MAX_VALUE ? "at least " + minArgs : minArgs + " to " + maxArgs;
            throw new IllegalArgumentException("The function " + functionName + " takes " + expected
                    + " argument(s) but " + count + " were given");
        }
    }

    abstract JsonNode evaluate(IntrinsicExpr.Call call, List<JsonNode> args);

    /** Runs the function; any argument problem becomes {@code States.IntrinsicFailure}. */
    final JsonNode apply(IntrinsicExpr.Call call, List<JsonNode> args) {
        try {
            return evaluate(call, args);
        } catch (ArgumentError e) {
            throw new StatesError(StatesError.INTRINSIC_FAILURE,
                    "Invalid arguments in " + functionName + ": " + e.getMessage());
        } catch (ArithmeticException e) {
            throw new StatesError(StatesError.INTRINSIC_FAILURE,
                    "Invalid arguments in " + functionName + ": the result is out of the integer range");
        }
    }

    /** Why the arguments were rejected; {@link #apply} and the JSONata extensions word it for their language. */
    static final class ArgumentError extends RuntimeException {
        ArgumentError(String reason) {
            super(reason, null, false, false);
        }
    }

    static ArgumentError fail(String reason) {
        return new ArgumentError(reason);
    }

    final String string(List<JsonNode> args, int index) {
        JsonNode value = args.get(index);
        if (!value.isTextual()) {
            throw fail("argument " + (index + 1) + " must be a string, but was " + describe(value));
        }
        return value.asText();
    }

    final String limited(List<JsonNode> args, int index) {
        String text = string(args, index);
        if (text.length() > MAX_INPUT_CHARS) {
            throw fail("argument " + (index + 1) + " has " + text.length() + " characters, more than the limit of "
                    + MAX_INPUT_CHARS);
        }
        return text;
    }

    final ArrayNode array(List<JsonNode> args, int index) {
        JsonNode value = args.get(index);
        if (!value.isArray()) {
            throw fail("argument " + (index + 1) + " must be an array, but was " + describe(value));
        }
        return (ArrayNode) value;
    }

    final ObjectNode object(List<JsonNode> args, int index) {
        JsonNode value = args.get(index);
        if (!value.isObject()) {
            throw fail("argument " + (index + 1) + " must be an object, but was " + describe(value));
        }
        return (ObjectNode) value;
    }

    /** An integral number (1 and 1.0 both count), within the long range. */
    final long integer(List<JsonNode> args, int index) {
        JsonNode value = args.get(index);
        if (value.isNumber() && value.canConvertToExactIntegral() && value.canConvertToLong()) {
            return value.longValue();
        }
        throw fail("argument " + (index + 1) + " must be an integer, but was " + describe(value));
    }

    /** A number rounded half up to an integer, as AWS's math functions take decimals (1.5 is 2, -1.5 is -1). */
    final long rounded(List<JsonNode> args, int index) {
        JsonNode value = args.get(index);
        if (!value.isNumber()) {
            throw fail("argument " + (index + 1) + " must be a number, but was " + describe(value));
        }
        if (value.isIntegralNumber()) {
            if (!value.canConvertToLong()) {
                throw fail("argument " + (index + 1) + " is out of the integer range");
            }
            return value.longValue();
        }
        return Math.round(value.doubleValue());
    }

    /**
     * States.Format renders strings as they are and other values as AWS's Java runtime prints them: objects as
     * {@code {a=1, b=[]}}, arrays as {@code [1, 2]}.
     */
    private static void appendFormatted(StringBuilder out, JsonNode value) {
        if (value.isTextual()) {
            out.append(value.textValue());
        } else if (value.isObject()) {
            out.append('{');
            String separator = "";
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                out.append(separator).append(field.getKey()).append('=');
                appendFormatted(out, field.getValue());
                separator = ", ";
            }
            out.append('}');
        } else if (value.isArray()) {
            out.append('[');
            for (int i = 0; i < value.size(); i++) {
                out.append(i == 0 ? "" : ", ");
                appendFormatted(out, value.get(i));
            }
            out.append(']');
        } else {
            out.append(Json.write(value));
        }
    }

    static JsonNode number(long value) {
        return value == (int) value ? IntNode.valueOf((int) value) : LongNode.valueOf(value);
    }

    static String describe(JsonNode value) {
        return Json.typeName(value) + " " + Json.write(value);
    }
}
