package io.specula.tsdb.chunks;

import io.specula.tsdb.chunkenc.Chunk;
import java.io.IOException;

/**
 * Reads chunks by the references an {@link io.specula.tsdb.index.IndexReader} hands out in its
 * chunk metas: a persisted block's segment files ({@link ChunkSegmentReader}) or the head's
 * chunks (references packing series and chunk id). The one interface the block querier reads
 * chunks through, whatever holds them.
 *
 * <p>Implementations MUST be safe for concurrent use by many queries; a returned chunk is the
 * caller's, immutable, and never changes when the store appends later.
 */
public interface ChunkReader {
    /**
     * The chunk at {@code ref}, its data copied into {@code scratch} when that is non-null and
     * large enough, into a new array otherwise ({@link Chunk#bytes()} tells which). The caller
     * may pass the returned chunk's array as {@code scratch} to a later call once it is done
     * with the chunk.
     *
     * @throws IOException when the chunk cannot be read or no longer exists (the message
     *     names the reference)
     */
    Chunk chunk(long ref, byte[] scratch) throws IOException;

    /**
     * Whether the chunk at {@code ref} may hold samples past the max time of its meta (the
     * head's open chunk, read as a snapshot taken later than the meta): its bytes must not be
     * copied as they are into a block. False for every chunk of a persisted block.
     */
    default boolean mutable(long ref) {
        return false;
    }
}
