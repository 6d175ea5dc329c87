package io.cqrsworkers.localaws.dynamodb.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An immutable item: parallel arrays of attribute names (sorted, interned) and values. Far smaller than a map per
 * item, which matters with a million items in the heap.
 */
public final class Item {

    private static final Map<String, String> NAMES = new ConcurrentHashMap<>();
    /** Items of one table mostly share their attribute names: they share one names array too. */
    private static final Map<List<String>, String[]> NAME_ARRAYS = new ConcurrentHashMap<>();
    private static final int POOL_LIMIT = 100_000;

    private final String[] names;
    private final Av[] values;
    /** Cached size; the field fits in the object's alignment padding, so it costs no memory. */
    private int size = -1;

    private Item(String[] names, Av[] values) {
        this.names = names;
        this.values = values;
    }

    public static Item of(Map<String, Av> attributes) {
        String[] names = attributes.keySet().toArray(new String[0]);
        Arrays.sort(names);
        Av[] values = new Av[names.length];
        for (int i = 0; i < names.length; i++) {
            values[i] = attributes.get(names[i]);
            names[i] = intern(names[i]);
        }
        if (NAME_ARRAYS.size() < POOL_LIMIT) {
            String[] shared = NAME_ARRAYS.putIfAbsent(Arrays.asList(names), names);
            if (shared != null) {
                names = shared;
            }
        }
        return new Item(names, values);
    }

    private static String intern(String name) {
        if (NAMES.size() > POOL_LIMIT) {
            return name;
        }
        String known = NAMES.putIfAbsent(name, name);
        return known == null ? name : known;
    }

    public Av get(String name) {
        int i = Arrays.binarySearch(names, name);
        return i >= 0 ? values[i] : null;
    }

    public int attributeCount() {
        return names.length;
    }

    /** A fresh, mutable copy of the attributes. */
    public Map<String, Av> toMap() {
        Map<String, Av> map = new LinkedHashMap<>(names.length * 2);
        for (int i = 0; i < names.length; i++) {
            map.put(names[i], values[i]);
        }
        return map;
    }

    public String name(int i) {
        return names[i];
    }

    public Av value(int i) {
        return values[i];
    }

    /** Item size as DynamoDB counts it: names plus values. */
    public int size() {
        int s = size;
        if (s < 0) {
            s = 0;
            for (int i = 0; i < names.length; i++) {
                s += Av.utf8Length(names[i]) + values[i].size();
            }
            size = s;
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Item other && Arrays.equals(names, other.names) && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(names) * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return toMap().toString();
    }
}
