package io.specula.tsdb.index;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A postings list read straight from the mapped index: big-endian 32-bit series references.
 * Seeks gallop forward then binary-search, so intersecting a short list with a long one
 * touches only a few pages of the long one. A reference that does not increase ends the
 * iteration with a {@link io.specula.tsdb.encoding.CorruptionException}.
 */
final class DiskPostings implements Postings {
    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final MemorySegment seg;
    private final String file;
    private final long base; // offset of the first reference
    private final int n;
    private int i;           // index of the next unread reference; n + 1 once exhausted
    private long cur = -1;
    private IOException err;

    DiskPostings(MemorySegment seg, String file, long base, int n) {
        this.seg = seg;
        this.file = file;
        this.base = base;
        this.n = n;
    }

    private long ref(int k) {
        return Integer.toUnsignedLong(seg.get(BE_INT, base + 4L * k));
    }

    @Override
    public boolean next() {
        if (i >= n) {
            i = n + 1;
            return false;
        }
        return land(i);
    }

    @Override
    public boolean seek(long v) {
        if (i > n) {
            return false;
        }
        if (i > 0 && cur >= v) {
            return true; // positioned on a qualifying reference already
        }
        if (i >= n) {
            i = n + 1;
            return false;
        }
        if (ref(i) >= v) {
            return land(i);
        }
        int lo = i, step = 1, hi = i + 1; // ref(lo) < v
        while (hi < n && ref(hi) < v) {
            lo = hi;
            step <<= 1;
            hi = i + step;
        }
        int a = lo + 1, b = Math.min(hi, n);
        while (a < b) {
            int mid = (a + b) >>> 1;
            if (ref(mid) < v) {
                a = mid + 1;
            } else {
                b = mid;
            }
        }
        if (a >= n) {
            i = n + 1;
            return false;
        }
        return land(a);
    }

    /** Positions on reference {@code k}, checking that the list increases. */
    private boolean land(int k) {
        long v = ref(k);
        if (v <= cur) {
            err = new io.specula.tsdb.encoding.CorruptionException(file, base + 4L * k,
                    "postings not increasing: " + v + " after " + cur);
            i = n + 1;
            return false;
        }
        cur = v;
        i = k + 1;
        return true;
    }

    @Override
    public long at() {
        return cur;
    }

    @Override
    public IOException err() {
        return err;
    }
}
