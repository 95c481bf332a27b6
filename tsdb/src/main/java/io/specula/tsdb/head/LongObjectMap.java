package io.specula.tsdb.head;

import java.util.function.Consumer;

/**
 * A hash map from primitive {@code long} keys to objects: open addressing with linear probing
 * and backward-shift deletion, so no boxed key and no entry object per mapping (about 20
 * bytes per entry instead of about 80 for a {@code HashMap<Long, V>}). Keys are mixed before
 * use: the head's keys share their low bits within a lock stripe, which would make a plain
 * modulo collide on every key. Null values are not allowed. Not thread-safe.
 */
public final class LongObjectMap<V> {
    private long[] keys;
    private Object[] values; // null marks a free slot
    private int size;
    private int mask;

    public LongObjectMap() {
        this(8);
    }

    public LongObjectMap(int capacity) {
        int cap = Integer.highestOneBit(Math.max(4, capacity) * 2 - 1);
        keys = new long[cap];
        values = new Object[cap];
        mask = cap - 1;
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L; // Fibonacci hashing: the high bits depend on every key bit
        return (int) (h ^ (h >>> 32)) & mask;
    }

    public int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    public V get(long key) {
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) {
                return null;
            }
            if (keys[i] == key) {
                return (V) v;
            }
        }
    }

    /** Maps {@code key} to {@code value}; returns the previous value or null. */
    @SuppressWarnings("unchecked")
    public V put(long key, V value) {
        if (value == null) {
            throw new NullPointerException("null value");
        }
        int i = slot(key, mask);
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                V old = (V) values[i];
                values[i] = value;
                return old;
            }
        }
        keys[i] = key;
        values[i] = value;
        if (++size * 4 > keys.length * 3) { // load factor 0.75
            resize(keys.length * 2);
        }
        return null;
    }

    /** Removes {@code key}; returns its value or null. */
    @SuppressWarnings("unchecked")
    public V remove(long key) {
        int i = slot(key, mask);
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                V old = (V) values[i];
                shiftBack(i);
                size--;
                if (keys.length > 8 && size * 8 < keys.length) { // shrink below 1/8 full: churn must not leave big tables
                    resize(keys.length / 2);
                }
                return old;
            }
        }
        return null;
    }

    /** Closes the gap at {@code hole} by moving later entries of its probe run back. */
    private void shiftBack(int hole) {
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            if (values[i] == null) {
                break;
            }
            int home = slot(keys[i], mask);
            // Move the entry if its home lies cyclically outside (hole, i].
            boolean movable = hole <= i ? home <= hole || home > i : home <= hole && home > i;
            if (movable) {
                keys[hole] = keys[i];
                values[hole] = values[i];
                hole = i;
            }
        }
        values[hole] = null;
        keys[hole] = 0;
    }

    private void resize(int cap) {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[cap];
        values = new Object[cap];
        mask = cap - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldValues[j] != null) {
                int i = slot(oldKeys[j], mask);
                while (values[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }

    @SuppressWarnings("unchecked")
    public void forEachValue(Consumer<V> action) {
        for (Object v : values) {
            if (v != null) {
                action.accept((V) v);
            }
        }
    }
}
