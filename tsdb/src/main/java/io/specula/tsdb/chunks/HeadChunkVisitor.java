package io.specula.tsdb.chunks;

import java.io.IOException;

/** Receives each valid chunk of the head chunk files during {@link HeadChunkReader#replay}, in file order. */
@FunctionalInterface
public interface HeadChunkVisitor {
    /**
     * @param chunkRef reference for {@link HeadChunkReader#chunk(long)}
     * @param encodingByte the stored encoding byte, flags included (see {@link HeadChunkFormat#encoding})
     * @param numSamples from the chunk's data header
     */
    void chunk(long seriesRef, long chunkRef, long mint, long maxt, int encodingByte, int numSamples) throws IOException;
}
