package io.specula.tsdb.chunkenc;

import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.storage.SampleIterator;

/**
 * A compressed run of samples of one series, in one {@link Encoding}: the unit the head
 * keeps in memory, the head chunk files spill to disk, and block segment files store.
 *
 * <p>The encoded form is {@code bytes()[0, length())}; it is exactly the {@code data} field of
 * the on-disk chunk formats. The array is owned by the chunk and valid until the next append
 * (which may replace it); copy it to keep it.
 *
 * <p>Not thread-safe. Any number of iterators may read a chunk that is no longer appended to.
 */
public interface Chunk {
    /** Most samples a chunk can count: its header is an unsigned 16-bit number. */
    int MAX_SAMPLES = 0xFFFF;

    /** One of the {@link Encoding} constants. */
    int encoding();

    /** The backing array; the encoded chunk is its first {@link #length()} bytes. */
    byte[] bytes();

    /** Number of meaningful bytes in {@link #bytes()}. */
    int length();

    /** Number of samples, from the chunk's header. */
    int numSamples();

    /**
     * An appender that continues after the last sample. For a chunk read from disk this decodes
     * the chunk once to learn the encoder's state, then appends to a private copy.
     *
     * @throws CorruptionException if the existing data cannot be decoded
     */
    ChunkAppender appender() throws CorruptionException;

    /**
     * An iterator over the samples, positioned before the first. {@code reuse}, when it is an
     * iterator this chunk type created earlier (for any chunk), is reset and returned instead of
     * allocating; pass {@code null} or any other iterator to get a new one.
     */
    SampleIterator iterator(SampleIterator reuse);

    /**
     * Wraps encoded data read from disk or the network, without copying; the caller must not
     * modify {@code data[0, length)} afterwards.
     *
     * @throws IllegalArgumentException if {@code encoding} is not {@linkplain Encoding#isDecodable decodable}
     */
    static Chunk fromData(int encoding, byte[] data, int length) {
        return switch (encoding) {
            case Encoding.XOR -> XorChunk.fromData(data, length);
            case Encoding.HISTOGRAM -> HistogramChunk.fromData(data, length);
            case Encoding.FLOAT_HISTOGRAM -> FloatHistogramChunk.fromData(data, length);
            default -> throw new IllegalArgumentException("unsupported chunk encoding " + Encoding.name(encoding));
        };
    }
}
