package io.specula.tsdb.tombstones;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Deletions in a block: per series reference, the {@link Intervals} whose samples are gone.
 * Immutable and thread-safe; lookups by reference are a binary search over a primitive
 * array (queries ask once per selected series). Built through {@link Builder}.
 */
public final class Tombstones {
    public static final Tombstones EMPTY = new Tombstones(new long[0], new Intervals[0]);

    private final long[] refs;
    private final Intervals[] intervals;

    private Tombstones(long[] refs, Intervals[] intervals) {
        this.refs = refs;
        this.intervals = intervals;
    }

    /** The deleted intervals of series {@code ref}; {@link Intervals#EMPTY} when none. */
    public Intervals get(long ref) {
        int i = Arrays.binarySearch(refs, ref);
        return i < 0 ? Intervals.EMPTY : intervals[i];
    }

    /** Number of series with deletions. */
    public int seriesCount() {
        return refs.length;
    }

    public long ref(int i) {
        return refs[i];
    }

    public Intervals intervals(int i) {
        return intervals[i];
    }

    /** Total number of intervals, which meta.json reports as {@code numTombstones}. */
    public long total() {
        long n = 0;
        for (Intervals iv : intervals) {
            n += iv.size();
        }
        return n;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        for (int i = 0; i < refs.length; i++) {
            b.byRef.put(refs[i], intervals[i]);
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tombstones t && Arrays.equals(refs, t.refs) && Arrays.equals(intervals, t.intervals);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(refs) * 31 + Arrays.hashCode(intervals);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < refs.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(refs[i]).append('=').append(intervals[i]);
        }
        return sb.append('}').toString();
    }

    /** Collects deletions; intervals of one series are merged as they are added. */
    public static final class Builder {
        private final TreeMap<Long, Intervals> byRef = new TreeMap<>(Long::compareUnsigned);

        public Builder add(long ref, long mint, long maxt) {
            byRef.put(ref, byRef.getOrDefault(ref, Intervals.EMPTY).add(mint, maxt));
            return this;
        }

        public Tombstones build() {
            long[] refs = new long[byRef.size()];
            Intervals[] iv = new Intervals[refs.length];
            int i = 0;
            for (Map.Entry<Long, Intervals> e : byRef.entrySet()) {
                refs[i] = e.getKey();
                iv[i++] = e.getValue();
            }
            return refs.length == 0 ? EMPTY : new Tombstones(refs, iv);
        }
    }
}
