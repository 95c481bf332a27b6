package io.specula.tsdb.index;

import java.io.IOException;

/**
 * The intersection of several postings: every input is sought to the highest current
 * reference until all agree, so the cost follows the shortest input, not the longest.
 */
final class IntersectPostings implements Postings {
    private final Postings[] its;
    private long cur = -1;
    private boolean done;

    IntersectPostings(Postings[] its) {
        this.its = its;
    }

    @Override
    public boolean next() {
        if (done || !its[0].next()) {
            done = true;
            return false;
        }
        cur = its[0].at();
        return align();
    }

    @Override
    public boolean seek(long v) {
        if (done) {
            return false;
        }
        if (cur >= 0 && cur >= v) {
            return true;
        }
        if (!its[0].seek(v)) {
            done = true;
            return false;
        }
        cur = its[0].at();
        return align();
    }

    /**
     * Moves all inputs to the first common reference {@code >= cur}, where {@code its[0]}
     * already is. Round robin: each input is sought to the candidate once; one that lands
     * beyond it makes a new candidate, which the others must then reach.
     */
    private boolean align() {
        int n = its.length, agreed = 1, k = 0;
        while (agreed < n) {
            k = k + 1 == n ? 0 : k + 1;
            Postings p = its[k];
            if (!p.seek(cur)) {
                done = true;
                return false;
            }
            long a = p.at();
            if (a == cur) {
                agreed++;
            } else {
                cur = a;
                agreed = 1;
            }
        }
        return true;
    }

    @Override
    public long at() {
        return cur;
    }

    @Override
    public IOException err() {
        for (Postings p : its) {
            if (p.err() != null) {
                return p.err();
            }
        }
        return null;
    }
}
