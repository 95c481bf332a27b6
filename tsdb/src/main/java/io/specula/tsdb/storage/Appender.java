package io.specula.tsdb.storage;

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

    /** Makes the batch durable (write-ahead log first) and visible. */
    void commit() throws IOException;

    /** Drops the batch. */
    void rollback();
}
