package io.specula.nodeexporter;

import java.util.HashMap;
import java.util.function.BiFunction;

/**
 * Metric names (and help texts) derived from two strings read from a file, built once per pair:
 * with the strings coming from {@link ProcFile#string()}'s cache, a lookup allocates nothing.
 * Bounded like {@link LabelCache}.
 */
final class Names {
    private static final int MAX = 8192;
    private final HashMap<String, HashMap<String, String[]>> map = new HashMap<>();
    private final BiFunction<String, String, String[]> make;
    private int size;

    /** {@code make} returns {name, help}, or an empty array for a pair that is filtered out. */
    Names(BiFunction<String, String, String[]> make) {
        this.make = make;
    }

    String[] get(String a, String b) {
        HashMap<String, String[]> inner = map.get(a);
        if (inner == null) {
            inner = new HashMap<>();
            map.put(a, inner);
        }
        String[] r = inner.get(b);
        if (r == null) {
            if (size >= MAX) {
                map.clear();
                size = 0;
                inner = new HashMap<>();
                map.put(a, inner);
            }
            r = make.apply(a, b);
            inner.put(b, r);
            size++;
        }
        return r;
    }
}
