package io.specula.tsdb.index;

import java.util.Arrays;

/**
 * An open-addressing map from non-negative long keys to int values, without boxing, for
 * the index writer's per-batch postings counts. Key {@code -1} marks a free slot.
 */
final class LongIntHashMap {
    private static final long FREE = -1L;

    private long[] keys;
    private int[] values;
    private int size;
    private int mask;

    LongIntHashMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
        keys = new long[cap];
        Arrays.fill(keys, FREE);
        values = new int[cap];
        mask = cap - 1;
    }

    int size() {
        return size;
    }

    void clear() {
        Arrays.fill(keys, FREE);
        size = 0;
    }

    /** Adds {@code delta} to the value of {@code key} (absent counts as 0). */
    void addTo(long key, int delta) {
        int i = slot(key);
        if (keys[i] == key) {
            values[i] += delta;
            return;
        }
        keys[i] = key;
        values[i] = delta;
        if (++size * 2 > keys.length) {
            rehash();
        }
    }

    void put(long key, int value) {
        int i = slot(key);
        if (keys[i] != key) {
            keys[i] = key;
            if (++size * 2 > keys.length) {
                values[i] = value;
                rehash();
                return;
            }
        }
        values[i] = value;
    }

    /** The value of {@code key}, or {@code missing}. */
    int get(long key, int missing) {
        int i = slot(key);
        return keys[i] == key ? values[i] : missing;
    }

    /** The keys, unordered, in a new array. */
    long[] keys() {
        long[] out = new long[size];
        int n = 0;
        for (long k : keys) {
            if (k != FREE) {
                out[n++] = k;
            }
        }
        return out;
    }

    /** The slot holding {@code key}, or the free slot where it would go. */
    private int slot(long key) {
        int i = (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
        while (keys[i] != FREE && keys[i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void rehash() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        Arrays.fill(keys, FREE);
        values = new int[keys.length];
        mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != FREE) {
                int i = slot(oldKeys[j]);
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }
}
