package io.specula.tsdb.tombstones;

import java.util.Arrays;

/**
 * Deleted time ranges of one series: closed intervals [mint, maxt] in ms, sorted, neither
 * overlapping nor adjacent (adding [1,2] to [3,4] gives [1,4], as in Prometheus, since
 * timestamps are discrete). Immutable; stored as one array of alternating mint, maxt.
 */
public final class Intervals {
    public static final Intervals EMPTY = new Intervals(new long[0]);

    private final long[] bounds;

    private Intervals(long[] bounds) {
        this.bounds = bounds;
    }

    public int size() {
        return bounds.length >> 1;
    }

    public long mint(int i) {
        return bounds[i << 1];
    }

    public long maxt(int i) {
        return bounds[(i << 1) + 1];
    }

    /** These intervals plus [mint, maxt], merged with every interval it overlaps or touches. */
    public Intervals add(long mint, long maxt) {
        if (maxt < mint) {
            throw new IllegalArgumentException("interval [" + mint + ", " + maxt + "] is empty");
        }
        int n = size(), lo = 0;
        // First interval that is not entirely before [mint - 1, ...] (avoiding overflow at MIN_VALUE).
        while (lo < n && maxt(lo) < mint && maxt(lo) + 1 < mint) {
            lo++;
        }
        int hi = lo; // first interval entirely after [..., maxt + 1]
        while (hi < n && !(mint(hi) > maxt && mint(hi) - 1 > maxt)) {
            hi++;
        }
        long newMin = mint, newMax = maxt;
        if (hi > lo) {
            newMin = Math.min(mint, mint(lo));
            newMax = Math.max(maxt, maxt(hi - 1));
        }
        long[] out = new long[(n - (hi - lo) + 1) << 1];
        System.arraycopy(bounds, 0, out, 0, lo << 1);
        out[lo << 1] = newMin;
        out[(lo << 1) + 1] = newMax;
        System.arraycopy(bounds, hi << 1, out, (lo + 1) << 1, (n - hi) << 1);
        return new Intervals(out);
    }

    /** Whether {@code t} is inside one of the intervals. */
    public boolean contains(long t) {
        return indexOf(t) >= 0;
    }

    /** The index of the interval holding {@code t}, or -1. */
    public int indexOf(long t) {
        int lo = 0, hi = size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (maxt(mid) < t) {
                lo = mid + 1;
            } else if (mint(mid) > t) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** Whether one interval covers all of [mint, maxt] (intervals never touch, so one must). */
    public boolean covers(long mint, long maxt) {
        int i = indexOf(mint);
        return i >= 0 && maxt(i) >= maxt;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Intervals other && Arrays.equals(bounds, other.bounds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bounds);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < size(); i++) {
            sb.append(i == 0 ? "" : ", ").append('[').append(mint(i)).append(", ").append(maxt(i)).append(']');
        }
        return sb.append(']').toString();
    }
}
