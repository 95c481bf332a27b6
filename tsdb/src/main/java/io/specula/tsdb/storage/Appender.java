package io.specula.tsdb.storage;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.model.labels.Labels;
import java.io.IOException;

/**
 * A batch of samples appended as one transaction: nothing is visible to queries before
 * {@link #commit()}; {@link #rollback()} drops the batch. An appender must end with exactly
 * one of the two and is not reusable afterwards. Not thread-safe: one appender per scrape.
 */
public interface Appender {
    /**
     * Adds a sample to the batch.
     *
     * @param ref a reference returned by an earlier append for the same labels (fast path that
     *     skips the label lookup), or 0 when unknown; a stale reference is tolerated
     * @return the series reference, to pass to the next append of this series
     * @throws AppendException for a sample the storage refuses (out of order, out of bounds,
     *     duplicate timestamp with another value); the batch stays usable
     */
    long append(long ref, Labels labels, long t, double v) throws AppendException;

    /**
     * Adds a sample with its start timestamp {@code st} in ms (when the counter last started
     * from zero; 0 = unknown), otherwise as {@link #append(long, Labels, long, double)}.
     * Storage that cannot keep start timestamps refuses a non-zero one rather than drop it.
     *
     * @throws UnsupportedOperationException when {@code st != 0} and this storage keeps none
     */
    default long append(long ref, Labels labels, long st, long t, double v) throws AppendException {
        if (st != 0) {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " does not store start timestamps");
        }
        return append(ref, labels, t, v);
    }

    /**
     * Adds a sample to the series {@code handle} was filled for by an earlier append (the fast
     * path of a scrape cache: no lookup by reference or labels when the storage keeps its series
     * object in the handle), or, for an empty or outdated handle, to the series with
     * {@code labels}, and fills the handle. Otherwise as {@link #append(long, Labels, long, long, double)}.
     */
    default void append(SeriesHandle handle, Labels labels, long st, long t, double v) throws AppendException {
        handle.set(append(handle.ref(), labels, st, t, v), null, null);
    }

    /**
     * Adds a native-histogram sample: exactly one of {@code h} (integer counts) and {@code fh}
     * (float counts) is non-null. The appender copies what it keeps, so the caller may reuse the
     * histogram after the call. {@code st} as in {@link #append(long, Labels, long, long, double)}.
     *
     * @return the series reference
     * @throws UnsupportedOperationException when this storage keeps no histograms
     */
    default long appendHistogram(long ref, Labels labels, long st, long t, Histogram h, FloatHistogram fh)
            throws AppendException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not store native histograms");
    }

    /** {@link #appendHistogram(long, Labels, long, long, Histogram, FloatHistogram)} through a handle, as {@link #append(SeriesHandle, Labels, long, long, double)}. */
    default void appendHistogram(SeriesHandle handle, Labels labels, long st, long t, Histogram h, FloatHistogram fh)
            throws AppendException {
        handle.set(appendHistogram(handle.ref(), labels, st, t, h, fh), null, null);
    }

    /**
     * Adds an exemplar of the series {@code ref} (returned by a sample append in this batch),
     * kept when the batch commits. {@code t} is the exemplar's timestamp (the scrape's when the
     * exposition gave none).
     *
     * @throws AppendException for an exemplar the storage refuses (out of order, labels too long)
     * @throws UnsupportedOperationException when this storage keeps no exemplars
     */
    default void appendExemplar(long ref, Labels labels, Labels exemplarLabels, long t, double v) throws AppendException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not store exemplars");
    }

    /**
     * {@link #appendExemplar(long, Labels, Labels, long, double)} saying whether {@code t} came
     * with the exemplar ({@code explicitTime}) or is the scrape's: without an explicit time, an
     * exemplar equal in labels and value to the series' newest is a duplicate whatever its time
     * (Prometheus's {@code HasTs}). The default treats every time as explicit.
     */
    default void appendExemplar(long ref, Labels labels, Labels exemplarLabels, boolean explicitTime, long t, double v)
            throws AppendException {
        appendExemplar(ref, labels, exemplarLabels, t, v);
    }

    /** Makes the batch durable (write-ahead log first) and visible. */
    void commit() throws IOException;

    /** Drops the batch. */
    void rollback();
}
