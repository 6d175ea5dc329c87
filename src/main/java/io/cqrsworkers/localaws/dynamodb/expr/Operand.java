package io.cqrsworkers.localaws.dynamodb.expr;

import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import io.cqrsworkers.localaws.dynamodb.model.Av;
import io.cqrsworkers.localaws.dynamodb.model.Numbers;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A value in an expression; {@link #eval} gives null for a missing attribute. */
public sealed interface Operand {

    Av eval(Function<String, Av> item);

    record PathRef(Path path) implements Operand {
        @Override
        public Av eval(Function<String, Av> item) {
            return path.resolve(item);
        }
    }

    record Value(String placeholder, Av value) implements Operand {
        @Override
        public Av eval(Function<String, Av> item) {
            return value;
        }
    }

    /** size(path): length of a string or binary, element count of a set, list or map. */
    record Size(Path path) implements Operand {
        @Override
        public Av eval(Function<String, Av> item) {
            Av v = path.resolve(item);
            if (v == null) {
                return null;
            }
            int n = switch (v.type()) {
                case S -> v.s().length();
                case B -> v.b().bytes().length;
                case SS, NS, BS -> v.set().size();
                case L -> v.l().size();
                case M -> v.m().size();
                default -> -1;
            };
            return n < 0 ? null : Av.n(BigDecimal.valueOf(n));
        }
    }

    record IfNotExists(Path path, Operand fallback) implements Operand {
        @Override
        public Av eval(Function<String, Av> item) {
            Av v = path.resolve(item);
            return v != null ? v : fallback.eval(item);
        }
    }

    record ListAppend(Operand first, Operand second) implements Operand {
        @Override
        public Av eval(Function<String, Av> item) {
            Av a = required(first, item);
            Av b = required(second, item);
            if (a.type() != Av.Type.L || b.type() != Av.Type.L) {
                throw wrongType();
            }
            List<Av> out = new ArrayList<>(a.l());
            out.addAll(b.l());
            return Av.l(out);
        }
    }

    record Arithmetic(char op, Operand left, Operand right) implements Operand {
        @Override
        public Av eval(Function<String, Av> item) {
            Av a = required(left, item);
            Av b = required(right, item);
            if (a.type() != Av.Type.N || b.type() != Av.Type.N) {
                throw wrongType();
            }
            return Av.n(op == '+' ? Numbers.add(a.n(), b.n()) : Numbers.subtract(a.n(), b.n()));
        }
    }

    private static Av required(Operand o, Function<String, Av> item) {
        Av v = o.eval(item);
        if (v == null) {
            throw DynamoDbException.validation(
                    "The provided expression refers to an attribute that does not exist in the item");
        }
        return v;
    }

    static DynamoDbException wrongType() {
        return DynamoDbException.validation("An operand in the update expression has an incorrect data type");
    }
}
