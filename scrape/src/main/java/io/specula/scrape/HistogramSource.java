package io.specula.scrape;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;

/**
 * A {@link io.specula.model.textparse.Parser} whose samples may be native histograms (the
 * protobuf exposition, classic histograms converted to custom buckets). At a SERIES entry for
 * which {@link #isHistogram()} holds, exactly one of {@link #histogram()} and
 * {@link #floatHistogram()} is non-null; both are reused by the next entry.
 */
interface HistogramSource {
    boolean isHistogram();

    /** The current histogram with integer counts, or null. */
    Histogram histogram();

    /** The current histogram with float counts, or null. */
    FloatHistogram floatHistogram();
}
