package io.specula.tsdb.head;

import io.specula.tsdb.chunkenc.Chunk;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.ValueType;

/**
 * Iterates a time-ordered run of chunks as one series, clipped to [mint, maxt]. Reuses one
 * chunk iterator across chunks; allocates nothing per sample.
 */
final class ChunksIterator implements SampleIterator {
    private Chunk[] chunks;
    private long mint, maxt;
    private int next; // index of the chunk after the current one
    private SampleIterator cur;
    private boolean done;

    ChunksIterator reset(Chunk[] chunks, long mint, long maxt) {
        this.chunks = chunks;
        this.mint = mint;
        this.maxt = maxt;
        done = chunks.length == 0;
        if (!done) {
            cur = chunks[0].iterator(cur);
            next = 1;
        }
        return this;
    }

    @Override
    public int next() {
        while (!done) {
            if (cur.next() == ValueType.FLOAT) {
                long t = cur.atT();
                if (t < mint) {
                    continue;
                }
                if (t > maxt) {
                    done = true;
                    return ValueType.NONE;
                }
                return ValueType.FLOAT;
            }
            if (cur.err() != null || next >= chunks.length) {
                done = true;
                return ValueType.NONE;
            }
            cur = chunks[next++].iterator(cur);
        }
        return ValueType.NONE;
    }

    @Override
    public int seek(long t) {
        if (done) {
            return ValueType.NONE;
        }
        t = Math.max(t, mint);
        while (true) {
            if (cur.seek(t) == ValueType.FLOAT) {
                if (cur.atT() > maxt) {
                    done = true;
                    return ValueType.NONE;
                }
                return ValueType.FLOAT;
            }
            if (cur.err() != null || next >= chunks.length) {
                done = true;
                return ValueType.NONE;
            }
            cur = chunks[next++].iterator(cur);
        }
    }

    @Override
    public long atT() {
        return cur.atT();
    }

    @Override
    public double atV() {
        return cur.atV();
    }

    @Override
    public Exception err() {
        return cur == null ? null : cur.err();
    }
}
