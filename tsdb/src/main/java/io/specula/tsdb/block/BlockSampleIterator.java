package io.specula.tsdb.block;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.tsdb.chunkenc.Chunk;
import io.specula.tsdb.chunks.ChunkReader;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.ValueType;
import io.specula.tsdb.tombstones.Intervals;
import java.io.IOException;

/**
 * Iterates the chunks of one block series as one run of samples, clipped to [mint, maxt] and
 * skipping deleted intervals. Each chunk is also clipped to its meta's max time: a no-op for a
 * persisted block, the snapshot bound for the head's open chunk. Chunks are read lazily, one at a time, so a seek far ahead never
 * decodes the chunks in between. Reuses one chunk iterator per encoding; no allocation per
 * sample. A series may mix float and histogram chunks: the value type is the current chunk's.
 * Not thread-safe; valid while the querier it came from is open.
 */
final class BlockSampleIterator implements SampleIterator {
    private ChunkReader reader;
    private long[] refs, maxTimes;
    private long mint, maxt;
    private Intervals deleted;
    private boolean hasDeleted;
    private long limit; // min(maxt, the open chunk's meta max time)
    private int next; // index of the chunk after the current one
    private SampleIterator cur; // the current chunk's iterator
    private final SampleIterator[] byEncoding = new SampleIterator[4]; // chunk iterators, reused across chunks and series
    private int type; // value type of the sample this iterator is on; NONE when not on one
    private boolean open; // whether cur is on a chunk of this series
    private byte[] scratch; // the open chunk's data, overwritten by the next chunk read
    private boolean done;
    private Exception err;

    BlockSampleIterator reset(ChunkReader reader, long[] refs, long[] maxTimes, long mint, long maxt, Intervals deleted) {
        this.reader = reader;
        this.refs = refs;
        this.maxTimes = maxTimes;
        this.mint = mint;
        this.maxt = maxt;
        this.deleted = deleted;
        this.hasDeleted = deleted.size() > 0;
        next = 0;
        open = false;
        type = ValueType.NONE;
        done = refs.length == 0;
        err = null;
        return this;
    }

    @Override
    public int next() {
        while (!done) { // every exit sets type: one field write per sample
            if (!open && !openNext()) {
                return none();
            }
            int ty = cur.next();
            if (ty != ValueType.NONE) {
                long t = cur.atT();
                if (t <= limit) {
                    if (t >= mint && (!hasDeleted || !deleted.contains(t))) {
                        return type = ty;
                    }
                    continue;
                }
                if (t > maxt) {
                    return none();
                }
                open = false; // past its meta's max time: a head chunk's later appends
                continue;
            }
            if (cur.err() != null) {
                err = cur.err();
                return none();
            }
            open = false;
        }
        return ValueType.NONE;
    }

    @Override
    public int seek(long t) {
        if (done) {
            return ValueType.NONE;
        }
        if (type != ValueType.NONE && cur.atT() >= t) {
            return type;
        }
        t = Math.max(t, mint);
        if (open && maxTimes[next - 1] < t) {
            open = false; // the open chunk ends before t
        }
        if (!open) {
            while (next < refs.length && maxTimes[next] < t) {
                next++;
            }
            if (!openNext()) {
                return none();
            }
        }
        int ty = cur.seek(t);
        if (ty != ValueType.NONE) {
            long at = cur.atT();
            if (at <= limit) {
                if (at >= mint && (!hasDeleted || !deleted.contains(at))) {
                    return type = ty;
                }
            } else if (at > maxt) {
                return none();
            } else {
                open = false; // past its meta's max time
            }
        } else if (cur.err() != null) {
            err = cur.err();
            return none();
        } else {
            open = false;
        }
        return next();
    }

    private boolean openNext() {
        if (next >= refs.length) {
            return false;
        }
        try {
            limit = Math.min(maxt, maxTimes[next]);
            Chunk c = reader.chunk(refs[next++], scratch); // the previous chunk is done with: reuse its array
            scratch = c.bytes();
            int e = c.encoding();
            cur = byEncoding[e] = c.iterator(byEncoding[e]);
            open = true;
            return true;
        } catch (IOException e) {
            err = e;
            return false;
        }
    }

    private int none() {
        done = true;
        return type = ValueType.NONE;
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
    public Histogram atHistogram(Histogram reuse) {
        return cur.atHistogram(reuse);
    }

    @Override
    public FloatHistogram atFloatHistogram(FloatHistogram reuse) {
        return cur.atFloatHistogram(reuse);
    }

    @Override
    public Exception err() {
        return err;
    }
}
