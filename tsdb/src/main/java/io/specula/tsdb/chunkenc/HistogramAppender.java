package io.specula.tsdb.chunkenc;

import io.specula.model.histogram.CounterResetHint;
import io.specula.model.histogram.Histogram;
import io.specula.model.histogram.Schemas;
import io.specula.model.histogram.Spans;
import io.specula.model.value.StaleNaN;
import java.util.Arrays;

/**
 * Appends integer histograms to a {@link HistogramChunk} with Prometheus's rules, so that the
 * chunks (and the chunk boundaries) are the ones Prometheus would write for the same samples:
 * <ul>
 * <li>a counter histogram continues the chunk unless its counter-reset hint says reset, its
 *     count, zero count or any bucket went down, a populated bucket vanished, the schema, zero
 *     threshold or custom bounds changed, or the previous sample was a stale marker; then a new
 *     chunk is cut whose header records why (reset, or unknown for a layout change);</li>
 * <li>new buckets recode the whole chunk to the wider layout ({@link #RECODED}); buckets that
 *     vanished while empty are added back to the appended histogram instead;</li>
 * <li>gauge histograms only cut on schema, threshold or bound changes and expand the layout
 *     both ways;</li>
 * <li>a stale marker can always be appended.</li>
 * </ul>
 * After {@link #NEW_CHUNK} or {@link #RECODED} this appender writes to {@link #chunk()}, the
 * new chunk: on NEW_CHUNK the old one is complete and stays valid, on RECODED it is replaced.
 * Samples must come in increasing time order (the caller checks). Not thread-safe.
 */
public final class HistogramAppender implements ChunkAppender {
    /** The histogram went into the current chunk. */
    public static final int APPENDED = 0;
    /** A new chunk was cut and holds the histogram; {@link #chunk()} returns it. */
    public static final int NEW_CHUNK = 1;
    /** The chunk was rewritten with a wider layout; {@link #chunk()} returns the replacement. */
    public static final int RECODED = 2;

    private static final long[] NO_LONGS = new long[0];

    private HistogramChunk chunk;
    private BitWriter w;

    private int schema;
    private double zThreshold;
    private int[] pSpans = Spans.NONE;
    private int[] nSpans = Spans.NONE;
    private double[] customValues = new double[0];
    private long t = Long.MIN_VALUE;
    private long cnt;
    private long zCnt;
    private long tDelta;
    private long cntDelta;
    private long zCntDelta;
    private long[] pBuckets = NO_LONGS;
    private long[] nBuckets = NO_LONGS;
    private long[] pBucketsDelta = NO_LONGS;
    private long[] nBucketsDelta = NO_LONGS;
    private long sumBits;
    private int leading = 0xFF;
    private int trailing;

    // Result of appendable()/appendableGauge(): whether the sample fits, and the zero buckets
    // to insert into the chunk's histograms (fwd) or into the appended one (bwd), per position.
    private boolean ok;
    private int[] pFwd;
    private int[] nFwd;
    private int[] pBwd;
    private int[] nBwd;
    private int[] pMerged;
    private int[] nMerged;

    HistogramAppender(HistogramChunk chunk) {
        bind(chunk);
    }

    private void bind(HistogramChunk c) {
        chunk = c;
        w = c.writer;
    }

    /** Continues after the samples an iterator has read to the end. */
    void restore(HistogramIterator it) {
        schema = it.schema;
        zThreshold = it.zThreshold;
        pSpans = it.pSpans;
        nSpans = it.nSpans;
        customValues = it.customValues;
        t = it.t;
        cnt = it.cnt;
        zCnt = it.zCnt;
        tDelta = it.tDelta;
        cntDelta = it.cntDelta;
        zCntDelta = it.zCntDelta;
        pBuckets = it.pBuckets.clone();
        nBuckets = it.nBuckets.clone();
        pBucketsDelta = it.pBucketsDelta.clone();
        nBucketsDelta = it.nBucketsDelta.clone();
        sumBits = it.sum[0];
        leading = it.numRead() == 0 ? 0xFF : it.window[0] >>> 8;
        trailing = it.window[0] & 0xFF;
    }

    /** The chunk this appender writes to. */
    public HistogramChunk chunk() {
        return chunk;
    }

    public int numSamples() {
        return chunk.numSamples();
    }

    @Override
    public void append(long t, double v) {
        throw new UnsupportedOperationException("appended a float sample to a histogram chunk");
    }

    /**
     * Appends {@code h} at {@code t}. {@code prev}, when not null, is the appender of the
     * previous chunk of the same series: for the first sample of this chunk it tells whether
     * the chunk starts with a counter reset. With {@code appendOnly} a sample that would need a
     * new chunk or a recode is refused instead. {@code h} is not modified.
     *
     * @return {@link #APPENDED}, {@link #NEW_CHUNK} or {@link #RECODED}
     * @throws IllegalArgumentException with Prometheus's message if {@code appendOnly} and the
     *     sample does not fit, or if the histogram's buckets do not match its spans
     */
    public int append(HistogramAppender prev, long t, Histogram h, boolean appendOnly) {
        if (Spans.bucketCount(h.positiveSpans) != h.positiveBuckets.length
                || Spans.bucketCount(h.negativeSpans) != h.negativeBuckets.length) {
            throw new IllegalArgumentException("histogram spans specify different number of buckets than provided");
        }
        if (numSamples() == 0) {
            write(t, h);
            if (h.counterResetHint == CounterResetHint.GAUGE) {
                chunk.setCounterResetHeader(HistogramChunk.HEADER_GAUGE);
            } else if (h.counterResetHint == CounterResetHint.COUNTER_RESET) {
                chunk.setCounterResetHeader(HistogramChunk.HEADER_COUNTER_RESET);
            } else if (prev != null) {
                chunk.setCounterResetHeader(prev.appendable(h));
            }
            return APPENDED;
        }
        if (h.counterResetHint != CounterResetHint.GAUGE) {
            int header = appendable(h);
            if (!ok || header != HistogramChunk.HEADER_NOT_COUNTER_RESET) {
                if (appendOnly) {
                    throw new IllegalArgumentException(header == HistogramChunk.HEADER_COUNTER_RESET ? "histogram counter reset" : "histogram schema change");
                }
                return cut(header, t, h);
            }
            if (pBwd != null || nBwd != null) {
                h = h.copy();
                if (pFwd == null && nFwd == null) {
                    h.positiveSpans = pSpans.clone();
                    h.negativeSpans = nSpans.clone();
                } else {
                    if (pBwd != null) {
                        h.positiveSpans = unionSpans(h.positiveSpans, pSpans);
                    }
                    if (nBwd != null) {
                        h.negativeSpans = unionSpans(h.negativeSpans, nSpans);
                    }
                }
                insertBackward(h);
            }
            if (pFwd != null || nFwd != null) {
                if (appendOnly) {
                    throw new IllegalArgumentException("histogram layout change with " + inserts(pFwd) + " positive and " + inserts(nFwd) + " negative forwards inserts");
                }
                return recodeAndAppend(t, h);
            }
            write(t, h);
            return APPENDED;
        }
        appendableGauge(h);
        if (!ok) {
            if (appendOnly) {
                throw new IllegalArgumentException("gauge histogram schema change");
            }
            return cut(HistogramChunk.HEADER_GAUGE, t, h);
        }
        if (pBwd != null || nBwd != null) {
            if (appendOnly) {
                throw new IllegalArgumentException("gauge histogram layout change with " + inserts(pBwd) + " positive and " + inserts(nBwd) + " negative backwards inserts");
            }
            h = h.copy();
            h.positiveSpans = pMerged;
            h.negativeSpans = nMerged;
            insertBackward(h);
        }
        if (pFwd != null || nFwd != null) {
            if (appendOnly) {
                throw new IllegalArgumentException("gauge histogram layout change with " + inserts(pFwd) + " positive and " + inserts(nFwd) + " negative forwards inserts");
            }
            return recodeAndAppend(t, h);
        }
        write(t, h);
        return APPENDED;
    }

    /** Number of insert runs, as Prometheus counts them in its messages. */
    private static int inserts(int[] counts) {
        if (counts == null) {
            return 0;
        }
        int n = 0;
        for (int c : counts) {
            if (c > 0) {
                n++;
            }
        }
        return n;
    }

    private static int[] unionSpans(int[] a, int[] b) {
        int[] ia = Spans.indexes(a, null);
        int[] ib = Spans.indexes(b, null);
        return HistogramCoding.spansOf(HistogramCoding.union(ia, Spans.bucketCount(a), ib, Spans.bucketCount(b)));
    }

    private void insertBackward(Histogram h) {
        if (pBwd != null) {
            h.positiveBuckets = HistogramCoding.insertDeltas(h.positiveBuckets, pBwd, Spans.bucketCount(h.positiveSpans));
        }
        if (nBwd != null) {
            h.negativeBuckets = HistogramCoding.insertDeltas(h.negativeBuckets, nBwd, Spans.bucketCount(h.negativeSpans));
        }
    }

    private int cut(int header, long t, Histogram h) {
        HistogramChunk c = HistogramChunk.create();
        resetState();
        bind(c);
        c.setCounterResetHeader(header);
        write(t, h);
        return NEW_CHUNK;
    }

    private void resetState() {
        t = Long.MIN_VALUE;
        leading = 0xFF;
        trailing = 0;
        sumBits = 0;
        cnt = 0;
        zCnt = 0;
        tDelta = 0;
        cntDelta = 0;
        zCntDelta = 0;
    }

    /** Rewrites the chunk with the layout of {@code h} (the old histograms get empty buckets), then appends it. */
    private int recodeAndAppend(long t, Histogram h) {
        HistogramChunk old = chunk;
        int header = old.counterResetHeader();
        int[] pf = pFwd;
        int[] nf = nFwd;
        int np = Spans.bucketCount(h.positiveSpans);
        int nn = Spans.bucketCount(h.negativeSpans);
        HistogramIterator it = new HistogramIterator();
        it.reset(old.bytes(), old.length());
        HistogramChunk c = HistogramChunk.create();
        resetState();
        bind(c);
        while (it.next() != io.specula.tsdb.storage.ValueType.NONE) {
            Histogram o = it.atHistogram(null); // fresh: its spans are replaced by h's below
            if (!o.isStale()) {
                if (pf != null) {
                    o.positiveBuckets = HistogramCoding.insertDeltas(o.positiveBuckets, pf, np);
                }
                if (nf != null) {
                    o.negativeBuckets = HistogramCoding.insertDeltas(o.negativeBuckets, nf, nn);
                }
                o.positiveSpans = h.positiveSpans;
                o.negativeSpans = h.negativeSpans;
            }
            write(it.atT(), o);
        }
        if (it.err() != null) {
            throw new IllegalStateException("recoding a histogram chunk: " + it.err().getMessage(), it.err());
        }
        c.setCounterResetHeader(header);
        write(t, h);
        return RECODED;
    }

    /**
     * Whether {@code h} can follow in this (counter) chunk; sets {@link #ok} and the inserts,
     * returns the counter-reset header a chunk starting with {@code h} should have.
     */
    int appendable(Histogram h) {
        ok = false;
        pFwd = nFwd = pBwd = nBwd = null;
        if (numSamples() > 0 && chunk.counterResetHeader() == HistogramChunk.HEADER_GAUGE) {
            return HistogramChunk.HEADER_NOT_COUNTER_RESET;
        }
        if (h.counterResetHint == CounterResetHint.COUNTER_RESET) {
            return HistogramChunk.HEADER_COUNTER_RESET;
        }
        if (StaleNaN.is(h.sum)) {
            ok = true;
            return HistogramChunk.HEADER_NOT_COUNTER_RESET;
        }
        if (StaleNaN.is(Double.longBitsToDouble(sumBits))) {
            return HistogramChunk.HEADER_UNKNOWN;
        }
        if (Long.compareUnsigned(h.count, cnt) < 0) {
            return HistogramChunk.HEADER_COUNTER_RESET;
        }
        if (h.schema != schema || h.zeroThreshold != zThreshold) {
            return HistogramChunk.HEADER_UNKNOWN;
        }
        if (Schemas.isCustomBuckets(h.schema) && !Schemas.customBoundsMatch(h.customValues, customValues)) {
            return HistogramChunk.HEADER_COUNTER_RESET;
        }
        if (Long.compareUnsigned(h.zeroCount, zCnt) < 0) {
            return HistogramChunk.HEADER_COUNTER_RESET;
        }
        if (!expand(pSpans, pBuckets, h.positiveSpans, h.positiveBuckets, true)
                || !expand(nSpans, nBuckets, h.negativeSpans, h.negativeBuckets, false)) {
            pFwd = nFwd = pBwd = nBwd = null;
            return HistogramChunk.HEADER_COUNTER_RESET;
        }
        ok = true;
        return HistogramChunk.HEADER_NOT_COUNTER_RESET;
    }

    /**
     * Compares the chunk's buckets {@code a} with the new histogram's {@code b} (both
     * delta-encoded): false on a reset (a bucket went down, or a populated one vanished);
     * otherwise records the inserts each side needs.
     */
    private boolean expand(int[] aSpans, long[] aBuckets, int[] bSpans, long[] bBuckets, boolean positive) {
        if (Arrays.equals(aSpans, bSpans)) {
            // Same layout, the common case: compare absolute counts bucket by bucket.
            long ac = 0;
            long bc = 0;
            for (int i = 0; i < aBuckets.length; i++) {
                ac += aBuckets[i];
                bc += bBuckets[i];
                if (ac > bc) {
                    return false;
                }
            }
            return true;
        }
        int na = aBuckets.length;
        int nb = bBuckets.length;
        int[] ai = Spans.indexes(aSpans, null);
        int[] bi = Spans.indexes(bSpans, null);
        long[] aAbs = absolute(aBuckets);
        long[] bAbs = absolute(bBuckets);
        int j = 0;
        for (int i = 0; i < na; i++) {
            while (j < nb && bi[j] < ai[i]) {
                j++;
            }
            if (j < nb && bi[j] == ai[i]) {
                if (aAbs[i] > bAbs[j]) {
                    return false;
                }
            } else if (aAbs[i] != 0) {
                return false;
            }
        }
        int[] fwd = HistogramCoding.inserts(ai, na, bi, nb);
        int[] bwd = HistogramCoding.inserts(bi, nb, ai, na);
        if (positive) {
            pFwd = fwd;
            pBwd = bwd;
        } else {
            nFwd = fwd;
            nBwd = bwd;
        }
        return true;
    }

    private static long[] absolute(long[] deltas) {
        long[] out = new long[deltas.length];
        long c = 0;
        for (int i = 0; i < deltas.length; i++) {
            c += deltas[i];
            out[i] = c;
        }
        return out;
    }

    /** Gauge rules: only a schema, threshold or bound change (or a stale predecessor) does not fit. */
    private void appendableGauge(Histogram h) {
        ok = false;
        pFwd = nFwd = pBwd = nBwd = null;
        if (numSamples() > 0 && chunk.counterResetHeader() != HistogramChunk.HEADER_GAUGE) {
            return;
        }
        if (StaleNaN.is(h.sum)) {
            ok = true;
            return;
        }
        if (StaleNaN.is(Double.longBitsToDouble(sumBits))) {
            return;
        }
        if (h.schema != schema || h.zeroThreshold != zThreshold) {
            return;
        }
        if (Schemas.isCustomBuckets(h.schema) && !Schemas.customBoundsMatch(h.customValues, customValues)) {
            return;
        }
        int[] ai = Spans.indexes(pSpans, null);
        int[] bi = Spans.indexes(h.positiveSpans, null);
        int na = Spans.bucketCount(pSpans);
        int nb = Spans.bucketCount(h.positiveSpans);
        pFwd = HistogramCoding.inserts(ai, na, bi, nb);
        pBwd = HistogramCoding.inserts(bi, nb, ai, na);
        pMerged = HistogramCoding.spansOf(HistogramCoding.union(ai, na, bi, nb));
        ai = Spans.indexes(nSpans, null);
        bi = Spans.indexes(h.negativeSpans, null);
        na = Spans.bucketCount(nSpans);
        nb = Spans.bucketCount(h.negativeSpans);
        nFwd = HistogramCoding.inserts(ai, na, bi, nb);
        nBwd = HistogramCoding.inserts(bi, nb, ai, na);
        nMerged = HistogramCoding.spansOf(HistogramCoding.union(ai, na, bi, nb));
        ok = true;
    }

    /** Encodes one sample with the current layout (Prometheus's {@code appendHistogram}). */
    private void write(long t, Histogram h) {
        int num = chunk.numSamples();
        boolean stale = StaleNaN.is(h.sum);
        long hCount = stale ? 0 : h.count;
        long hZero = stale ? 0 : h.zeroCount;
        long[] hp = stale ? NO_LONGS : h.positiveBuckets;
        long[] hn = stale ? NO_LONGS : h.negativeBuckets;
        long newTDelta = 0;
        long newCntDelta = 0;
        long newZCntDelta = 0;
        if (num == 0) {
            int s = stale ? 0 : h.schema;
            double zt = stale ? 0 : h.zeroThreshold;
            int[] ps = stale ? Spans.NONE : h.positiveSpans;
            int[] ns = stale ? Spans.NONE : h.negativeSpans;
            double[] cv = stale ? new double[0] : h.customValues;
            HistogramCoding.putZeroThreshold(w, zt);
            HistogramCoding.putVarbitInt(w, s);
            HistogramCoding.putSpans(w, ps);
            HistogramCoding.putSpans(w, ns);
            if (Schemas.isCustomBuckets(s)) {
                HistogramCoding.putCustomBounds(w, cv);
            }
            schema = s;
            zThreshold = zt;
            pSpans = ps.length == 0 ? Spans.NONE : ps.clone();
            nSpans = ns.length == 0 ? Spans.NONE : ns.clone();
            customValues = cv;
            pBuckets = new long[hp.length];
            nBuckets = new long[hn.length];
            pBucketsDelta = new long[hp.length];
            nBucketsDelta = new long[hn.length];
            HistogramCoding.putVarbitInt(w, t);
            HistogramCoding.putVarbitUint(w, hCount);
            HistogramCoding.putVarbitUint(w, hZero);
            w.ensureRoom(64);
            w.writeBitsTracked(Double.doubleToRawLongBits(h.sum), 64);
            for (long b : hp) {
                HistogramCoding.putVarbitInt(w, b);
            }
            for (long b : hn) {
                HistogramCoding.putVarbitInt(w, b);
            }
        } else {
            newTDelta = t - this.t;
            newCntDelta = hCount - cnt;
            newZCntDelta = hZero - zCnt;
            long tDod = newTDelta - tDelta;
            long cntDod = newCntDelta - cntDelta;
            long zCntDod = newZCntDelta - zCntDelta;
            if (stale) {
                cntDod = 0;
                zCntDod = 0;
            }
            HistogramCoding.putVarbitInt(w, tDod);
            HistogramCoding.putVarbitInt(w, cntDod);
            HistogramCoding.putVarbitInt(w, zCntDod);
            int lt = HistogramCoding.xorWrite(w, Double.doubleToRawLongBits(h.sum), sumBits, leading, trailing);
            leading = lt >>> 8;
            trailing = lt & 0xFF;
            for (int i = 0; i < hp.length; i++) {
                long delta = hp[i] - pBuckets[i];
                HistogramCoding.putVarbitInt(w, delta - pBucketsDelta[i]);
                pBucketsDelta[i] = delta;
            }
            for (int i = 0; i < hn.length; i++) {
                long delta = hn[i] - nBuckets[i];
                HistogramCoding.putVarbitInt(w, delta - nBucketsDelta[i]);
                nBucketsDelta[i] = delta;
            }
        }
        w.putBE16(0, num + 1);
        this.t = t;
        cnt = hCount;
        zCnt = hZero;
        tDelta = newTDelta;
        cntDelta = newCntDelta;
        zCntDelta = newZCntDelta;
        System.arraycopy(hp, 0, pBuckets, 0, Math.min(hp.length, pBuckets.length));
        System.arraycopy(hn, 0, nBuckets, 0, Math.min(hn.length, nBuckets.length));
        sumBits = Double.doubleToRawLongBits(h.sum);
    }
}
