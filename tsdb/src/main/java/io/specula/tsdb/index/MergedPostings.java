package io.specula.tsdb.index;

import java.io.IOException;

/**
 * The union of several postings through a loser tree (tournament tree) over the inputs.
 *
 * <p>Regex matchers over many label values produce unions of hundreds of lists. A loser tree
 * replays one leaf-to-root path per advanced input with a single comparison per level,
 * where a binary heap's sift-down makes two, mostly mispredicted; keys sit in a primitive
 * array rather than behind {@code at()} calls. An exhausted input's key is
 * {@link Long#MAX_VALUE}, so references must stay below it (series references are 32-bit).
 */
final class MergedPostings implements Postings {
    private static final long EXHAUSTED = Long.MAX_VALUE;

    private final Postings[] inputs;
    private final int k;
    private long[] keys;  // current reference of each input, EXHAUSTED when done
    private int[] tree;   // tree[0]: index of the winning input; tree[1..k-1]: losers of inner nodes
    private boolean started;
    private long cur = -1;
    private IOException err;

    MergedPostings(Postings[] inputs) {
        this.inputs = inputs;
        this.k = inputs.length;
    }

    @Override
    public boolean next() {
        if (!started) {
            return start(Long.MIN_VALUE);
        }
        if (err != null) {
            return false;
        }
        // Advance every input sitting on the current reference (inputs may share references).
        while (keys[tree[0]] == cur && cur != EXHAUSTED) {
            int w = tree[0];
            if (!advance(w, inputs[w].next())) {
                return false;
            }
            replay(w);
        }
        return settle();
    }

    @Override
    public boolean seek(long v) {
        if (!started) {
            return start(v);
        }
        if (err != null) {
            return false;
        }
        if (cur >= v && cur != EXHAUSTED) {
            return true;
        }
        while (keys[tree[0]] < v) {
            int w = tree[0];
            if (!advance(w, inputs[w].seek(v))) {
                return false;
            }
            replay(w);
        }
        return settle();
    }

    private boolean start(long v) {
        started = true;
        keys = new long[k];
        for (int i = 0; i < k; i++) {
            boolean ok = v == Long.MIN_VALUE ? inputs[i].next() : inputs[i].seek(v);
            if (!advance(i, ok)) {
                return false;
            }
        }
        // Build bottom-up: leaf i is node k + i; inner node n keeps the loser of its two children.
        tree = new int[k];
        int[] winner = new int[2 * k];
        for (int i = 0; i < k; i++) {
            winner[k + i] = i;
        }
        for (int n = k - 1; n >= 1; n--) {
            int a = winner[2 * n], b = winner[2 * n + 1];
            if (keys[a] <= keys[b]) {
                winner[n] = a;
                tree[n] = b;
            } else {
                winner[n] = b;
                tree[n] = a;
            }
        }
        tree[0] = winner[1];
        return settle();
    }

    /** Records input {@code i}'s new position; false (with {@link #err} set) when it failed. */
    private boolean advance(int i, boolean ok) {
        if (ok) {
            keys[i] = inputs[i].at();
            return true;
        }
        keys[i] = EXHAUSTED;
        if (inputs[i].err() != null) {
            err = inputs[i].err();
            return false;
        }
        return true;
    }

    /** Input {@code leaf} changed its key: replay its matches up to the root. */
    private void replay(int leaf) {
        int w = leaf;
        long wk = keys[w];
        for (int n = (leaf + k) >>> 1; n >= 1; n >>>= 1) {
            int l = tree[n];
            if (keys[l] < wk) {
                tree[n] = w;
                w = l;
                wk = keys[l];
            }
        }
        tree[0] = w;
    }

    private boolean settle() {
        cur = keys[tree[0]];
        return cur != EXHAUSTED;
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
