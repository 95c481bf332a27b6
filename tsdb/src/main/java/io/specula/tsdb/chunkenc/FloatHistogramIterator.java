package io.specula.tsdb.chunkenc;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Schemas;
import io.specula.model.histogram.Spans;
import io.specula.model.value.StaleNaN;
import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.ValueType;

/**
 * Decodes a {@link FloatHistogramChunk}: per-field value bits and XOR windows in primitive
 * arrays sized once per chunk, so {@link #next()} allocates nothing. Not thread-safe.
 */
final class FloatHistogramIterator implements SampleIterator {
    private static final int CNT = 0;
    private static final int ZCNT = 1;
    private static final int SUM = 2;
    /** Buckets start at this slot of {@link #bits}/{@link #windows}: positive, then negative. */
    private static final int BUCKETS = 3;

    private final BitReader br = new BitReader();
    private int numTotal;
    private int numRead;
    private int header;
    private Exception err;
    private boolean done;

    int schema;
    double zThreshold;
    int[] pSpans = Spans.NONE;
    int[] nSpans = Spans.NONE;
    double[] customValues = new double[0];
    int numPositive;
    int numNegative;

    long t;
    long tDelta;
    /** Value bits of count, zero count, sum, then every bucket. */
    long[] bits = new long[BUCKETS];
    /** XOR windows (leading << 8 | trailing) of the same fields. */
    int[] windows = new int[BUCKETS];

    void reset(byte[] b, int length) {
        numRead = 0;
        t = Long.MIN_VALUE;
        tDelta = 0;
        java.util.Arrays.fill(bits, 0);
        java.util.Arrays.fill(windows, 0);
        err = null;
        done = false;
        if (length < FloatHistogramChunk.HEADER_SIZE) {
            numTotal = 0;
            br.reset(b, 0, 0);
            err = new CorruptionException("<chunk>", 0, "float histogram chunk of " + length + " bytes has no header");
            return;
        }
        numTotal = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
        header = b[2] & HistogramChunk.HEADER_MASK;
        br.reset(b, FloatHistogramChunk.HEADER_SIZE, length);
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
        return ValueType.FLOAT_HISTOGRAM;
    }

    private void readFirst() throws CorruptionException {
        zThreshold = HistogramCoding.readZeroThreshold(br);
        schema = (int) HistogramCoding.readVarbitInt(br);
        pSpans = HistogramCoding.readSpans(br);
        nSpans = HistogramCoding.readSpans(br);
        customValues = Schemas.isCustomBuckets(schema) ? HistogramCoding.readCustomBounds(br) : new double[0];
        if (!Schemas.isKnown(schema)) {
            throw new CorruptionException("<chunk>", br.bitPosition() >>> 3,
                    "histogram has an unknown schema, which must be between -9 and 52 for exponential buckets, or -53 for custom buckets, got schema " + schema);
        }
        numPositive = Spans.bucketCount(pSpans);
        numNegative = Spans.bucketCount(nSpans);
        int n = BUCKETS + numPositive + numNegative;
        if (bits.length != n) {
            bits = new long[n];
            windows = new int[n];
        }
        t = HistogramCoding.readVarbitInt(br);
        for (int i = 0; i < n; i++) {
            bits[i] = br.readBits(64);
            windows[i] = 0;
        }
    }

    private void readNext() throws CorruptionException {
        tDelta += HistogramCoding.readVarbitInt(br);
        t += tDelta;
        HistogramCoding.xorRead(br, bits, windows, CNT);
        HistogramCoding.xorRead(br, bits, windows, ZCNT);
        HistogramCoding.xorRead(br, bits, windows, SUM);
        if (StaleNaN.is(Double.longBitsToDouble(bits[SUM]))) {
            return;
        }
        for (int i = BUCKETS; i < bits.length; i++) {
            HistogramCoding.xorRead(br, bits, windows, i);
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
        return ValueType.FLOAT_HISTOGRAM;
    }

    @Override
    public long atT() {
        return t;
    }

    @Override
    public double atV() {
        throw new UnsupportedOperationException("atV on a float histogram sample");
    }

    @Override
    public FloatHistogram atFloatHistogram(FloatHistogram reuse) {
        FloatHistogram f = reuse != null ? reuse : new FloatHistogram();
        double sum = Double.longBitsToDouble(bits[SUM]);
        if (StaleNaN.is(sum)) {
            FloatHistogram.staleMarker().copyInto(f);
            return f;
        }
        f.counterResetHint = HistogramIterator.hint(header, numRead);
        f.schema = schema;
        f.zeroThreshold = zThreshold;
        f.count = Double.longBitsToDouble(bits[CNT]);
        f.zeroCount = Double.longBitsToDouble(bits[ZCNT]);
        f.sum = sum;
        f.positiveSpans = HistogramIterator.copy(pSpans, f.positiveSpans);
        f.negativeSpans = HistogramIterator.copy(nSpans, f.negativeSpans);
        f.positiveBuckets = values(BUCKETS, numPositive, f.positiveBuckets);
        f.negativeBuckets = values(BUCKETS + numPositive, numNegative, f.negativeBuckets);
        f.customValues = customValues;
        if (schema > Schemas.EXPONENTIAL_MAX) {
            f.reduceResolution(Schemas.EXPONENTIAL_MAX);
        }
        return f;
    }

    private double[] values(int from, int n, double[] dst) {
        if (n == 0) {
            return new double[0];
        }
        if (dst == null || dst.length != n) {
            dst = new double[n];
        }
        for (int i = 0; i < n; i++) {
            dst[i] = Double.longBitsToDouble(bits[from + i]);
        }
        return dst;
    }

    @Override
    public Exception err() {
        return err;
    }
}
