package io.cqrsworkers.localaws.dynamodb.expr;

import io.cqrsworkers.localaws.dynamodb.model.Av;

import java.util.List;
import java.util.function.Function;

/** A condition of a ConditionExpression, FilterExpression or KeyConditionExpression. */
public sealed interface Cond {

    boolean test(Function<String, Av> item);

    record Compare(String op, Operand left, Operand right) implements Cond {
        @Override
        public boolean test(Function<String, Av> item) {
            Av a = left.eval(item);
            Av b = right.eval(item);
            if (op.equals("=")) {
                return a != null && a.equals(b);
            }
            if (op.equals("<>")) {
                return a == null || !a.equals(b);
            }
            if (a == null || b == null || a.type() != b.type() || !a.isScalarKeyType()) {
                return false;
            }
            int c = a.compareTo(b);
            return switch (op) {
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                default -> c >= 0;
            };
        }
    }

    record Between(Operand value, Operand low, Operand high) implements Cond {
        @Override
        public boolean test(Function<String, Av> item) {
            Av v = value.eval(item);
            Av lo = low.eval(item);
            Av hi = high.eval(item);
            if (v == null || lo == null || hi == null || !v.isScalarKeyType()
                    || v.type() != lo.type() || v.type() != hi.type()) {
                return false;
            }
            return v.compareTo(lo) >= 0 && v.compareTo(hi) <= 0;
        }
    }

    record In(Operand value, List<Operand> candidates) implements Cond {
        @Override
        public boolean test(Function<String, Av> item) {
            Av v = value.eval(item);
            return v != null && candidates.stream().anyMatch(c -> v.equals(c.eval(item)));
        }
    }

    record And(Cond left, Cond right) implements Cond {
        @Override
        public boolean test(Function<String, Av> item) {
            return left.test(item) && right.test(item);
        }
    }

    record Or(Cond left, Cond right) implements Cond {
        @Override
        public boolean test(Function<String, Av> item) {
            return left.test(item) || right.test(item);
        }
    }

    record Not(Cond inner) implements Cond {
        @Override
        public boolean test(Function<String, Av> item) {
            return !inner.test(item);
        }
    }

    /** attribute_exists, attribute_not_exists, attribute_type, begins_with, contains. */
    record FunctionCall(String name, List<Operand> args) implements Cond {
        @Override
        public boolean test(Function<String, Av> item) {
            Av a = args.get(0).eval(item);
            switch (name) {
                case "attribute_exists":
                    return a != null;
                case "attribute_not_exists":
                    return a == null;
                default:
                    break;
            }
            Av b = args.get(1).eval(item);
            if (a == null || b == null) {
                return false;
            }
            switch (name) {
                case "attribute_type":
                    return b.type() == Av.Type.S && a.type().name().equals(b.s());
                case "begins_with":
                    if (a.type() == Av.Type.S && b.type() == Av.Type.S) {
                        return a.s().startsWith(b.s());
                    }
                    return a.type() == Av.Type.B && b.type() == Av.Type.B && a.b().startsWith(b.b());
                default: // contains
                    return switch (a.type()) {
                        case S -> b.type() == Av.Type.S && a.s().contains(b.s());
                        case SS -> b.type() == Av.Type.S && a.set().contains(b.s());
                        case NS -> b.type() == Av.Type.N && a.set().contains(b.n());
                        case BS -> b.type() == Av.Type.B && a.set().contains(b.b());
                        case L -> a.l().contains(b);
                        default -> false;
                    };
            }
        }
    }
}
