package io.specula.model.histogram;

/** Prometheus's histogram consistency checks, shared by both histogram types. */
final class Validation {
    private Validation() {}

    static void spans(int[] spans, int numBuckets, String side) {
        int n = 0;
        for (int k = 0; k < spans.length; k += 2) {
            if (k > 0 && spans[k] < 0) {
                throw new HistogramException(HistogramException.Kind.SPAN_NEGATIVE_OFFSET,
                        side + ": span number " + (k / 2 + 1) + " with offset " + spans[k]);
            }
            n += spans[k + 1];
        }
        if (n != numBuckets) {
            throw new HistogramException(HistogramException.Kind.SPANS_BUCKETS_MISMATCH,
                    side + ": spans need " + n + " buckets, have " + numBuckets + " buckets");
        }
    }

    static void customBounds(double[] bounds, int[] spans, int numBuckets) {
        double prev = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < bounds.length; i++) {
            double b = bounds[i];
            if (Double.isNaN(b)) {
                throw new HistogramException(HistogramException.Kind.CUSTOM_BUCKETS_NAN);
            }
            if (i > 0 && b <= prev) {
                throw new HistogramException(HistogramException.Kind.CUSTOM_BUCKETS_INVALID,
                        "previous bound is " + String.format("%f", prev) + " and current is " + String.format("%f", b));
            }
            prev = b;
        }
        if (prev == Double.POSITIVE_INFINITY) {
            throw new HistogramException(HistogramException.Kind.CUSTOM_BUCKETS_INFINITE, "last +Inf bound must not be explicitly defined");
        }
        int n = 0;
        int total = 0;
        for (int k = 0; k < spans.length; k += 2) {
            if (spans[k] < 0) {
                throw new HistogramException(HistogramException.Kind.SPAN_NEGATIVE_OFFSET,
                        "span number " + (k / 2 + 1) + " with offset " + spans[k]);
            }
            n += spans[k + 1];
            total += spans[k + 1] + spans[k];
        }
        if (n != numBuckets) {
            throw new HistogramException(HistogramException.Kind.SPANS_BUCKETS_MISMATCH,
                    "spans need " + n + " buckets, have " + numBuckets + " buckets");
        }
        if (bounds.length + 1 < total) {
            throw new HistogramException(HistogramException.Kind.CUSTOM_BUCKETS_MISMATCH,
                    "only " + bounds.length + " custom bounds defined which is insufficient to cover total span length of " + total);
        }
    }

    static double floatBuckets(double[] buckets, String side) {
        double sum = 0;
        for (int i = 0; i < buckets.length; i++) {
            if (buckets[i] < 0) {
                throw new HistogramException(HistogramException.Kind.NEGATIVE_BUCKET_COUNT,
                        side + ": bucket number " + (i + 1) + " has observation count of " + FloatHistogram.formatV(buckets[i]));
            }
            sum += buckets[i];
        }
        return sum;
    }

    /** Checks delta-encoded buckets; returns the total of their absolute counts. */
    static long deltaBuckets(long[] buckets, String side) {
        long last = 0;
        long sum = 0;
        for (int i = 0; i < buckets.length; i++) {
            long c = last + buckets[i];
            if (c < 0) {
                throw new HistogramException(HistogramException.Kind.NEGATIVE_BUCKET_COUNT,
                        side + ": bucket number " + (i + 1) + " has observation count of " + c);
            }
            last = c;
            sum += c;
        }
        return sum;
    }
}
