package io.specula.promql.engine;

import io.specula.model.histogram.BucketIterator;
import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Schemas;

/**
 * PromQL's estimates over one native histogram ({@code histogram_quantile},
 * {@code histogram_fraction}, {@code histogram_stddev}/{@code histogram_stdvar}), with
 * Prometheus 3's interpolation: linear within custom buckets and the zero bucket, exponential
 * (linear on a log2 scale) within exponential buckets. Stateless apart from a reusable bucket
 * buffer; one instance per evaluating thread.
 */
public final class NativeHistograms {
    private final BucketIterator it = new BucketIterator();
    // All bucket counts of the histogram in bound order, with where each bucket is, so that a
    // quantile can be located from either end before any bound is computed.
    private double[] counts = new double[64];
    private int[] indexes = new int[64];
    private byte[] sides = new byte[64];

    /**
     * The {@code q}-quantile: -Inf below 0, +Inf above 1, NaN for NaN or an empty histogram.
     * Quantiles from 0.5 up are located from the highest bucket down (more precise for high
     * quantiles), unless the sum is NaN (NaN observations count without a bucket).
     */
    public double quantile(double q, FloatHistogram h) {
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        if (h.count == 0 || Double.isNaN(q)) {
            return Double.NaN;
        }
        int n = collectCounts(h);
        boolean forward = Double.isNaN(h.sum) || q < 0.5;
        double rank = forward ? q * h.count : (1 - q) * h.count;
        double count = 0;
        int found = -1;
        for (int k = 0; k < n; k++) {
            int i = forward ? k : n - 1 - k;
            if (counts[i] == 0) {
                continue;
            }
            found = i;
            count += counts[i];
            if (count >= rank) {
                break;
            }
        }
        if (found < 0) {
            return Double.NaN; // no populated bucket: only NaN observations
        }
        // Bounds only for the bucket the rank falls into: computing them is most of the cost.
        double bucketCount = counts[found];
        double lower;
        double upper;
        int idx = indexes[found];
        switch (sides[found]) {
            case 1 -> {
                upper = Schemas.bound(idx, h.schema, h.customValues);
                lower = Schemas.bound(idx - 1, h.schema, h.customValues);
            }
            case -1 -> {
                lower = -Schemas.bound(idx, h.schema, h.customValues);
                upper = -Schemas.bound(idx - 1, h.schema, h.customValues);
            }
            default -> {
                lower = -h.zeroThreshold;
                upper = h.zeroThreshold;
            }
        }
        boolean custom = h.usesCustomBuckets();
        if (!custom && lower < 0 && upper > 0) {
            if (h.negativeBuckets.length == 0 && h.positiveBuckets.length > 0) {
                lower = 0;
            } else if (h.positiveBuckets.length == 0 && h.negativeBuckets.length > 0) {
                upper = 0;
            }
        }
        if (custom) {
            if (lower == Double.NEGATIVE_INFINITY) {
                if (upper <= 0) {
                    return upper;
                }
                lower = 0;
            } else if (upper == Double.POSITIVE_INFINITY) {
                return lower;
            }
        }
        if (count > h.count) {
            count = h.count;
        }
        if (count < rank) {
            // Past the populated buckets: only NaN observations (which have no bucket) are left.
            return Double.isNaN(h.sum) ? Double.NaN : upper;
        }
        if (forward) {
            rank -= count - bucketCount;
        } else {
            rank = count - rank;
        }
        double fraction = rank / bucketCount;
        if (custom || (lower <= 0 && upper >= 0)) {
            return lower + (upper - lower) * fraction;
        }
        double logLower = log2(Math.abs(lower));
        double logUpper = log2(Math.abs(upper));
        if (lower > 0) {
            return Math.pow(2, logLower + (logUpper - logLower) * fraction);
        }
        return -Math.pow(2, logUpper + (logLower - logUpper) * (1 - fraction));
    }

    /**
     * Fills {@link #counts}, {@link #indexes} and {@link #sides} (-1 negative, 0 zero bucket,
     * 1 positive) in bound order: negative buckets from the most negative, the zero bucket if
     * populated, positive buckets. Returns the number of buckets.
     */
    private int collectCounts(FloatHistogram h) {
        int total = h.negativeBuckets.length + h.positiveBuckets.length + 1;
        if (counts.length < total) {
            int cap = Math.max(total, counts.length * 2);
            counts = new double[cap];
            indexes = new int[cap];
            sides = new byte[cap];
        }
        int nNeg = h.negativeBuckets.length;
        int idx = 0;
        int b = 0;
        int[] ns = h.negativeSpans;
        for (int k = 0; k < ns.length; k += 2) {
            idx += ns[k];
            for (int l = 0; l < ns[k + 1]; l++, idx++, b++) {
                int at = nNeg - 1 - b; // backwards: the most negative bucket first
                counts[at] = h.negativeBuckets[b];
                indexes[at] = idx;
                sides[at] = -1;
            }
        }
        int n = nNeg;
        if (h.zeroCount > 0) {
            counts[n] = h.zeroCount;
            indexes[n] = 0;
            sides[n] = 0;
            n++;
        }
        idx = 0;
        b = 0;
        int[] ps = h.positiveSpans;
        for (int k = 0; k < ps.length; k += 2) {
            idx += ps[k];
            for (int l = 0; l < ps[k + 1]; l++, idx++, b++) {
                counts[n] = h.positiveBuckets[b];
                indexes[n] = idx;
                sides[n] = 1;
                n++;
            }
        }
        return n;
    }

    /**
     * The estimated fraction of observations between {@code lower} and {@code upper}: NaN for
     * an empty histogram or NaN bounds, 0 when {@code lower >= upper}.
     */
    public double fraction(double lower, double upper, FloatHistogram h) {
        if (h.count == 0 || Double.isNaN(lower) || Double.isNaN(upper)) {
            return Double.NaN;
        }
        if (lower >= upper) {
            return 0;
        }
        double rank = 0;
        double lowerRank = 0;
        double upperRank = 0;
        boolean lowerSet = false;
        boolean upperSet = false;
        boolean custom = h.usesCustomBuckets();
        h.allBuckets(it);
        while (it.next()) {
            double bl = it.lower;
            double bu = it.upper;
            double bc = it.count;
            boolean zeroBucket = false;
            if (!custom && bl <= 0 && bu >= 0) {
                zeroBucket = true;
                if (h.negativeBuckets.length == 0 && h.positiveBuckets.length > 0) {
                    bl = 0;
                } else if (h.positiveBuckets.length == 0 && h.negativeBuckets.length > 0) {
                    bu = 0;
                }
            }
            if (custom && bl == Double.NEGATIVE_INFINITY && bu > 0) {
                bl = 0;
            }
            if (!lowerSet && bl >= lower) {
                lowerRank = rank;
                lowerSet = true;
            }
            if (!upperSet && bl >= upper) {
                upperRank = rank;
                upperSet = true;
            }
            if (lowerSet && upperSet) {
                break;
            }
            boolean linear = custom || zeroBucket;
            if (!lowerSet && bl < lower && bu > lower) {
                lowerRank = inside(lower, bl, bu, bc, rank, linear);
                lowerSet = true;
            }
            if (!upperSet && bl < upper && bu > upper) {
                upperRank = inside(upper, bl, bu, bc, rank, linear);
                upperSet = true;
            }
            if (lowerSet && upperSet) {
                break;
            }
            rank += bc;
        }
        // NaN observations (a NaN sum) have no bucket: they belong to no fraction.
        double total = h.count;
        if (Double.isNaN(h.sum)) {
            total = 0;
            h.allBuckets(it);
            while (it.next()) {
                total += it.count;
            }
        }
        if (!lowerSet || lowerRank > total) {
            lowerRank = total;
        }
        if (!upperSet || upperRank > total) {
            upperRank = total;
        }
        return (upperRank - lowerRank) / h.count;
    }

    /**
     * The rank at {@code v} inside the bucket (bl, bu] holding {@code bc} observations above
     * {@code rank}. A bucket of infinite width is not interpolated: its observations all lie
     * below a value in the -Inf bucket and above one in the +Inf bucket.
     */
    private static double inside(double v, double bl, double bu, double bc, double rank, boolean linear) {
        if (bl == Double.NEGATIVE_INFINITY) {
            return rank + bc;
        }
        if (bu == Double.POSITIVE_INFINITY) {
            return rank;
        }
        return linear ? rank + bc * (v - bl) / (bu - bl) : rank + bc * logFraction(v, bl, bu);
    }

    /** How far {@code v} lies into the exponential bucket (lower, upper], on a log2 scale. */
    private static double logFraction(double v, double lower, double upper) {
        double logLower = log2(Math.abs(lower));
        double logUpper = log2(Math.abs(upper));
        double logV = log2(Math.abs(v));
        if (v > 0) {
            return (logV - logLower) / (logUpper - logLower);
        }
        return 1 - ((logV - logUpper) / (logLower - logUpper));
    }

    /**
     * The estimated variance of the observations: each bucket's observations are taken to lie
     * at its geometric mean (arithmetic for custom buckets, 0 in the zero bucket).
     */
    public double stdvar(FloatHistogram h) {
        double mean = h.sum / h.count;
        double variance = 0;
        double c = 0;
        boolean custom = h.usesCustomBuckets();
        h.allBuckets(it);
        while (it.next()) {
            if (it.count == 0) {
                continue;
            }
            double val;
            if (custom) {
                val = (it.upper + it.lower) / 2.0;
            } else if (it.lower <= 0 && it.upper >= 0) {
                val = 0;
            } else {
                val = Math.sqrt(it.upper * it.lower);
                if (it.upper < 0) {
                    val = -val;
                }
            }
            double delta = val - mean;
            double v = it.count * delta * delta;
            double t = variance + v;
            if (Double.isInfinite(t)) {
                c = 0;
            } else if (Math.abs(variance) >= Math.abs(v)) {
                c += (variance - t) + v;
            } else {
                c += (v - t) + variance;
            }
            variance = t;
        }
        return (variance + c) / h.count;
    }

    public double stddev(FloatHistogram h) {
        return Math.sqrt(stdvar(h));
    }

    /** Go's {@code math.Log2}: exact for powers of two. */
    static double log2(double x) {
        if (!(x > 0) || Double.isInfinite(x)) {
            return Math.log(x) / Math.log(2);
        }
        int exp = Math.getExponent(x);
        if (exp < Double.MIN_EXPONENT) { // subnormal
            return Math.log(x) * (1 / LN2);
        }
        double frac = Math.scalb(x, -(exp + 1)); // in [0.5, 1)
        if (frac == 0.5) {
            return exp;
        }
        return Math.log(frac) * (1 / LN2) + (exp + 1);
    }

    private static final double LN2 = 0.693147180559945309417232121458176568;
}
