package io.specula.tsdb.storage;

import io.specula.tsdb.chunkenc.Chunk;

/**
 * The chunks of one series in time order. {@link #at()}, {@link #minTime()} and
 * {@link #maxTime()} describe the current chunk, valid until the next {@link #next()}: copy
 * the chunk's bytes to keep them. Not thread-safe.
 */
public interface ChunkIterator {
    /** Moves to the next chunk; false at the end or on error ({@link #err()}). */
    boolean next();

    Chunk at();

    /** Time of the chunk's first sample. */
    long minTime();

    /** Time of the chunk's last sample. */
    long maxTime();

    /** The error that ended iteration early, or null. */
    Exception err();
}
