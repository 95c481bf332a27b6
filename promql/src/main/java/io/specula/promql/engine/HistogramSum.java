package io.specula.promql.engine;

import io.specula.model.histogram.FloatHistogram;

/**
 * A running sum of native histograms whose count and sum are compensated (Kahan-Neumaier, as
 * Prometheus sums them), so that {@code 1e100 + 1 - 1e100} keeps the 1. Bucket counts are
 * added plainly. Not thread-safe.
 */
final class HistogramSum {
    private FloatHistogram h;
    private double cCount;
    private double cSum;
    /** Flags of {@link FloatHistogram#add} collected over all additions. */
    int flags;

    /** Adds {@code x} (not modified); the first one is copied. */
    void add(FloatHistogram x) {
        if (h == null) {
            h = x.copy();
            return;
        }
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
        return h == null;
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
}
