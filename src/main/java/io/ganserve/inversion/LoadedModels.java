package io.ganserve.inversion;

import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Networks read for serving, each in an NDManager of its own under {@code parent}: at most
 * {@code capacity} of them, the least recently used closed when another arrives, one replaced under
 * the same key closed at once. Not thread-safe: each service calls it under its own lock, which is
 * also what keeps an eviction from closing the arrays of a pass in flight.
 */
final class LoadedModels<V> {

    /** Reads a network's weights into {@code own}, the manager the cache closes when it lets it go. */
    interface Loader<V> {
        V load(NDManager own);
    }

    private final NDManager parent;
    private final int capacity;
    private final Function<V, NDManager> managerOf;
    private final Map<String, V> loaded = new LinkedHashMap<>(8, 0.75f, true);

    LoadedModels(NDManager parent, int capacity, Function<V, NDManager> managerOf) {
        this.parent = parent;
        this.capacity = capacity;
        this.managerOf = managerOf;
    }

    /** The network cached under {@code key}, or null. */
    V get(String key) {
        return loaded.get(key);
    }

    /** Loads into a fresh sub-manager (closed again when loading fails) and caches the result. */
    V load(String key, Loader<V> loader) {
        NDManager own = parent.newSubManager();
        V fresh;
        try {
            fresh = loader.load(own);
        } catch (RuntimeException | Error e) {
            own.close();
            throw e;
        }
        V replaced = loaded.put(key, fresh);
        if (replaced != null) {
            managerOf.apply(replaced).close();
        }
        while (loaded.size() > capacity) {
            var eldest = loaded.entrySet().iterator();
            managerOf.apply(eldest.next().getValue()).close();
            eldest.remove();
        }
        return fresh;
    }

    /** Forgets every entry; their managers close with {@code parent}. */
    void clear() {
        loaded.clear();
    }
}
