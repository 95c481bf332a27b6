package io.specula.tsdb.index;

import java.io.IOException;

/** Postings over a slice of a sorted long array; seeks by galloping then binary search. */
final class ListPostings implements Postings {
    private final long[] refs;
    private final int end;
    private int i; // index of the current element + 1; 0 = unpositioned
    private final int start;

    ListPostings(long[] refs, int start, int end) {
        this.refs = refs;
        this.start = start;
        this.end = end;
        this.i = start;
    }

    @Override
    public boolean next() {
        if (i < end) {
            i++;
            return true;
        }
        i = end + 1; // exhausted
        return false;
    }

    @Override
    public boolean seek(long v) {
        if (i > end) {
            return false;
        }
        int from = i == start ? start : i - 1;
        if (from < end && refs[from] >= v) {
            i = from + 1;
            return true;
        }
        // Gallop from the current position: intersections mostly seek a short way ahead.
        int lo = from, step = 1, hi = from + 1;
        while (hi < end && refs[hi] < v) {
            lo = hi;
            step <<= 1;
            hi = from + step;
        }
        hi = Math.min(hi, end);
        // Invariant: refs[lo] < v (or lo == from), answer in (lo, hi].
        int a = lo, b = hi;
        while (a < b) {
            int mid = (a + b) >>> 1;
            if (refs[mid] < v) {
                a = mid + 1;
            } else {
                b = mid;
            }
        }
        if (a >= end) {
            i = end + 1;
            return false;
        }
        i = a + 1;
        return true;
    }

    @Override
    public long at() {
        return refs[i - 1];
    }

    @Override
    public IOException err() {
        return null;
    }
}
