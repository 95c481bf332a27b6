package io.specula.tsdb.chunkenc;

import io.specula.model.histogram.CounterResetHint;
import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.model.histogram.Schemas;
import io.specula.model.histogram.Spans;
import io.specula.model.value.StaleNaN;
import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.ValueType;

/**
 * Decodes a {@link HistogramChunk}. The decoder state lives in primitive arrays sized once per
 * chunk (the layout is fixed within a chunk), so {@link #next()} allocates nothing;
 * {@link #atHistogram} copies into the caller's histogram. Not thread-safe.
 */
final class HistogramIterator implements SampleIterator {
    private static final long[] NO_LONGS = new long[0];

    private final BitReader br = new BitReader();
    private int numTotal;
    private int numRead;
    private int header;
    private Exception err;
    /** Set once next() has returned NONE: seek must not report the last sample again. */
    private boolean done;

    int schema;
    double zThreshold;
    int[] pSpans = Spans.NONE;
    int[] nSpans = Spans.NONE;
    double[] customValues = new double[0];

    long t;
    long cnt;
    long zCnt;
    long tDelta;
    long cntDelta;
    long zCntDelta;
    long[] pBuckets = NO_LONGS;
    long[] nBuckets = NO_LONGS;
    long[] pBucketsDelta = NO_LONGS;
    long[] nBucketsDelta = NO_LONGS;
    /** Sum bits and XOR window, as one-element arrays for {@link HistogramCoding#xorRead}. */
    final long[] sum = new long[1];
    final int[] window = new int[1];

    void reset(byte[] b, int length) {
        numRead = 0;
        t = Long.MIN_VALUE;
        cnt = 0;
        zCnt = 0;
        tDelta = 0;
        cntDelta = 0;
        zCntDelta = 0;
        sum[0] = 0;
        window[0] = 0;
        err = null;
        done = false;
        if (length < HistogramChunk.HEADER_SIZE) {
            numTotal = 0;
            br.reset(b, 0, 0);
            err = new CorruptionException("<chunk>", 0, "histogram chunk of " + length + " bytes has no header");
            return;
        }
        numTotal = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
        header = b[2] & HistogramChunk.HEADER_MASK;
        br.reset(b, HistogramChunk.HEADER_SIZE, length);
    }

    int bitPosition() {
        return br.bitPosition();
    }

    int numRead() {
        return numRead;
    }

    @Override
    public int next() {
        if (numRead >= numTotal || err != null) {
            done = true;
            return ValueType.NONE;
        }
        try {
            if (numRead == 0) {
                readFirst();
            } else {
                readNext();
            }
        } catch (CorruptionException e) {
            err = e;
            done = true;
            return ValueType.NONE;
        }
        numRead++;
        return ValueType.HISTOGRAM;
    }

    private void readFirst() throws CorruptionException {
        zThreshold = HistogramCoding.readZeroThreshold(br);
        schema = (int) HistogramCoding.readVarbitInt(br);
        pSpans = HistogramCoding.readSpans(br);
        nSpans = HistogramCoding.readSpans(br);
        if (Schemas.isCustomBuckets(schema)) {
            customValues = HistogramCoding.readCustomBounds(br);
        } else if (customValues.length != 0) {
            customValues = new double[0];
        }
        if (!Schemas.isKnown(schema)) {
            throw new CorruptionException("<chunk>", br.bitPosition() >>> 3,
                    "histogram has an unknown schema, which must be between -9 and 52 for exponential buckets, or -53 for custom buckets, got schema " + schema);
        }
        int np = Spans.bucketCount(pSpans);
        int nn = Spans.bucketCount(nSpans);
        pBuckets = sized(pBuckets, np);
        pBucketsDelta = sized(pBucketsDelta, np);
        nBuckets = sized(nBuckets, nn);
        nBucketsDelta = sized(nBucketsDelta, nn);
        t = HistogramCoding.readVarbitInt(br);
        cnt = HistogramCoding.readVarbitUint(br);
        zCnt = HistogramCoding.readVarbitUint(br);
        sum[0] = br.readBits(64);
        for (int i = 0; i < np; i++) {
            pBuckets[i] = HistogramCoding.readVarbitInt(br);
        }
        for (int i = 0; i < nn; i++) {
            nBuckets[i] = HistogramCoding.readVarbitInt(br);
        }
    }

    private static long[] sized(long[] a, int n) {
        if (a.length != n) {
            return n == 0 ? NO_LONGS : new long[n];
        }
        java.util.Arrays.fill(a, 0);
        return a;
    }

    private void readNext() throws CorruptionException {
        tDelta += HistogramCoding.readVarbitInt(br);
        t += tDelta;
        cntDelta += HistogramCoding.readVarbitInt(br);
        cnt += cntDelta;
        zCntDelta += HistogramCoding.readVarbitInt(br);
        zCnt += zCntDelta;
        HistogramCoding.xorRead(br, sum, window, 0);
        if (StaleNaN.is(Double.longBitsToDouble(sum[0]))) {
            return; // a stale marker carries no buckets
        }
        for (int i = 0; i < pBuckets.length; i++) {
            pBucketsDelta[i] += HistogramCoding.readVarbitInt(br);
            pBuckets[i] += pBucketsDelta[i];
        }
        for (int i = 0; i < nBuckets.length; i++) {
            nBucketsDelta[i] += HistogramCoding.readVarbitInt(br);
            nBuckets[i] += nBucketsDelta[i];
        }
    }

    @Override
    public int seek(long target) {
        if (err != null || done) {
            return ValueType.NONE;
        }
        while (numRead == 0 || t < target) {
            if (next() == ValueType.NONE) {
                return ValueType.NONE;
            }
        }
        return ValueType.HISTOGRAM;
    }

    @Override
    public long atT() {
        return t;
    }

    @Override
    public double atV() {
        throw new UnsupportedOperationException("atV on a histogram sample");
    }

    /** Prometheus's hint for the sample just read, from the chunk header and the position. */
    static int hint(int header, int numRead) {
        if (header == HistogramChunk.HEADER_GAUGE) {
            return CounterResetHint.GAUGE;
        }
        if (numRead > 1) {
            return CounterResetHint.NOT_COUNTER_RESET;
        }
        return CounterResetHint.UNKNOWN;
    }

    double sumValue() {
        return Double.longBitsToDouble(sum[0]);
    }

    @Override
    public Histogram atHistogram(Histogram reuse) {
        Histogram h = reuse != null ? reuse : new Histogram();
        double s = sumValue();
        if (StaleNaN.is(s)) {
            Histogram.staleMarker().copyInto(h);
            return h;
        }
        h.counterResetHint = hint(header, numRead);
        h.schema = schema;
        h.zeroThreshold = zThreshold;
        h.zeroCount = zCnt;
        h.count = cnt;
        h.sum = s;
        h.positiveSpans = copy(pSpans, h.positiveSpans);
        h.negativeSpans = copy(nSpans, h.negativeSpans);
        h.positiveBuckets = copy(pBuckets, h.positiveBuckets);
        h.negativeBuckets = copy(nBuckets, h.negativeBuckets);
        h.customValues = customValues;
        if (schema > Schemas.EXPONENTIAL_MAX) {
            h.reduceResolution(Schemas.EXPONENTIAL_MAX); // written by a newer Prometheus with finer schemas
        }
        return h;
    }

    @Override
    public FloatHistogram atFloatHistogram(FloatHistogram reuse) {
        FloatHistogram f = reuse != null ? reuse : new FloatHistogram();
        double s = sumValue();
        if (StaleNaN.is(s)) {
            FloatHistogram.staleMarker().copyInto(f);
            return f;
        }
        f.counterResetHint = hint(header, numRead);
        f.schema = schema;
        f.zeroThreshold = zThreshold;
        f.zeroCount = zCnt;
        f.count = cnt;
        f.sum = s;
        f.positiveSpans = copy(pSpans, f.positiveSpans);
        f.negativeSpans = copy(nSpans, f.negativeSpans);
        f.positiveBuckets = cumulative(pBuckets, f.positiveBuckets);
        f.negativeBuckets = cumulative(nBuckets, f.negativeBuckets);
        f.customValues = customValues;
        if (schema > Schemas.EXPONENTIAL_MAX) {
            f.reduceResolution(Schemas.EXPONENTIAL_MAX);
        }
        return f;
    }

    static int[] copy(int[] src, int[] dst) {
        if (src.length == 0) {
            return Spans.NONE;
        }
        if (dst == null || dst.length != src.length || dst == Spans.NONE) {
            dst = new int[src.length];
        }
        System.arraycopy(src, 0, dst, 0, src.length);
        return dst;
    }

    private static long[] copy(long[] src, long[] dst) {
        if (src.length == 0) {
            return NO_LONGS;
        }
        if (dst == null || dst.length != src.length) {
            dst = new long[src.length];
        }
        System.arraycopy(src, 0, dst, 0, src.length);
        return dst;
    }

    private static double[] cumulative(long[] deltas, double[] dst) {
        if (deltas.length == 0) {
            return new double[0];
        }
        if (dst == null || dst.length != deltas.length) {
            dst = new double[deltas.length];
        }
        long cur = 0;
        for (int i = 0; i < deltas.length; i++) {
            cur += deltas[i];
            dst[i] = cur;
        }
        return dst;
    }

    @Override
    public Exception err() {
        return err;
    }
}
