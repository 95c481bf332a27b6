package io.specula.model.histogram;

import io.specula.model.value.StaleNaN;
import java.util.Arrays;

/**
 * A native histogram with integer counts, as instrumented code exposes it and histogram chunks
 * store it. Bucket counts are delta-encoded: each entry of {@link #positiveBuckets} and
 * {@link #negativeBuckets} is the difference to the previous bucket of the same side (the first
 * is absolute). Counts are unsigned 64-bit in Prometheus; they are kept in {@code long}s and
 * read as unsigned where converted to floating point.
 *
 * <p>A mutable value with public fields, like Prometheus's struct (see {@link FloatHistogram}
 * for the rationale and the array ownership rules). Not thread-safe.
 */
public final class Histogram {
    static final long[] NO_LONGS = new long[0];

    /** One of the {@link CounterResetHint} constants. */
    public int counterResetHint;
    public int schema;
    public double zeroThreshold;
    public long zeroCount;
    public long count;
    public double sum;
    public int[] positiveSpans = Spans.NONE;
    public int[] negativeSpans = Spans.NONE;
    /** Delta-encoded counts of the positive buckets. */
    public long[] positiveBuckets = NO_LONGS;
    /** Delta-encoded counts of the negative buckets. */
    public long[] negativeBuckets = NO_LONGS;
    /** Upper bounds of the custom buckets (schema -53) without the implicit +Inf; empty otherwise. */
    public double[] customValues = FloatHistogram.NO_DOUBLES;

    public Histogram() {}

    /** The histogram stale marker: no buckets, the staleness NaN as sum. */
    public static Histogram staleMarker() {
        Histogram h = new Histogram();
        h.sum = StaleNaN.VALUE;
        return h;
    }

    public boolean isStale() {
        return StaleNaN.is(sum);
    }

    public boolean usesCustomBuckets() {
        return Schemas.isCustomBuckets(schema);
    }

    public Histogram copy() {
        return copyInto(new Histogram());
    }

    /** Copies into {@code dst}, reusing its arrays where the sizes fit; returns {@code dst}. */
    public Histogram copyInto(Histogram dst) {
        dst.counterResetHint = counterResetHint;
        dst.schema = schema;
        dst.zeroThreshold = zeroThreshold;
        dst.zeroCount = zeroCount;
        dst.count = count;
        dst.sum = sum;
        dst.positiveSpans = FloatHistogram.copyInts(positiveSpans, dst.positiveSpans);
        dst.negativeSpans = FloatHistogram.copyInts(negativeSpans, dst.negativeSpans);
        dst.positiveBuckets = copyLongs(positiveBuckets, dst.positiveBuckets);
        dst.negativeBuckets = copyLongs(negativeBuckets, dst.negativeBuckets);
        dst.customValues = customValues;
        return dst;
    }

    private static long[] copyLongs(long[] src, long[] dst) {
        if (src.length == 0) {
            return NO_LONGS;
        }
        if (dst == null || dst.length != src.length) {
            return src.clone();
        }
        System.arraycopy(src, 0, dst, 0, src.length);
        return dst;
    }

    /** An unsigned 64-bit count as a double. */
    static double unsigned(long v) {
        if (v >= 0) {
            return v;
        }
        return ((v >>> 1) | (v & 1)) * 2.0;
    }

    /** This histogram with absolute float counts, written into {@code reuse} when not null. */
    public FloatHistogram toFloat(FloatHistogram reuse) {
        FloatHistogram f = reuse != null ? reuse : new FloatHistogram();
        f.counterResetHint = counterResetHint;
        f.schema = schema;
        f.zeroThreshold = zeroThreshold;
        f.zeroCount = unsigned(zeroCount);
        f.count = unsigned(count);
        f.sum = sum;
        f.positiveSpans = FloatHistogram.copyInts(positiveSpans, f.positiveSpans);
        f.negativeSpans = FloatHistogram.copyInts(negativeSpans, f.negativeSpans);
        f.positiveBuckets = absolute(positiveBuckets, f.positiveBuckets);
        f.negativeBuckets = absolute(negativeBuckets, f.negativeBuckets);
        f.customValues = customValues;
        return f;
    }

    private static double[] absolute(long[] deltas, double[] reuse) {
        if (deltas.length == 0) {
            return FloatHistogram.NO_DOUBLES;
        }
        double[] out = reuse != null && reuse.length == deltas.length ? reuse : new double[deltas.length];
        long cur = 0;
        for (int i = 0; i < deltas.length; i++) {
            cur += deltas[i];
            out[i] = cur;
        }
        return out;
    }

    /** Exact equality as Prometheus's {@code Equals} (the counter-reset hint is not compared). */
    public boolean equals(Histogram o) {
        if (o == null) {
            return false;
        }
        if (schema != o.schema || zeroThreshold != o.zeroThreshold || zeroCount != o.zeroCount || count != o.count
                || !(sum == o.sum || Double.doubleToRawLongBits(sum) == Double.doubleToRawLongBits(o.sum))) {
            return false;
        }
        if (usesCustomBuckets() && !Schemas.customBoundsMatch(customValues, o.customValues)) {
            return false;
        }
        return Spans.sameLayout(positiveSpans, o.positiveSpans) && Arrays.equals(positiveBuckets, o.positiveBuckets)
                && Spans.sameLayout(negativeSpans, o.negativeSpans) && Arrays.equals(negativeBuckets, o.negativeBuckets);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Histogram h && equals(h);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(count) * 31 + Double.hashCode(sum);
    }

    /** Like {@link FloatHistogram#compact}, on the delta-encoded counts; in place, returns this. */
    public Histogram compact(int maxEmptyBuckets) {
        Object[] p = compactSide(positiveSpans, positiveBuckets, maxEmptyBuckets);
        positiveSpans = (int[]) p[0];
        positiveBuckets = (long[]) p[1];
        Object[] n = compactSide(negativeSpans, negativeBuckets, maxEmptyBuckets);
        negativeSpans = (int[]) n[0];
        negativeBuckets = (long[]) n[1];
        return this;
    }

    private static Object[] compactSide(int[] spans, long[] deltas, int maxEmpty) {
        int[] idx = Spans.indexes(spans, null);
        long[] abs = new long[deltas.length];
        long cur = 0;
        int n = 0;
        for (int i = 0; i < deltas.length; i++) {
            cur += deltas[i];
            if (cur != 0) {
                idx[n] = idx[i];
                abs[n] = cur;
                n++;
            }
        }
        Spans.Builder sb = new Spans.Builder();
        long[] out = new long[deltas.length + gapTotal(idx, n, maxEmpty)];
        int o = 0;
        long prev = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                int gap = idx[i] - idx[i - 1] - 1;
                if (gap > 0 && gap <= maxEmpty) {
                    for (int g = 1; g <= gap; g++) {
                        sb.add(idx[i - 1] + g);
                        out[o++] = -prev;
                        prev = 0;
                    }
                }
            }
            sb.add(idx[i]);
            out[o++] = abs[i] - prev;
            prev = abs[i];
        }
        return new Object[] {sb.build(), o == 0 ? NO_LONGS : Arrays.copyOf(out, o)};
    }

    private static int gapTotal(int[] idx, int n, int maxEmpty) {
        int extra = 0;
        for (int i = 1; i < n; i++) {
            int gap = idx[i] - idx[i - 1] - 1;
            if (gap > 0 && gap <= maxEmpty) {
                extra += gap;
            }
        }
        return extra;
    }

    /**
     * Lowers the resolution to {@code targetSchema} (≤ the current one), merging buckets, in
     * place; returns this. Custom-bucket histograms are left unchanged.
     */
    public Histogram reduceResolution(int targetSchema) {
        if (usesCustomBuckets() || targetSchema == schema) {
            return this;
        }
        if (targetSchema > schema) {
            throw new IllegalArgumentException("cannot reduce resolution from schema " + schema + " to " + targetSchema);
        }
        Object[] p = reduceSide(positiveSpans, positiveBuckets, schema, targetSchema);
        positiveSpans = (int[]) p[0];
        positiveBuckets = (long[]) p[1];
        Object[] n = reduceSide(negativeSpans, negativeBuckets, schema, targetSchema);
        negativeSpans = (int[]) n[0];
        negativeBuckets = (long[]) n[1];
        schema = targetSchema;
        return this;
    }

    private static Object[] reduceSide(int[] spans, long[] deltas, int schema, int target) {
        int[] idx = Spans.indexes(spans, null);
        long[] abs = new long[deltas.length];
        int n = 0;
        long cur = 0;
        int lastT = 0;
        Spans.Builder sb = new Spans.Builder();
        for (int i = 0; i < deltas.length; i++) {
            cur += deltas[i];
            int t = Schemas.targetIndex(idx[i], schema, target);
            if (n > 0 && t == lastT) {
                abs[n - 1] += cur;
            } else {
                sb.add(t);
                abs[n++] = cur;
                lastT = t;
            }
        }
        long[] out = new long[n];
        long prev = 0;
        for (int i = 0; i < n; i++) {
            out[i] = abs[i] - prev;
            prev = abs[i];
        }
        return new Object[] {sb.build(), n == 0 ? NO_LONGS : out};
    }

    /**
     * Checks the histogram's consistency with Prometheus's rules and messages.
     *
     * @throws HistogramException naming the first problem
     */
    public void validate() {
        if (usesCustomBuckets()) {
            Validation.customBounds(customValues, positiveSpans, positiveBuckets.length);
            if (zeroCount != 0) {
                throw new HistogramException(HistogramException.Kind.CUSTOM_BUCKETS_ZERO_COUNT);
            }
            if (zeroThreshold != 0) {
                throw new HistogramException(HistogramException.Kind.CUSTOM_BUCKETS_ZERO_THRESHOLD);
            }
            if (negativeSpans.length > 0) {
                throw new HistogramException(HistogramException.Kind.CUSTOM_BUCKETS_NEGATIVE_SPANS);
            }
            if (negativeBuckets.length > 0) {
                throw new HistogramException(HistogramException.Kind.CUSTOM_BUCKETS_NEGATIVE_BUCKETS);
            }
        } else {
            if (!Schemas.isExponential(schema)) {
                throw HistogramException.invalidSchema(schema);
            }
            if (customValues.length > 0) {
                throw new HistogramException(HistogramException.Kind.EXPONENTIAL_CUSTOM_BOUNDS);
            }
            Validation.spans(negativeSpans, negativeBuckets.length, "negative side");
            Validation.spans(positiveSpans, positiveBuckets.length, "positive side");
        }
        long nCount = Validation.deltaBuckets(negativeBuckets, "negative side");
        long pCount = Validation.deltaBuckets(positiveBuckets, "positive side");
        long inBuckets = nCount + pCount + zeroCount;
        if (Double.isNaN(sum)) {
            if (Long.compareUnsigned(inBuckets, count) > 0) {
                throw new HistogramException(HistogramException.Kind.COUNT_NOT_BIG_ENOUGH,
                        Long.toUnsignedString(inBuckets) + " observations found in buckets, but the Count field is " + Long.toUnsignedString(count));
            }
        } else if (inBuckets != count) {
            throw new HistogramException(HistogramException.Kind.COUNT_MISMATCH,
                    Long.toUnsignedString(inBuckets) + " observations found in buckets, but the Count field is " + Long.toUnsignedString(count));
        }
    }

    /** Prometheus's {@code String()}, with integer counts: {@code {count:5, sum:10, (1,2]:3}}. */
    @Override
    public String toString() {
        FloatHistogram f = toFloat(null);
        StringBuilder sb = new StringBuilder("{count:").append(Long.toUnsignedString(count))
                .append(", sum:").append(io.specula.model.exposition.GoFloat.format(sum));
        java.util.List<String> neg = new java.util.ArrayList<>();
        BucketIterator it = f.negativeBuckets(null);
        while (it.next()) {
            if (it.count != 0) {
                neg.add(FloatHistogram.bucketString(it.lower, it.upper, it.lowerInclusive, it.upperInclusive, Long.toString((long) it.count)));
            }
        }
        for (int i = neg.size() - 1; i >= 0; i--) {
            sb.append(", ").append(neg.get(i));
        }
        if (zeroCount != 0) {
            sb.append(", ").append(FloatHistogram.bucketString(-zeroThreshold, zeroThreshold, true, true, Long.toUnsignedString(zeroCount)));
        }
        it = f.positiveBuckets(it);
        while (it.next()) {
            if (it.count != 0) {
                sb.append(", ").append(FloatHistogram.bucketString(it.lower, it.upper, it.lowerInclusive, it.upperInclusive, Long.toString((long) it.count)));
            }
        }
        return sb.append('}').toString();
    }
}
