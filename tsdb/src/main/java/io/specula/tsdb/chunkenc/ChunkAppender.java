package io.specula.tsdb.chunkenc;

/**
 * Appends samples to the end of one {@link Chunk}.
 *
 * <p>Callers MUST append timestamps in strictly increasing order and MUST NOT exceed
 * {@link Chunk#MAX_SAMPLES} samples: the head validates ordering before it reaches the chunk,
 * so the per-sample path does not repeat that check. (The encoding itself round-trips any
 * sequence of timestamps; order is a storage rule, not a format rule.)
 *
 * <p>Not thread-safe; one appender per chunk. Appending changes {@link Chunk#bytes()}:
 * readers that need a stable view must be excluded by the owner (the head's series lock).
 */
public interface ChunkAppender {
    /**
     * Adds a float sample. {@code v} is stored as its 64 raw bits, so NaN payloads such as the
     * staleness marker survive unchanged.
     *
     * @throws IllegalStateException if the chunk already holds {@link Chunk#MAX_SAMPLES} samples
     */
    void append(long t, double v);
}
