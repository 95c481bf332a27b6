package io.specula.tsdb.chunks;

import io.specula.tsdb.chunkenc.Chunk;
import io.specula.tsdb.encoding.CorruptionException;
import java.io.IOException;

/**
 * Walks every chunk of a {@link ChunkSegmentReader} in file order, verifying each checksum:
 * for integrity checks, dump tools, and reading a block without its index. The accessors
 * describe the chunk the last {@link #next()} moved to. Not thread-safe.
 */
public final class ChunkSegmentScanner {
    private final ChunkSegmentReader reader;
    private int fileIndex;
    private long pos = ChunkSegmentFormat.HEADER_SIZE;
    private ChunkSegmentReader.Location current;

    ChunkSegmentScanner(ChunkSegmentReader reader) {
        this.reader = reader;
    }

    /** Moves to the next chunk; false at the end of the last segment. */
    public boolean next() throws CorruptionException {
        while (fileIndex < reader.segmentCount()) {
            MappedFile f = reader.file(fileIndex);
            if (pos < f.size()) {
                ChunkSegmentReader.Location loc = ChunkSegmentReader.Location.parse(f, pos);
                loc.verifyCrc();
                current = loc;
                pos = loc.end();
                return true;
            }
            fileIndex++;
            pos = ChunkSegmentFormat.HEADER_SIZE;
        }
        current = null;
        return false;
    }

    /** Reference of the current chunk, as the index would hold it. */
    public long ref() {
        return ChunkSegmentFormat.ref(fileIndex, current().offset());
    }

    public int encoding() {
        return current().encoding();
    }

    /** Bytes of chunk data. */
    public int dataLength() {
        return current().length();
    }

    /** The current chunk, its data copied. */
    public Chunk chunk() throws IOException {
        return reader.chunk(ref());
    }

    private ChunkSegmentReader.Location current() {
        if (current == null) {
            throw new IllegalStateException("not positioned on a chunk");
        }
        return current;
    }
}
