package io.specula.tsdb.storage;

/**
 * A cursor over the series of a chunk selection. {@link #at()} is valid until the next
 * {@link #next()}. A failed selection ends early with {@link #err()} set.
 */
public interface ChunkSeriesSet {
    boolean next();

    ChunkSeries at();

    /** The error that ended the set early, or null. */
    Exception err();
}
