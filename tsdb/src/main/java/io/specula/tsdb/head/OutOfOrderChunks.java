package io.specula.tsdb.head;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.tsdb.chunkenc.Chunk;
import io.specula.tsdb.chunkenc.ChunkAppender;
import io.specula.tsdb.chunkenc.FloatHistogramAppender;
import io.specula.tsdb.chunkenc.FloatHistogramChunk;
import io.specula.tsdb.chunkenc.HistogramAppender;
import io.specula.tsdb.chunkenc.HistogramChunk;
import io.specula.tsdb.chunkenc.XorChunk;
import io.specula.tsdb.encoding.CorruptionException;
import java.util.Arrays;

/**
 * The out-of-order samples of one series: samples older than the series' newest in-order
 * sample, accepted within the out-of-order time window. Only series that received such a
 * sample have one, so in-order series pay one null reference.
 *
 * <p>New samples go into a small buffer kept sorted by time (insertion into at most
 * {@link #CAP} samples); a full buffer is encoded as an XOR chunk and kept in memory. Cut
 * chunks are each in time order but may overlap one another and the in-order chunks: queries
 * merge them. This mirrors Prometheus's out-of-order head chunk ({@code out_of_order_cap_max},
 * 32 by default) except that cut chunks stay on the heap rather than in {@code chunks_head/}:
 * out-of-order data is expected to be rare, and the write-behind log ({@code wbl/}) brings it
 * back after a restart.
 *
 * <p>Native histograms share the buffer (a histogram sample holds its own copy in
 * {@code bufH}); a buffer is encoded as a run of chunks, a new one wherever the sample type
 * changes or the histogram appender cuts (counter reset, layout change), as Prometheus's
 * {@code OOOChunk.ToEncodedChunks} does.
 *
 * <p>Compaction takes the chunks cut so far ({@link #freeze}) and later drops exactly those
 * ({@link #dropFrozen}); samples arriving in between stay. Guarded by the series' monitor.
 */
final class OutOfOrderChunks {
    /** Samples in the buffer before it is cut into a chunk (Prometheus's default out_of_order_cap_max). */
    static final int CAP = 32;

    private long[] bufT = new long[4];
    private double[] bufV = new double[4];
    /** Histogram samples ({@link Histogram} or {@link FloatHistogram}), null for a float; null until the series gets one. */
    private Object[] bufH;
    private int bufN;

    private Chunk[] chunks = new Chunk[2];
    private long[] mints = new long[2], maxts = new long[2];
    private int n;
    /** Chunks [0, frozen) are being compacted into a block. */
    private int frozen;
    /** Id of chunk 0; the buffer's id is {@code firstId + n} (see {@link HeadChunkRef}). */
    private long firstId;

    /**
     * Inserts a sample in time order; false when the buffer already holds its timestamp (the
     * first value of a timestamp is kept, later ones dropped, as Prometheus does).
     */
    boolean insert(long t, double v) {
        return insert(t, v, null);
    }

    /** {@link #insert(long, double)} for a histogram sample, {@code h} a copy the buffer keeps. */
    boolean insertHistogram(long t, Object h) {
        return insert(t, 0, h);
    }

    private boolean insert(long t, double v, Object h) {
        int i = Arrays.binarySearch(bufT, 0, bufN, t);
        if (i >= 0) {
            return false;
        }
        if (bufN == CAP) {
            cutBuffer();
            i = -1;
        }
        int at = -i - 1;
        if (bufN == bufT.length) {
            bufT = Arrays.copyOf(bufT, Math.min(CAP, bufN * 2));
            bufV = Arrays.copyOf(bufV, bufT.length);
            if (bufH != null) {
                bufH = Arrays.copyOf(bufH, bufT.length);
            }
        }
        if (h != null && bufH == null) {
            bufH = new Object[bufT.length];
        }
        System.arraycopy(bufT, at, bufT, at + 1, bufN - at);
        System.arraycopy(bufV, at, bufV, at + 1, bufN - at);
        if (bufH != null) {
            System.arraycopy(bufH, at, bufH, at + 1, bufN - at);
            bufH[at] = h;
        }
        bufT[at] = t;
        bufV[at] = v;
        bufN++;
        return true;
    }

    private void cutBuffer() {
        if (bufN == 0) {
            return;
        }
        Encoded e = encodeBuffer();
        for (int k = 0; k < e.n; k++) {
            if (n == chunks.length) {
                chunks = Arrays.copyOf(chunks, n * 2);
                mints = Arrays.copyOf(mints, n * 2);
                maxts = Arrays.copyOf(maxts, n * 2);
            }
            Chunk c = e.chunks[k];
            if (c instanceof XorChunk x) {
                x.compact();
            } else {
                c = Chunk.fromData(c.encoding(), Arrays.copyOf(c.bytes(), c.length()), c.length());
            }
            chunks[n] = c;
            mints[n] = e.mints[k];
            maxts[n] = e.maxts[k];
            n++;
        }
        bufN = 0;
        if (bufH != null) {
            Arrays.fill(bufH, null);
        }
    }

    /** The buffer's samples as chunks in time order, with their time ranges. */
    record Encoded(Chunk[] chunks, long[] mints, long[] maxts, int n) {
    }

    private Encoded encodeBuffer() {
        Chunk[] out = new Chunk[1];
        long[] mi = new long[1], ma = new long[1];
        int k = 0;
        Chunk c = null;
        ChunkAppender app = null;
        try {
            for (int i = 0; i < bufN; i++) {
                Object h = bufH == null ? null : bufH[i];
                int enc = h == null ? io.specula.tsdb.chunkenc.Encoding.XOR
                        : h instanceof Histogram ? io.specula.tsdb.chunkenc.Encoding.HISTOGRAM
                        : io.specula.tsdb.chunkenc.Encoding.FLOAT_HISTOGRAM;
                ChunkAppender prev = app;
                if (c == null || c.encoding() != enc) {
                    c = switch (enc) {
                        case io.specula.tsdb.chunkenc.Encoding.HISTOGRAM -> HistogramChunk.create();
                        case io.specula.tsdb.chunkenc.Encoding.FLOAT_HISTOGRAM -> FloatHistogramChunk.create();
                        default -> XorChunk.create();
                    };
                    app = c.appender();
                    if (k == out.length) {
                        out = Arrays.copyOf(out, k * 2);
                        mi = Arrays.copyOf(mi, k * 2);
                        ma = Arrays.copyOf(ma, k * 2);
                    }
                    out[k] = c;
                    mi[k] = bufT[i];
                    k++;
                } else {
                    prev = null; // only a chunk's first sample looks at the previous chunk
                }
                int result = HistogramAppender.APPENDED;
                if (h == null) {
                    app.append(bufT[i], bufV[i]);
                } else if (h instanceof Histogram ih) {
                    HistogramAppender ha = (HistogramAppender) app;
                    result = ha.append(prev instanceof HistogramAppender p ? p : null, bufT[i], ih, false);
                    c = ha.chunk();
                } else {
                    FloatHistogramAppender fa = (FloatHistogramAppender) app;
                    result = fa.append(prev instanceof FloatHistogramAppender p ? p : null, bufT[i], (FloatHistogram) h, false);
                    c = fa.chunk();
                }
                if (result == HistogramAppender.NEW_CHUNK) {
                    if (k == out.length) {
                        out = Arrays.copyOf(out, k * 2);
                        mi = Arrays.copyOf(mi, k * 2);
                        ma = Arrays.copyOf(ma, k * 2);
                    }
                    mi[k] = bufT[i];
                    k++;
                }
                out[k - 1] = c; // RECODED replaces the chunk
                ma[k - 1] = bufT[i];
            }
        } catch (CorruptionException e) {
            throw new IllegalStateException("a new chunk cannot be corrupt", e);
        }
        return new Encoded(out, mi, ma, k);
    }

    // Read accessors for RangeHead; the caller holds the series lock.

    long firstId() {
        return firstId;
    }

    /** Cut chunks. */
    int count() {
        return n;
    }

    /** Cut chunks a compaction froze. */
    int frozenCount() {
        return frozen;
    }

    Chunk chunk(int i) {
        return chunks[i];
    }

    long chunkMinTime(int i) {
        return mints[i];
    }

    long chunkMaxTime(int i) {
        return maxts[i];
    }

    /** Samples in the buffer. */
    int bufferCount() {
        return bufN;
    }

    long bufferMinTime() {
        return bufT[0];
    }

    long bufferMaxTime() {
        return bufT[bufN - 1];
    }

    /** The buffer encoded as new chunks (one per run of a sample type), for a query. */
    Encoded bufferChunks() {
        return encodeBuffer();
    }

    boolean isEmpty() {
        return n == 0 && bufN == 0;
    }

    /** Earliest sample held, Long.MAX_VALUE when empty. */
    long minTime() {
        long m = bufN > 0 ? bufT[0] : Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            m = Math.min(m, mints[i]);
        }
        return m;
    }

    /** Latest sample held, Long.MIN_VALUE when empty. */
    long maxTime() {
        long m = bufN > 0 ? bufT[bufN - 1] : Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, maxts[i]);
        }
        return m;
    }

    /**
     * Cuts the buffer and marks every chunk as taken by a compaction.
     *
     * @return {min, max} time of the frozen chunks; null when there are none
     */
    long[] freeze() {
        cutBuffer();
        frozen = n;
        if (n == 0) {
            return null;
        }
        long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            lo = Math.min(lo, mints[i]);
            hi = Math.max(hi, maxts[i]);
        }
        return new long[] {lo, hi};
    }

    /** Drops the chunks {@link #freeze} marked (they are in a block now). */
    void dropFrozen() {
        firstId += frozen;
        int keep = n - frozen;
        System.arraycopy(chunks, frozen, chunks, 0, keep);
        System.arraycopy(mints, frozen, mints, 0, keep);
        System.arraycopy(maxts, frozen, maxts, 0, keep);
        Arrays.fill(chunks, keep, n, null);
        n = keep;
        frozen = 0;
    }

    /** Unmarks frozen chunks after a failed compaction: they stay for the next one. */
    void unfreeze() {
        frozen = 0;
    }
}
