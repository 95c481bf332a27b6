package io.specula.promql.engine;

import io.specula.model.histogram.BucketIterator;
import io.specula.model.histogram.FloatHistogram;

/**
 * The trim operators: {@code h </ x} keeps the observations below {@code x}, {@code h >/ x}
 * those above. A bucket the bound cuts keeps the share of its count on the kept side,
 * interpolated exponentially in an exponential bucket and linearly in a custom bucket or the
 * zero bucket (which counts as [0, t] when only positive buckets exist, [-t, 0] when only
 * negative ones). The sum is re-estimated from what is kept (each kept range at its
 * geometric mean, arithmetic for custom buckets and the zero bucket) unless nothing is cut.
 */
final class HistogramTrim {
    private HistogramTrim() {}

    static FloatHistogram trim(FloatHistogram in, double bound, boolean keepBelow) {
        FloatHistogram h = in.copy();
        boolean custom = h.usesCustomBuckets();
        boolean cut = false;
        double count = 0;
        double sum = 0;
        BucketIterator it = new BucketIterator();
        // Positive and negative buckets: scaled in place, side by side with their arrays.
        for (int side = 0; side < 2; side++) {
            double[] counts = side == 0 ? h.positiveBuckets : h.negativeBuckets;
            if (side == 0) {
                h.positiveBuckets(it);
            } else {
                h.negativeBuckets(it);
            }
            int k = 0;
            while (it.next()) {
                double lower = it.lower;
                double upper = it.upper;
                double[] kept;
                if (custom && lower == Double.NEGATIVE_INFINITY && upper == Double.POSITIVE_INFINITY) {
                    // The only bucket spans everything: no share of it can be placed on either side of
                    // a finite bound, so it stays only when the bound keeps everything (Prometheus).
                    boolean all = keepBelow ? bound == Double.POSITIVE_INFINITY : bound == Double.NEGATIVE_INFINITY;
                    kept = all ? new double[] {1, lower, upper} : new double[] {0, lower, lower};
                } else if (custom && lower == Double.NEGATIVE_INFINITY && upper > 0) {
                    // The first custom bucket reaching above zero counts as [0, upper]; trimming away
                    // what lies above a negative bound drops it, as in Prometheus.
                    kept = !keepBelow && bound < 0 && bound != Double.NEGATIVE_INFINITY ? new double[] {0, lower, lower} : keep(0, upper, bound, keepBelow, false);
                } else {
                    kept = keep(lower, upper, bound, keepBelow, !custom);
                }
                double c = counts[k];
                if (kept[0] != 1) {
                    cut |= c != 0;
                }
                counts[k] = c * kept[0];
                count += counts[k];
                if (counts[k] != 0) {
                    sum += counts[k] * representative(kept[1], kept[2], !custom);
                }
                k++;
            }
        }
        if (h.zeroCount != 0 || h.zeroThreshold != 0) {
            double lower = -h.zeroThreshold;
            double upper = h.zeroThreshold;
            if (h.negativeBuckets.length == 0 && h.positiveBuckets.length > 0) {
                lower = 0;
            } else if (h.positiveBuckets.length == 0 && h.negativeBuckets.length > 0) {
                upper = 0;
            }
            double[] kept = keep(lower, upper, bound, keepBelow, false);
            if (kept[0] != 1) {
                cut |= h.zeroCount != 0;
            }
            h.zeroCount *= kept[0];
            count += h.zeroCount;
            if (h.zeroCount != 0) {
                sum += h.zeroCount * (kept[1] + kept[2]) / 2;
            }
        }
        if (cut) {
            h.count = count;
            h.sum = sum;
        }
        return h;
    }

    /**
     * {fraction kept, kept lower, kept upper} of the bucket [lower, upper]; exponential
     * interpolation when {@code exponential} and the bucket does not touch zero.
     */
    private static double[] keep(double lower, double upper, double bound, boolean keepBelow, boolean exponential) {
        if (keepBelow) {
            if (upper <= bound) {
                return new double[] {1, lower, upper};
            }
            if (lower >= bound) {
                return new double[] {0, lower, lower};
            }
            return new double[] {fraction(lower, upper, bound, exponential), lower, bound};
        }
        if (lower >= bound) {
            return new double[] {1, lower, upper};
        }
        if (upper <= bound) {
            return new double[] {0, upper, upper};
        }
        return new double[] {1 - fraction(lower, upper, bound, exponential), bound, upper};
    }

    /** The share of [lower, upper] below {@code x}. */
    private static double fraction(double lower, double upper, double x, boolean exponential) {
        if (exponential && lower > 0) {
            double ll = NativeHistograms.log2(lower);
            return (NativeHistograms.log2(x) - ll) / (NativeHistograms.log2(upper) - ll);
        }
        if (exponential && upper < 0) {
            double lu = NativeHistograms.log2(-upper);
            return 1 - (NativeHistograms.log2(-x) - lu) / (NativeHistograms.log2(-lower) - lu);
        }
        if (Double.isInfinite(lower) || Double.isInfinite(upper)) {
            return Double.isInfinite(upper) ? 0 : 1;
        }
        return (x - lower) / (upper - lower);
    }

    private static double representative(double lower, double upper, boolean exponential) {
        if (exponential && lower * upper > 0) {
            double g = Math.sqrt(lower * upper);
            return upper < 0 ? -g : g;
        }
        if (Double.isInfinite(upper)) {
            return lower;
        }
        if (Double.isInfinite(lower)) {
            return upper;
        }
        return (lower + upper) / 2;
    }
}
