package io.cqrsworkers.localaws.stepfunctions.data;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Compiled-expression cache keyed by expression text. Definitions hold a bounded set of expressions, so
 * when the bound is hit (a runaway of generated expressions) the cache is simply cleared rather than
 * paying for LRU bookkeeping on every hit.
 */
final class BoundedCache<V> {

    private final int maxSize;
    private final Function<String, V> compiler;
    private final ConcurrentHashMap<String, V> map = new ConcurrentHashMap<>();

    BoundedCache(int maxSize, Function<String, V> compiler) {
        this.maxSize = maxSize;
        this.compiler = compiler;
    }

    V get(String key) {
        V value = map.get(key);
        if (value != null) {
            return value;
        }
        value = compiler.apply(key); // outside computeIfAbsent: compilers may recurse into other caches
        if (map.size() >= maxSize) {
            map.clear();
        }
        map.putIfAbsent(key, value);
        return value;
    }
}
