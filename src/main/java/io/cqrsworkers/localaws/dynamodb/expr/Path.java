package io.cqrsworkers.localaws.dynamodb.expr;

import io.cqrsworkers.localaws.dynamodb.model.Av;

import java.util.List;
import java.util.function.Function;

/** A document path such as {@code a.b[2].c}: attribute names (String) and list indexes (Integer). */
public record Path(List<Object> elements) {

    public static Path of(String attribute) {
        return new Path(List.of(attribute));
    }

    public String top() {
        return (String) elements.get(0);
    }

    public boolean isTopLevel() {
        return elements.size() == 1;
    }

    /** The value at this path, or null when any step is missing or of the wrong type. */
    public Av resolve(Function<String, Av> item) {
        Av v = item.apply(top());
        for (int i = 1; i < elements.size() && v != null; i++) {
            Object e = elements.get(i);
            if (e instanceof Integer idx) {
                v = v.type() == Av.Type.L && idx < v.l().size() ? v.l().get(idx) : null;
            } else {
                v = v.type() == Av.Type.M ? v.m().get((String) e) : null;
            }
        }
        return v;
    }

    /** True when one path is a prefix of the other (AWS's "overlap"). */
    public boolean overlaps(Path other) {
        int n = Math.min(elements.size(), other.elements.size());
        return elements.subList(0, n).equals(other.elements.subList(0, n));
    }

    /** Whether two paths diverge by using a name where the other uses an index (AWS's "conflict"). */
    public boolean conflicts(Path other) {
        int n = Math.min(elements.size(), other.elements.size());
        for (int i = 0; i < n; i++) {
            Object a = elements.get(i);
            Object b = other.elements.get(i);
            if (!a.equals(b)) {
                return a.getClass() != b.getClass();
            }
        }
        return false;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            Object e = elements.get(i);
            sb.append(e instanceof Integer ? "[" + e + "]" : e);
        }
        return sb.append(']').toString();
    }

}
