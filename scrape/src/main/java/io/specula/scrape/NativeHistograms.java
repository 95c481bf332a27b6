package io.specula.scrape;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.model.histogram.HistogramException;
import io.specula.model.histogram.Schemas;
import io.specula.model.labels.Labels;
import io.specula.tsdb.storage.AppendException;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.storage.SeriesHandle;

/**
 * A scrape's native-histogram appends with Prometheus's per-job rules:
 * {@code native_histogram_min_bucket_factor} caps the schema (the largest schema whose bucket
 * growth factor {@code 2^(2^-schema)} is at least the factor); {@code native_histogram_bucket_limit}
 * lowers the resolution one schema at a time until the buckets fit, and when they cannot (schema
 * −4 reached, or custom buckets) the sample is refused and the scrape fails with
 * {@value #BUCKET_LIMIT_EXCEEDED} once parsed to the end. Histograms are validated with
 * Prometheus's messages before they reach the storage. One per scrape loop; not thread-safe.
 */
final class NativeHistograms {
    static final String BUCKET_LIMIT_EXCEEDED = "histogram bucket limit exceeded";

    private final long bucketLimit;
    private final int maxSchema;
    private boolean overLimit;

    /**
     * @param bucketLimit {@code native_histogram_bucket_limit}, 0 for none
     * @param minBucketFactor {@code native_histogram_min_bucket_factor}, null or ≤ 1 for none
     */
    NativeHistograms(long bucketLimit, Double minBucketFactor) {
        this.bucketLimit = bucketLimit;
        this.maxSchema = pickSchema(minBucketFactor == null ? 0 : minBucketFactor);
    }

    /** The largest exponential schema whose growth factor is at least {@code factor} (8 for a factor ≤ 1). */
    static int pickSchema(double factor) {
        if (factor <= 1) {
            factor = 1.00271; // just above schema 8's factor
        }
        double floor = Math.floor(-log2(log2(factor)));
        if (floor >= Schemas.EXPONENTIAL_MAX) {
            return Schemas.EXPONENTIAL_MAX;
        }
        if (floor <= Schemas.EXPONENTIAL_MIN) {
            return Schemas.EXPONENTIAL_MIN;
        }
        return (int) floor;
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }

    void begin() {
        overLimit = false;
    }

    /** Whether a histogram of this scrape did not fit the bucket limit. */
    boolean overBucketLimit() {
        return overLimit;
    }

    /**
     * Applies the schema cap and bucket limit to {@code h} or {@code fh} (changed in place) and
     * appends it. A histogram over the limit is skipped and remembered.
     *
     * @throws ScrapeException for an invalid histogram, or storage that keeps none
     */
    void append(Appender app, SeriesHandle handle, Labels labels, long t, Histogram h, FloatHistogram fh)
            throws AppendException, ScrapeException {
        if (h != null) {
            if (Schemas.isExponential(h.schema) && h.schema > maxSchema) {
                h.reduceResolution(maxSchema);
            }
            if (bucketLimit > 0) {
                while (h.positiveBuckets.length + h.negativeBuckets.length > bucketLimit) {
                    if (!Schemas.isExponential(h.schema) || h.schema <= Schemas.EXPONENTIAL_MIN) {
                        overLimit = true;
                        return;
                    }
                    h.reduceResolution(h.schema - 1);
                }
            }
        } else {
            if (Schemas.isExponential(fh.schema) && fh.schema > maxSchema) {
                fh.reduceResolution(maxSchema);
            }
            if (bucketLimit > 0) {
                while (fh.positiveBuckets.length + fh.negativeBuckets.length > bucketLimit) {
                    if (!Schemas.isExponential(fh.schema) || fh.schema <= Schemas.EXPONENTIAL_MIN) {
                        overLimit = true;
                        return;
                    }
                    fh.reduceResolution(fh.schema - 1);
                }
            }
        }
        try {
            if (h != null) {
                h.validate();
            } else {
                fh.validate();
            }
        } catch (HistogramException e) {
            throw new ScrapeException(e.getMessage());
        }
        try {
            app.appendHistogram(handle, labels, 0, t, h, fh);
        } catch (UnsupportedOperationException e) {
            throw new ScrapeException("native histograms are not stored by this server's storage (" + e.getMessage() + ")");
        }
    }
}
