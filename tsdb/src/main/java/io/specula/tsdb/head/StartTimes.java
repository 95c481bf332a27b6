package io.specula.tsdb.head;

import java.util.Arrays;

/**
 * The start timestamps of one series' samples, kept by the head beside the series' chunks and
 * only for series that have received one: a series without start timestamps has no instance
 * and pays nothing.
 *
 * <p>Stored as runs: run {@code i} says that every sample with timestamp in
 * {@code [from[i], from[i+1])} has start timestamp {@code st[i]} (0 = unknown); samples before
 * the first run have none. A cumulative counter keeps one start time for a long run of samples
 * (one run, no growth per sample); a delta series changes it every sample (one run per sample,
 * 16 bytes). Entries are keyed by sample time, so in-order and out-of-order samples share the
 * column. Guarded by the owning series' monitor; {@link #copy} gives queries an immutable view.
 *
 * <p>Persistence: the WAL carries start times (samples-v2 records) and the replay rebuilds this
 * column; head chunk files and blocks do not, so they go when their samples leave the head.
 */
final class StartTimes {
    private long[] from;
    private long[] st;
    private int n;
    /** The newest sample time put: a later one extends the last run without a search. */
    private long maxT = Long.MIN_VALUE;

    StartTimes() {
        from = new long[4];
        st = new long[4];
    }

    private StartTimes(long[] from, long[] st, int n) {
        this.from = from;
        this.st = st;
        this.n = n;
    }

    /** Records that the sample at {@code t} has start time {@code start} (0 = unknown). */
    void put(long t, long start) {
        if (t > maxT) {
            // The common case: a sample newer than every sample so far.
            maxT = t;
            if (n > 0 ? st[n - 1] == start : start == 0) {
                return;
            }
            add(n, t, start);
            return;
        }
        // An out-of-order sample (or a rewrite): split the run it falls in.
        int i = runOf(t);
        long old = i < 0 ? 0 : st[i];
        if (old == start) {
            return;
        }
        long nextFrom = i + 1 < n ? from[i + 1] : Long.MAX_VALUE;
        if (i >= 0 && from[i] == t) {
            st[i] = start;
        } else {
            add(i + 1, t, start);
            i++;
        }
        if (t + 1 < nextFrom) {
            add(i + 1, t + 1, old); // the samples after t keep the old start time
        }
    }

    /** The start time of the sample at {@code t}, 0 when unknown. */
    long get(long t) {
        int i = runOf(t);
        return i < 0 ? 0 : st[i];
    }

    /** Index of the last run starting at or before t, or -1. */
    private int runOf(long t) {
        int i = Arrays.binarySearch(from, 0, n, t);
        return i >= 0 ? i : -i - 2;
    }

    private void add(int at, long t, long start) {
        if (n == from.length) {
            from = Arrays.copyOf(from, n * 2);
            st = Arrays.copyOf(st, n * 2);
        }
        System.arraycopy(from, at, from, at + 1, n - at);
        System.arraycopy(st, at, st, at + 1, n - at);
        from[at] = t;
        st[at] = start;
        n++;
    }

    /** Drops the runs that only cover samples before {@code mint}; true when nothing is left. */
    boolean truncateBefore(long mint) {
        int drop = 0;
        while (drop + 1 < n && from[drop + 1] <= mint) {
            drop++;
        }
        if (drop > 0) {
            System.arraycopy(from, drop, from, 0, n - drop);
            System.arraycopy(st, drop, st, 0, n - drop);
            n -= drop;
        }
        return n == 0 || n == 1 && st[0] == 0;
    }

    /** The runs covering [mint, maxt], copied for a query; null when none carries a start time. */
    StartTimes copy(long mint, long maxt) {
        int lo = Math.max(0, runOf(mint));
        int hi = runOf(maxt) + 1;
        boolean any = false;
        for (int i = lo; i < hi; i++) {
            any |= st[i] != 0;
        }
        if (!any) {
            return null;
        }
        return new StartTimes(Arrays.copyOfRange(from, lo, hi), Arrays.copyOfRange(st, lo, hi), hi - lo);
    }

    /** Number of runs (for tests and memory accounting). */
    int runs() {
        return n;
    }

    /**
     * A forward-only reader over a copy: {@link #at(long)} for non-decreasing timestamps costs
     * amortised O(1), as an iterator calls it.
     */
    final class Cursor {
        private int i = -1;

        long at(long t) {
            if (i >= 0 && from[i] > t) {
                i = -1; // a caller went backwards: start over
            }
            while (i + 1 < n && from[i + 1] <= t) {
                i++;
            }
            return i < 0 ? 0 : st[i];
        }
    }
}
