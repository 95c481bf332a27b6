package io.specula.model.exposition;

import io.specula.model.labels.Labels;
import io.specula.model.textparse.Exemplar;
import io.specula.model.textparse.MetricType;
import java.io.IOException;

/**
 * Streams one exposition body: for each metric family one {@link #family} call followed by
 * its samples, then {@link #finish()}. Obtain one from {@link ExpositionFormat#newWriter}.
 *
 * <p>Names follow Prometheus's data model, as in the protobuf {@code MetricFamily}: a
 * counter family is named like its samples, with {@code _total} ({@code http_requests_total}),
 * an info family with {@code _info}; the OpenMetrics writer drops the suffix from the
 * {@code # TYPE}/{@code # HELP}/{@code # UNIT} lines itself. Sample names are written exactly
 * as given ({@code x_bucket}, {@code x_count}, {@code x_created}, …): the writer does not
 * invent samples, reorder them or check that they belong to the family. Names and label names
 * that are not valid in the legacy scheme are written quoted, the metric name inside the
 * braces ({@code {"my.metric",label="v"}}), as Prometheus 3 does.
 *
 * <p>Per sample the writer copies bytes into its buffer and allocates nothing. A
 * {@code __name__} label in {@code labels} is ignored (the name argument wins).
 *
 * <p>Not thread-safe. A writer is used by one thread for one body and is then discarded;
 * what it writes into belongs to the caller (see {@link ExpositionFormat#newWriter}).
 */
public interface ExpositionWriter {

    /** Pass as {@code timestampMillis} for a sample without a timestamp. */
    long NO_TIMESTAMP = Long.MIN_VALUE;

    /** The HTTP {@code Content-Type} of what this writer produces. */
    String contentType();

    /**
     * Starts a metric family: writes {@code # HELP} (when {@code help} is not null; an empty
     * help still gives a line), {@code # TYPE} and, in OpenMetrics, {@code # UNIT}.
     *
     * @param type null is {@link MetricType#UNKNOWN} ({@code untyped} in the text format)
     * @param unit OpenMetrics only, null or empty for none; the text format has no unit line
     * @throws IllegalArgumentException in OpenMetrics, if the family name does not end in
     *     {@code _<unit>} as the specification requires, or an info or stateset family has a
     *     unit (the specification allows none); nothing is written then
     */
    void family(String name, MetricType type, String help, String unit) throws IOException;

    /**
     * Writes one sample line.
     *
     * @param timestampMillis milliseconds since the epoch, or {@link #NO_TIMESTAMP}
     * @param exemplar written by OpenMetrics when not null and its label set is not empty (as
     *     Prometheus's Go writer does); the text format has no exemplars and ignores it
     */
    void sample(String name, Labels labels, double value, long timestampMillis, Exemplar exemplar) throws IOException;

    /**
     * Writes one histogram bucket or summary quantile line: {@code boundLabel} ({@code le} or
     * {@code quantile}) is appended after {@code labels} with {@code bound} formatted as the
     * format formats floats ({@code le="0.5"}, {@code le="+Inf"}; OpenMetrics {@code le="1.0"}).
     */
    void sample(String name, Labels labels, String boundLabel, double bound, double value, long timestampMillis,
            Exemplar exemplar) throws IOException;

    /**
     * Ends the body: OpenMetrics writes {@code # EOF}; a writer over a stream flushes its
     * buffer and the stream (which stays open). Further calls throw {@link IllegalStateException}.
     */
    void finish() throws IOException;

    /** A sample without timestamp and exemplar. */
    default void sample(String name, Labels labels, double value) throws IOException {
        sample(name, labels, value, NO_TIMESTAMP, null);
    }

    /** A sample with a timestamp in milliseconds since the epoch. */
    default void sample(String name, Labels labels, double value, long timestampMillis) throws IOException {
        sample(name, labels, value, timestampMillis, null);
    }

    /** A bucket or quantile line without timestamp and exemplar. */
    default void sample(String name, Labels labels, String boundLabel, double bound, double value) throws IOException {
        sample(name, labels, boundLabel, bound, value, NO_TIMESTAMP, null);
    }
}
