package io.specula.tsdb.index;

import java.io.IOException;

/**
 * The union of several postings through a binary min-heap of the inputs keyed by their
 * current reference. Regex matchers over many label values produce unions of hundreds of
 * lists, so advancing costs O(log k) per input moved, not O(k).
 */
final class MergedPostings implements Postings {
    private final Postings[] inputs;
    private Postings[] heap;
    private int size;
    private boolean started;
    private long cur = -1;
    private IOException err;

    MergedPostings(Postings[] inputs) {
        this.inputs = inputs;
    }

    @Override
    public boolean next() {
        if (!started) {
            start(Long.MIN_VALUE);
        } else {
            // Move every input sitting on the current reference.
            while (size > 0 && heap[0].at() == cur) {
                if (heap[0].next()) {
                    siftDown(0);
                } else if (!removeTop()) {
                    return false;
                }
            }
        }
        return settle();
    }

    @Override
    public boolean seek(long v) {
        if (!started) {
            start(v);
            return settle();
        }
        if (cur >= v && size > 0) {
            return true;
        }
        while (size > 0 && heap[0].at() < v) {
            if (heap[0].seek(v)) {
                siftDown(0);
            } else if (!removeTop()) {
                return false;
            }
        }
        return settle();
    }

    private boolean settle() {
        if (err != null || size == 0) {
            size = 0;
            return false;
        }
        cur = heap[0].at();
        return true;
    }

    private void start(long v) {
        started = true;
        heap = new Postings[inputs.length];
        for (Postings p : inputs) {
            boolean ok = v == Long.MIN_VALUE ? p.next() : p.seek(v);
            if (ok) {
                heap[size++] = p;
            } else if (p.err() != null) {
                err = p.err();
                return;
            }
        }
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i);
        }
    }

    /** Drops the exhausted top; false when it failed instead. */
    private boolean removeTop() {
        Postings top = heap[0];
        if (top.err() != null) {
            err = top.err();
            size = 0;
            return false;
        }
        heap[0] = heap[--size];
        heap[size] = null;
        if (size > 0) {
            siftDown(0);
        }
        return true;
    }

    private void siftDown(int i) {
        Postings p = heap[i];
        long key = p.at();
        while (true) {
            int c = 2 * i + 1;
            if (c >= size) {
                break;
            }
            if (c + 1 < size && heap[c + 1].at() < heap[c].at()) {
                c++;
            }
            if (heap[c].at() >= key) {
                break;
            }
            heap[i] = heap[c];
            i = c;
        }
        heap[i] = p;
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
