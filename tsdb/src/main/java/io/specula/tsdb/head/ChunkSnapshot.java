package io.specula.tsdb.head;

import io.specula.tsdb.chunkenc.Chunk;
import java.io.IOException;

/**
 * The chunks of one series that a query reads, in time order, as taken under the series lock:
 * chunk {@code i} is {@code held[i]} when the query already holds it (in memory, or the copy of
 * the open chunk), otherwise the head chunk file reference {@code refs[i]}, read on demand.
 */
record ChunkSnapshot(long[] refs, Chunk[] held, int size) {
    /** Chunk {@code i}, read through {@code reader} when it is on disk. */
    Chunk chunk(int i, HeadChunks.Reader reader) throws IOException {
        Chunk c = held[i];
        return c != null ? c : reader.chunk(refs[i]);
    }
}
