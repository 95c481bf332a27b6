package io.specula.promql.engine;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Spans;
import java.util.Map;
import java.util.TreeMap;

/**
 * A running sum of native histograms whose count and sum are compensated (Kahan-Neumaier, as
 * Prometheus sums them), so that {@code 1e100 + 1 - 1e100} keeps the 1. Bucket counts are
 * added plainly. For a mean ({@link #HistogramSum(boolean)}), once the sum would overflow it
 * switches, as Prometheus does, to an incremental mean whose every field and bucket carries
 * its own compensation. Not thread-safe.
 */
final class HistogramSum {
    private final boolean forMean;
    private FloatHistogram h;
    private double cCount;
    private double cSum;
    /** Inputs added so far (for the mean). */
    private int n;
    /** In incremental-mean mode: the mean and, bucket by bucket, its compensation. */
    private FloatHistogram mean, comp;
    /** Flags of {@link FloatHistogram#add} collected over all additions. */
    int flags;

    HistogramSum() {
        this(false);
    }

    /** @param forMean whether {@link #mean()} will be asked for (which may switch to an incremental mean) */
    HistogramSum(boolean forMean) {
        this.forMean = forMean;
    }

    /** Adds {@code x} (not modified); the first one is copied. */
    void add(FloatHistogram x) {
        n++;
        if (mean != null) {
            addToMean(x);
            return;
        }
        if (h == null) {
            h = x.copy();
            return;
        }
        if (forMean && mightOverflow(h, x)) {
            FloatHistogram before = h.copy();
            double beforeCount = cCount, beforeSum = cSum;
            plainAdd(x);
            if (hasOverflow(h)) {
                // Continue from the mean of the inputs before this one, as for floats.
                mean = before.div(n - 1);
                comp = zeroed(mean);
                comp.count = beforeCount / (n - 1);
                comp.sum = beforeSum / (n - 1);
                h = null;
                addToMean(x);
            }
            return;
        }
        plainAdd(x);
    }

    private void plainAdd(FloatHistogram x) {
        double count = h.count;
        double sum = h.sum;
        flags |= h.add(x);
        double t = count + x.count;
        cCount = compensation(count, x.count, t, cCount);
        h.count = t;
        t = sum + x.sum;
        cSum = compensation(sum, x.sum, t, cSum);
        h.sum = t;
    }

    /** mean = mean * (n-1)/n + x/n, compensated field by field and bucket by bucket. */
    private void addToMean(FloatHistogram x) {
        double q = (n - 1) / (double) n;
        mean.mul(q);
        comp.mul(q);
        FloatHistogram add = x.copy().div(n);
        // One layout for all three: adding an emptied copy reconciles schema, zero bucket and custom bounds.
        flags |= mean.add(zeroed(add));
        comp.add(zeroed(mean));
        add.add(zeroed(mean));
        double t = mean.count + add.count;
        comp.count = compensation(mean.count, add.count, t, comp.count);
        mean.count = t;
        t = mean.sum + add.sum;
        comp.sum = compensation(mean.sum, add.sum, t, comp.sum);
        mean.sum = t;
        t = mean.zeroCount + add.zeroCount;
        comp.zeroCount = compensation(mean.zeroCount, add.zeroCount, t, comp.zeroCount);
        mean.zeroCount = t;
        addBuckets(true, add);
        addBuckets(false, add);
    }

    private void addBuckets(boolean positive, FloatHistogram add) {
        // index -> {mean, compensation}
        TreeMap<Integer, double[]> m = new TreeMap<>();
        collect(m, positive ? mean.positiveSpans : mean.negativeSpans, positive ? mean.positiveBuckets : mean.negativeBuckets, 0);
        collect(m, positive ? comp.positiveSpans : comp.negativeSpans, positive ? comp.positiveBuckets : comp.negativeBuckets, 1);
        int[] idx = Spans.indexes(positive ? add.positiveSpans : add.negativeSpans, null);
        double[] b = positive ? add.positiveBuckets : add.negativeBuckets;
        for (int i = 0; i < b.length; i++) {
            double[] e = m.computeIfAbsent(idx[i], k -> new double[2]);
            double t = e[0] + b[i];
            e[1] = compensation(e[0], b[i], t, e[1]);
            e[0] = t;
        }
        int[] spans = spansOf(m);
        double[] mb = new double[m.size()], cb = new double[m.size()];
        int i = 0;
        for (double[] e : m.values()) {
            mb[i] = e[0];
            cb[i++] = e[1];
        }
        if (positive) {
            mean.positiveSpans = spans;
            mean.positiveBuckets = mb;
            comp.positiveSpans = spans;
            comp.positiveBuckets = cb;
        } else {
            mean.negativeSpans = spans;
            mean.negativeBuckets = mb;
            comp.negativeSpans = spans;
            comp.negativeBuckets = cb;
        }
    }

    private static void collect(TreeMap<Integer, double[]> m, int[] spans, double[] buckets, int slot) {
        int[] idx = Spans.indexes(spans, null);
        for (int i = 0; i < buckets.length; i++) {
            m.computeIfAbsent(idx[i], k -> new double[2])[slot] += buckets[i];
        }
    }

    /** Spans for the sorted bucket indexes of {@code m}, one span per run of consecutive indexes. */
    private static int[] spansOf(TreeMap<Integer, double[]> m) {
        int[] out = new int[2 * m.size()];
        int k = -2;
        int next = 0;
        for (Map.Entry<Integer, double[]> e : m.entrySet()) {
            int idx = e.getKey();
            if (k >= 0 && idx == next) {
                out[k + 1]++;
            } else {
                k += 2;
                out[k] = k == 0 ? idx : idx - next;
                out[k + 1] = 1;
            }
            next = idx + 1;
        }
        return java.util.Arrays.copyOf(out, k + 2);
    }

    /** A copy of {@code x}'s layout with every count and the sum zero (its hint kept). */
    private static FloatHistogram zeroed(FloatHistogram x) {
        FloatHistogram z = x.copy();
        z.count = 0;
        z.sum = 0;
        z.zeroCount = 0;
        java.util.Arrays.fill(z.positiveBuckets, 0);
        java.util.Arrays.fill(z.negativeBuckets, 0);
        return z;
    }

    /** Cheap test whether {@code a + b} could overflow somewhere (then the exact test runs). */
    private static boolean mightOverflow(FloatHistogram a, FloatHistogram b) {
        return Double.isInfinite(a.count + b.count) || Double.isInfinite(a.sum + b.sum)
                || Double.isInfinite(a.zeroCount + b.zeroCount) || Double.isInfinite(maxAbs(a) + maxAbs(b));
    }

    private static double maxAbs(FloatHistogram h) {
        double m = 0;
        for (double v : h.positiveBuckets) {
            m = Math.max(m, Math.abs(v));
        }
        for (double v : h.negativeBuckets) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static boolean hasOverflow(FloatHistogram h) {
        return Double.isInfinite(h.count) || Double.isInfinite(h.sum) || Double.isInfinite(h.zeroCount)
                || Double.isInfinite(maxAbs(h));
    }

    private static double compensation(double sum, double inc, double t, double c) {
        if (Double.isInfinite(t)) {
            return 0;
        }
        if (Math.abs(sum) >= Math.abs(inc)) {
            return c + ((sum - t) + inc);
        }
        return c + ((inc - t) + sum);
    }

    boolean isEmpty() {
        return n == 0;
    }

    /** The sum so far with its compensation applied; the sum must not be added to afterwards. */
    FloatHistogram result() {
        if (!Double.isInfinite(h.count)) {
            h.count += cCount;
        }
        if (!Double.isInfinite(h.sum)) {
            h.sum += cSum;
        }
        return h;
    }

    /** The mean of everything added (needs {@code forMean}); nothing may be added afterwards. */
    FloatHistogram mean() {
        if (mean == null) {
            return result().div(n);
        }
        int hint = mean.counterResetHint;
        mean.add(comp);
        mean.counterResetHint = hint;
        return mean;
    }
}
