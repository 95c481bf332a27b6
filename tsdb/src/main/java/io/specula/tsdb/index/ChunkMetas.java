package io.specula.tsdb.index;

import java.util.Arrays;

/**
 * The chunk references of one series as primitive arrays, reused from series to series:
 * chunk {@code i} covers samples in [{@link #minTime(int)}, {@link #maxTime(int)}] and lives
 * at {@link #ref(int)} in the block's chunk segment files (segment index in the upper 32
 * bits, byte offset in the lower 32). Filled by {@link IndexReader#series} and consumed by
 * {@link IndexWriter#addSeries}. Not thread-safe; contents valid until the next fill.
 */
public final class ChunkMetas {
    private long[] refs;
    private long[] minTimes;
    private long[] maxTimes;
    private int size;

    public ChunkMetas() {
        this(8);
    }

    public ChunkMetas(int capacity) {
        capacity = Math.max(1, capacity);
        refs = new long[capacity];
        minTimes = new long[capacity];
        maxTimes = new long[capacity];
    }

    public int size() {
        return size;
    }

    public long ref(int i) {
        return refs[check(i)];
    }

    public long minTime(int i) {
        return minTimes[check(i)];
    }

    public long maxTime(int i) {
        return maxTimes[check(i)];
    }

    public ChunkMetas clear() {
        size = 0;
        return this;
    }

    public ChunkMetas add(long ref, long minTime, long maxTime) {
        if (size == refs.length) {
            grow(size + 1);
        }
        refs[size] = ref;
        minTimes[size] = minTime;
        maxTimes[size] = maxTime;
        size++;
        return this;
    }

    /** Makes room for {@code n} entries without growing again. */
    void ensureCapacity(int n) {
        if (n > refs.length) {
            grow(n);
        }
    }

    private void grow(int min) {
        int cap = Math.max(min, refs.length * 2);
        refs = Arrays.copyOf(refs, cap);
        minTimes = Arrays.copyOf(minTimes, cap);
        maxTimes = Arrays.copyOf(maxTimes, cap);
    }

    private int check(int i) {
        if (i >= size) {
            throw new IndexOutOfBoundsException("chunk " + i + " of " + size);
        }
        return i;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            sb.append(i == 0 ? "" : ", ").append('{').append(refs[i]).append(' ').append(minTimes[i]).append("..").append(maxTimes[i]).append('}');
        }
        return sb.append(']').toString();
    }
}
