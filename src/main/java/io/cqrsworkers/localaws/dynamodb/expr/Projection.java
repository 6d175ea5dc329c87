package io.cqrsworkers.localaws.dynamodb.expr;

import io.cqrsworkers.localaws.dynamodb.model.Av;
import io.cqrsworkers.localaws.dynamodb.model.Item;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Applies a ProjectionExpression (or AttributesToGet) to an item. */
public final class Projection {

    private final List<Path> paths;

    public Projection(List<Path> paths) {
        this.paths = paths;
    }

    public static Projection ofAttributes(List<String> names) {
        return new Projection(names.stream().map(Path::of).toList());
    }

    public List<Path> paths() {
        return paths;
    }

    public Map<String, Av> apply(Item item) {
        Map<Object, Object> tree = new LinkedHashMap<>();
        for (Path p : paths) {
            Av v = item.get(p.top());
            if (v == null) {
                continue;
            }
            if (p.isTopLevel()) {
                tree.put(p.top(), v);
            } else {
                insert(tree, p.top(), v, p.elements(), 1);
            }
        }
        Map<String, Av> out = new LinkedHashMap<>();
        tree.forEach((k, v) -> out.put((String) k, build(v)));
        return out;
    }

    /**
     * Builds a partial document: maps become LinkedHashMap, lists TreeMap by index (so only projected elements remain,
     * in order), leaves Av.
     */
    @SuppressWarnings("unchecked")
    private static void insert(Map<Object, Object> parent, Object key, Av source, List<Object> el, int i) {
        if (i == el.size()) {
            parent.put(key, source);
            return;
        }
        Object step = el.get(i);
        Av child;
        if (step instanceof Integer idx) {
            if (source.type() != Av.Type.L || idx >= source.l().size()) {
                return;
            }
            child = source.l().get(idx);
        } else {
            if (source.type() != Av.Type.M || !source.m().containsKey(step)) {
                return;
            }
            child = source.m().get(step);
        }
        Object existing = parent.get(key);
        Map<Object, Object> node;
        if (existing instanceof Map<?, ?> m) {
            node = (Map<Object, Object>) m;
        } else if (existing == null) {
            node = step instanceof Integer ? new TreeMap<>() : new LinkedHashMap<>();
            parent.put(key, node);
        } else {
            return;
        }
        insert(node, step, child, el, i + 1);
    }

    private static Av build(Object node) {
        if (node instanceof Av av) {
            return av;
        }
        if (node instanceof TreeMap<?, ?> list) {
            List<Av> out = new ArrayList<>();
            list.values().forEach(v -> out.add(build(v)));
            return Av.l(out);
        }
        Map<String, Av> out = new LinkedHashMap<>();
        ((Map<?, ?>) node).forEach((k, v) -> out.put((String) k, build(v)));
        return Av.m(out);
    }
}
