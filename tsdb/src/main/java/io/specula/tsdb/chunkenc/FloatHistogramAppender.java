package io.specula.tsdb.chunkenc;

import io.specula.model.histogram.CounterResetHint;
import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Schemas;
import io.specula.model.histogram.Spans;
import io.specula.model.value.StaleNaN;
import java.util.Arrays;

/**
 * Appends float histograms to a {@link FloatHistogramChunk} with the rules of
 * {@link HistogramAppender} (cut on reset or layout change, recode on new buckets, gauge
 * histograms expanded both ways, stale markers always fit). One difference follows
 * Prometheus: a chunk cut for a layout change (or a counter sample after gauge samples) gets
 * the "unknown" header, only a detected reset gets "reset". Not thread-safe.
 */
public final class FloatHistogramAppender implements ChunkAppender {
    private static final int CNT = 0;
    private static final int ZCNT = 1;
    private static final int SUM = 2;
    private static final int BUCKETS = 3;

    private FloatHistogramChunk chunk;
    private BitWriter w;

    private int schema;
    private double zThreshold;
    private int[] pSpans = Spans.NONE;
    private int[] nSpans = Spans.NONE;
    private double[] customValues = new double[0];
    private int numPositive;
    private long t = Long.MIN_VALUE;
    private long tDelta;
    /** Value bits of count, zero count, sum and every bucket; windows packed leading << 8 | trailing. */
    private long[] bits = new long[BUCKETS];
    private int[] windows = {0xFF00, 0xFF00, 0xFF00};

    private boolean ok;
    private boolean counterReset;
    private int[] pFwd;
    private int[] nFwd;
    private int[] pBwd;
    private int[] nBwd;
    private int[] pMerged;
    private int[] nMerged;

    FloatHistogramAppender(FloatHistogramChunk chunk) {
        bind(chunk);
    }

    private void bind(FloatHistogramChunk c) {
        chunk = c;
        w = c.writer;
    }

    void restore(FloatHistogramIterator it) {
        schema = it.schema;
        zThreshold = it.zThreshold;
        pSpans = it.pSpans;
        nSpans = it.nSpans;
        customValues = it.customValues;
        numPositive = it.numPositive;
        t = it.t;
        tDelta = it.tDelta;
        bits = it.bits.clone();
        windows = it.windows.clone();
    }

    public FloatHistogramChunk chunk() {
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
     * Appends {@code h} at {@code t}; see {@link HistogramAppender#append} for {@code prev},
     * {@code appendOnly} and the result. {@code h} is not modified.
     */
    public int append(FloatHistogramAppender prev, long t, FloatHistogram h, boolean appendOnly) {
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
                prev.appendable(h);
                chunk.setCounterResetHeader(prev.counterReset ? HistogramChunk.HEADER_COUNTER_RESET : HistogramChunk.HEADER_NOT_COUNTER_RESET);
            }
            return HistogramAppender.APPENDED;
        }
        if (h.counterResetHint != CounterResetHint.GAUGE) {
            appendable(h);
            if (!ok || counterReset) {
                if (appendOnly) {
                    throw new IllegalArgumentException(counterReset ? "float histogram counter reset" : "float histogram schema change");
                }
                return cut(counterReset ? HistogramChunk.HEADER_COUNTER_RESET : HistogramChunk.HEADER_UNKNOWN, t, h);
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
                    throw new IllegalArgumentException("float histogram layout change with " + count(pFwd) + " positive and " + count(nFwd) + " negative forwards inserts");
                }
                return recodeAndAppend(t, h);
            }
            write(t, h);
            return HistogramAppender.APPENDED;
        }
        appendableGauge(h);
        if (!ok) {
            if (appendOnly) {
                throw new IllegalArgumentException("float gauge histogram schema change");
            }
            return cut(HistogramChunk.HEADER_GAUGE, t, h);
        }
        if (pBwd != null || nBwd != null) {
            if (appendOnly) {
                throw new IllegalArgumentException("float gauge histogram layout change with " + count(pBwd) + " positive and " + count(nBwd) + " negative backwards inserts");
            }
            h = h.copy();
            h.positiveSpans = pMerged;
            h.negativeSpans = nMerged;
            insertBackward(h);
        }
        if (pFwd != null || nFwd != null) {
            if (appendOnly) {
                throw new IllegalArgumentException("float gauge histogram layout change with " + count(pFwd) + " positive and " + count(nFwd) + " negative forwards inserts");
            }
            return recodeAndAppend(t, h);
        }
        write(t, h);
        return HistogramAppender.APPENDED;
    }

    private static int count(int[] inserts) {
        int n = 0;
        if (inserts != null) {
            for (int c : inserts) {
                n += c > 0 ? 1 : 0;
            }
        }
        return n;
    }

    private static int[] unionSpans(int[] a, int[] b) {
        return HistogramCoding.spansOf(HistogramCoding.union(Spans.indexes(a, null), Spans.bucketCount(a), Spans.indexes(b, null), Spans.bucketCount(b)));
    }

    private void insertBackward(FloatHistogram h) {
        if (pBwd != null) {
            h.positiveBuckets = HistogramCoding.insertAbsolute(h.positiveBuckets, pBwd, Spans.bucketCount(h.positiveSpans));
        }
        if (nBwd != null) {
            h.negativeBuckets = HistogramCoding.insertAbsolute(h.negativeBuckets, nBwd, Spans.bucketCount(h.negativeSpans));
        }
    }

    private int cut(int header, long t, FloatHistogram h) {
        FloatHistogramChunk c = FloatHistogramChunk.create();
        resetState();
        bind(c);
        c.setCounterResetHeader(header);
        write(t, h);
        return HistogramAppender.NEW_CHUNK;
    }

    private void resetState() {
        t = Long.MIN_VALUE;
        tDelta = 0;
        bits = new long[BUCKETS];
        windows = new int[] {0xFF00, 0xFF00, 0xFF00};
    }

    private int recodeAndAppend(long t, FloatHistogram h) {
        FloatHistogramChunk old = chunk;
        int header = old.counterResetHeader();
        int[] pf = pFwd;
        int[] nf = nFwd;
        int np = Spans.bucketCount(h.positiveSpans);
        int nn = Spans.bucketCount(h.negativeSpans);
        FloatHistogramIterator it = new FloatHistogramIterator();
        it.reset(old.bytes(), old.length());
        FloatHistogramChunk c = FloatHistogramChunk.create();
        resetState();
        bind(c);
        while (it.next() != io.specula.tsdb.storage.ValueType.NONE) {
            FloatHistogram o = it.atFloatHistogram(null);
            if (!o.isStale()) {
                if (pf != null) {
                    o.positiveBuckets = HistogramCoding.insertAbsolute(o.positiveBuckets, pf, np);
                }
                if (nf != null) {
                    o.negativeBuckets = HistogramCoding.insertAbsolute(o.negativeBuckets, nf, nn);
                }
                o.positiveSpans = h.positiveSpans;
                o.negativeSpans = h.negativeSpans;
            }
            write(it.atT(), o);
        }
        if (it.err() != null) {
            throw new IllegalStateException("recoding a float histogram chunk: " + it.err().getMessage(), it.err());
        }
        c.setCounterResetHeader(header);
        write(t, h);
        return HistogramAppender.RECODED;
    }

    private double value(int i) {
        return Double.longBitsToDouble(bits[i]);
    }

    /** Sets {@link #ok}, {@link #counterReset} and the inserts for a counter histogram. */
    void appendable(FloatHistogram h) {
        ok = false;
        counterReset = false;
        pFwd = nFwd = pBwd = nBwd = null;
        if (numSamples() > 0 && chunk.counterResetHeader() == HistogramChunk.HEADER_GAUGE) {
            return;
        }
        if (h.counterResetHint == CounterResetHint.COUNTER_RESET) {
            counterReset = true;
            return;
        }
        if (StaleNaN.is(h.sum)) {
            ok = true;
            return;
        }
        if (StaleNaN.is(value(SUM))) {
            return;
        }
        if (h.count < value(CNT)) {
            counterReset = true;
            return;
        }
        if (h.schema != schema || h.zeroThreshold != zThreshold) {
            return;
        }
        if (Schemas.isCustomBuckets(h.schema) && !Schemas.customBoundsMatch(h.customValues, customValues)) {
            counterReset = true;
            return;
        }
        if (h.zeroCount < value(ZCNT)) {
            counterReset = true;
            return;
        }
        if (!expand(pSpans, BUCKETS, h.positiveSpans, h.positiveBuckets, true)
                || !expand(nSpans, BUCKETS + numPositive, h.negativeSpans, h.negativeBuckets, false)) {
            pFwd = nFwd = pBwd = nBwd = null;
            counterReset = true;
            return;
        }
        ok = true;
    }

    private boolean expand(int[] aSpans, int aFrom, int[] bSpans, double[] b, boolean positive) {
        int na = Spans.bucketCount(aSpans);
        if (Arrays.equals(aSpans, bSpans)) {
            for (int i = 0; i < na; i++) {
                if (value(aFrom + i) > b[i]) {
                    return false;
                }
            }
            return true;
        }
        int nb = b.length;
        int[] ai = Spans.indexes(aSpans, null);
        int[] bi = Spans.indexes(bSpans, null);
        int j = 0;
        for (int i = 0; i < na; i++) {
            while (j < nb && bi[j] < ai[i]) {
                j++;
            }
            double a = value(aFrom + i);
            if (j < nb && bi[j] == ai[i]) {
                if (a > b[j]) {
                    return false;
                }
            } else if (a != 0) {
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

    private void appendableGauge(FloatHistogram h) {
        ok = false;
        pFwd = nFwd = pBwd = nBwd = null;
        if (numSamples() > 0 && chunk.counterResetHeader() != HistogramChunk.HEADER_GAUGE) {
            return;
        }
        if (StaleNaN.is(h.sum)) {
            ok = true;
            return;
        }
        if (StaleNaN.is(value(SUM))) {
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

    private void write(long t, FloatHistogram h) {
        int num = chunk.numSamples();
        boolean stale = StaleNaN.is(h.sum);
        double hCount = stale ? 0 : h.count;
        double hZero = stale ? 0 : h.zeroCount;
        double[] hp = stale ? FloatHistogram.staleMarker().positiveBuckets : h.positiveBuckets;
        double[] hn = stale ? hp : h.negativeBuckets;
        long newTDelta = 0;
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
            numPositive = hp.length;
            int n = BUCKETS + hp.length + hn.length;
            bits = new long[n];
            windows = new int[n];
            Arrays.fill(windows, 0xFF00);
            HistogramCoding.putVarbitInt(w, t);
            bits[CNT] = Double.doubleToRawLongBits(hCount);
            bits[ZCNT] = Double.doubleToRawLongBits(hZero);
            bits[SUM] = Double.doubleToRawLongBits(h.sum);
            for (int i = 0; i < hp.length; i++) {
                bits[BUCKETS + i] = Double.doubleToRawLongBits(hp[i]);
            }
            for (int i = 0; i < hn.length; i++) {
                bits[BUCKETS + hp.length + i] = Double.doubleToRawLongBits(hn[i]);
            }
            for (int i = 0; i < n; i++) {
                w.ensureRoom(64);
                w.writeBitsTracked(bits[i], 64);
            }
        } else {
            newTDelta = t - this.t;
            HistogramCoding.putVarbitInt(w, newTDelta - tDelta);
            writeXor(CNT, hCount);
            writeXor(ZCNT, hZero);
            writeXor(SUM, h.sum);
            for (int i = 0; i < hp.length; i++) {
                writeXor(BUCKETS + i, hp[i]);
            }
            for (int i = 0; i < hn.length; i++) {
                writeXor(BUCKETS + numPositive + i, hn[i]);
            }
        }
        w.putBE16(0, num + 1);
        this.t = t;
        tDelta = newTDelta;
    }

    private void writeXor(int i, double v) {
        long b = Double.doubleToRawLongBits(v);
        int lt = windows[i];
        windows[i] = HistogramCoding.xorWrite(w, b, bits[i], lt >>> 8, lt & 0xFF);
        bits[i] = b;
    }
}
