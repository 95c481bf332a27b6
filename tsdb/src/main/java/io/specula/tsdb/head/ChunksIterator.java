package io.specula.tsdb.head;

import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.ValueType;
import java.io.IOException;

/**
 * Iterates a time-ordered run of chunks as one series, clipped to [mint, maxt]. Chunks on disk
 * are read when the iteration reaches them, so a query that stops early reads no more. Reuses
 * one chunk iterator across chunks; allocates nothing per sample.
 */
final class ChunksIterator implements SampleIterator {
    private ChunkSnapshot chunks;
    private HeadChunks.Reader reader;
    private long mint, maxt;
    private int next; // index of the chunk after the current one
    private SampleIterator cur;
    private boolean done;
    private Exception err;

    ChunksIterator reset(ChunkSnapshot chunks, HeadChunks.Reader reader, long mint, long maxt) {
        this.chunks = chunks;
        this.reader = reader;
        this.mint = mint;
        this.maxt = maxt;
        this.next = 0;
        this.err = null;
        done = !advance();
        return this;
    }

    /** Moves to the next chunk; false at the end or on a read error. */
    private boolean advance() {
        if (next >= chunks.size()) {
            return false;
        }
        try {
            cur = chunks.chunk(next++, reader).iterator(cur);
            return true;
        } catch (IOException | RuntimeException e) {
            err = e;
            return false;
        }
    }

    @Override
    public int next() {
        while (!done) {
            int type = cur.next();
            if (type != ValueType.NONE) {
                long t = cur.atT();
                if (t < mint) {
                    continue;
                }
                if (t > maxt) {
                    done = true;
                    return ValueType.NONE;
                }
                return type;
            }
            if (cur.err() != null || !advance()) {
                done = true;
                return ValueType.NONE;
            }
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
            int type = cur.seek(t);
            if (type != ValueType.NONE) {
                if (cur.atT() > maxt) {
                    done = true;
                    return ValueType.NONE;
                }
                return type;
            }
            if (cur.err() != null || !advance()) {
                done = true;
                return ValueType.NONE;
            }
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
    public io.specula.model.histogram.Histogram atHistogram(io.specula.model.histogram.Histogram reuse) {
        return cur.atHistogram(reuse);
    }

    @Override
    public io.specula.model.histogram.FloatHistogram atFloatHistogram(io.specula.model.histogram.FloatHistogram reuse) {
        return cur.atFloatHistogram(reuse);
    }

    @Override
    public Exception err() {
        if (err != null) {
            return err;
        }
        return cur == null ? null : cur.err();
    }
}
