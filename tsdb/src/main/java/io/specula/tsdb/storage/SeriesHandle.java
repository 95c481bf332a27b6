package io.specula.tsdb.storage;

/**
 * What a caller that appends the same series again and again (a scrape cache) keeps per series
 * so that the storage finds the series without a lookup: the series reference and, for storage
 * that offers it, the storage's own series object. Opaque to the caller: appenders read and
 * replace it, and detect a handle that another storage filled or whose series the storage has
 * since dropped (it then finds or creates the series by labels and refills the handle).
 *
 * <p>Callers may extend it, so that their per-series entry is the handle (no extra object). Not
 * thread-safe: used by one appending thread at a time.
 */
public class SeriesHandle {
    private long ref;
    private Object owner;
    private Object series;

    /** An empty handle: the first append looks the series up by labels. */
    public SeriesHandle() {}

    /** The series reference, 0 when unknown; for the storage and for bookkeeping by reference. */
    public final long ref() {
        return ref;
    }

    /** The storage's series object when {@code owner} filled the handle, else null. For appenders. */
    public final Object series(Object owner) {
        return this.owner == owner ? series : null;
    }

    /** Fills the handle; {@code series} may be null for storage that keeps only references. For appenders. */
    public final void set(long ref, Object owner, Object series) {
        this.ref = ref;
        this.owner = owner;
        this.series = series;
    }
}
