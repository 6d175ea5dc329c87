package io.cqrsworkers.localaws.stepfunctions.data;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The comparison operators of a JSONPath Choice rule. Each compares the rule's Variable value with the operand
 * (the literal, or for the {@code ...Path} form the value at that path); a value of the wrong type simply does
 * not match, as on AWS.
 */
enum ComparisonOperator {

    STRING_EQUALS("StringEquals", Kind.STRING, Relation.EQ),
    STRING_LESS_THAN("StringLessThan", Kind.STRING, Relation.LT),
    STRING_GREATER_THAN("StringGreaterThan", Kind.STRING, Relation.GT),
    STRING_LESS_THAN_EQUALS("StringLessThanEquals", Kind.STRING, Relation.LE),
    STRING_GREATER_THAN_EQUALS("StringGreaterThanEquals", Kind.STRING, Relation.GE),
    STRING_MATCHES("StringMatches", Kind.STRING, Relation.MATCH),
    NUMERIC_EQUALS("NumericEquals", Kind.NUMBER, Relation.EQ),
    NUMERIC_LESS_THAN("NumericLessThan", Kind.NUMBER, Relation.LT),
    NUMERIC_GREATER_THAN("NumericGreaterThan", Kind.NUMBER, Relation.GT),
    NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", Kind.NUMBER, Relation.LE),
    NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", Kind.NUMBER, Relation.GE),
    BOOLEAN_EQUALS("BooleanEquals", Kind.BOOLEAN, Relation.EQ),
    TIMESTAMP_EQUALS("TimestampEquals", Kind.TIMESTAMP, Relation.EQ),
    TIMESTAMP_LESS_THAN("TimestampLessThan", Kind.TIMESTAMP, Relation.LT),
    TIMESTAMP_GREATER_THAN("TimestampGreaterThan", Kind.TIMESTAMP, Relation.GT),
    TIMESTAMP_LESS_THAN_EQUALS("TimestampLessThanEquals", Kind.TIMESTAMP, Relation.LE),
    TIMESTAMP_GREATER_THAN_EQUALS("TimestampGreaterThanEquals", Kind.TIMESTAMP, Relation.GE),
    IS_NULL("IsNull", Kind.TYPE_TEST, Relation.TEST),
    IS_PRESENT("IsPresent", Kind.TYPE_TEST, Relation.TEST),
    IS_NUMERIC("IsNumeric", Kind.TYPE_TEST, Relation.TEST),
    IS_STRING("IsString", Kind.TYPE_TEST, Relation.TEST),
    IS_BOOLEAN("IsBoolean", Kind.TYPE_TEST, Relation.TEST),
    IS_TIMESTAMP("IsTimestamp", Kind.TYPE_TEST, Relation.TEST);

    /** What the operand must be in the definition, and what the variable must be to match. */
    enum Kind { STRING, NUMBER, BOOLEAN, TIMESTAMP, TYPE_TEST }

    /** How the comparison result decides the match. */
    private enum Relation { EQ, LT, GT, LE, GE, MATCH, TEST }

    static final String PATH_SUFFIX = "Path";

    private static final Map<String, ComparisonOperator> BY_NAME = Stream.of(values())
            .collect(Collectors.toUnmodifiableMap(o -> o.operatorName, Function.identity()));

    private final String operatorName;
    private final Kind kind;
    private final Relation relation;

    ComparisonOperator(String operatorName, Kind kind, Relation relation) {
        this.operatorName = operatorName;
        this.kind = kind;
        this.relation = relation;
    }

    /** The operator for a rule key, with or without the Path suffix; null for other keys. */
    static ComparisonOperator forKey(String key) {
        ComparisonOperator op = BY_NAME.get(key);
        if (op == null && key.endsWith(PATH_SUFFIX)) {
            op = BY_NAME.get(key.substring(0, key.length() - PATH_SUFFIX.length()));
            if (op != null && !op.hasPathForm()) {
                return null;
            }
        }
        return op;
    }

    String operatorName() {
        return operatorName;
    }

    Kind kind() {
        return kind;
    }

    boolean hasPathForm() {
        return kind != Kind.TYPE_TEST && this != STRING_MATCHES;
    }

    /** Whether {@code variable} (null when the path matched nothing, only for IsPresent) matches. */
    boolean matches(JsonNode variable, JsonNode operand) {
        return switch (kind) {
            case TYPE_TEST -> typeTest(variable) == operand.asBoolean();
            case STRING -> variable.isTextual() && operand.isTextual() && compareStrings(variable.textValue(), operand.textValue());
            case NUMBER -> variable.isNumber() && operand.isNumber()
                    && ordered(variable.decimalValue().compareTo(operand.decimalValue()));
            case BOOLEAN -> variable.isBoolean() && operand.isBoolean() && variable.booleanValue() == operand.booleanValue();
            case TIMESTAMP -> {
                OffsetDateTime left = Timestamps.parse(variable);
                OffsetDateTime right = Timestamps.parse(operand);
                yield left != null && right != null && ordered(left.toInstant().compareTo(right.toInstant()));
            }
        };
    }

    private boolean compareStrings(String value, String operand) {
        return relation == Relation.MATCH ? StringPattern.matches(operand, value) : ordered(value.compareTo(operand));
    }

    private boolean typeTest(JsonNode value) {
        return switch (this) {
            case IS_PRESENT -> value != null;
            case IS_NULL -> value != null && value.isNull();
            case IS_NUMERIC -> value != null && value.isNumber();
            case IS_STRING -> value != null && value.isTextual();
            case IS_BOOLEAN -> value != null && value.isBoolean();
            case IS_TIMESTAMP -> Timestamps.parse(value) != null;
            default -> throw new IllegalStateException(operatorName);
        };
    }

    /** Maps a comparison result onto this operator's relation. */
    private boolean ordered(int cmp) {
        return switch (relation) {
            case EQ -> cmp == 0;
            case LT -> cmp < 0;
            case GT -> cmp > 0;
            case LE -> cmp <= 0;
            case GE -> cmp >= 0;
            default -> throw new IllegalStateException(operatorName);
        };
    }

    /** StringMatches patterns: {@code *} matches any run of characters; {@code \*} and {@code \\} are literal. */
    static final class StringPattern {
        private StringPattern() {
        }

        static boolean matches(String pattern, String value) {
            int[] tokens = tokens(pattern);
            int v = 0;
            int t = 0;
            int star = -1;
            int mark = 0;
            while (v < value.length()) {
                if (t < tokens.length && tokens[t] != STAR && tokens[t] == value.charAt(v)) {
                    v++;
                    t++;
                } else if (t < tokens.length && tokens[t] == STAR) {
                    star = t++;
                    mark = v;
                } else if (star >= 0) { // let the last star absorb one more character
                    t = star + 1;
                    v = ++mark;
                } else {
                    return false;
                }
            }
            while (t < tokens.length && tokens[t] == STAR) {
                t++;
            }
            return t == tokens.length;
        }

        private static final int STAR = -1;

        /** Pattern characters with escapes resolved; STAR for an unescaped {@code *}. */
        private static int[] tokens(String pattern) {
            int[] tokens = new int[pattern.length()];
            int n = 0;
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (c == '\\' && i + 1 < pattern.length()) {
                    tokens[n++] = pattern.charAt(++i);
                } else {
                    tokens[n++] = c == '*' ? STAR : c;
                }
            }
            return java.util.Arrays.copyOf(tokens, n);
        }
    }
}
