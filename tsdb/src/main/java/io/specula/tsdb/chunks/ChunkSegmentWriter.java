package io.specula.tsdb.chunks;

import static io.specula.tsdb.chunks.ChunkSegmentFormat.HEADER_SIZE;
import static io.specula.tsdb.chunks.ChunkSegmentFormat.MAX_OVERHEAD;

import io.specula.tsdb.chunkenc.Chunk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Writes the chunk segment files of a new block ({@link ChunkSegmentFormat}) and hands out
 * the reference of each chunk for the index. Chunks are buffered; {@link #close()} flushes,
 * fsyncs every file and the directory. A file that is cut is fsynced and closed right away.
 *
 * <p>The directory must not hold segment files yet: references count files from the first,
 * so a block's chunks are written by one writer, once. Not thread-safe.
 */
public final class ChunkSegmentWriter implements AutoCloseable {
    private static final int BUFFER_SIZE = 1 << 20;

    private final Path dir;
    private final long segmentSize;
    private final ByteBuffer buf = ByteBuffer.allocate(BUFFER_SIZE);
    private final CRC32C crc = new CRC32C();
    private final byte[] head = new byte[ChunkSegmentFormat.MAX_LEN_SIZE + 1];
    private FileChannel file;
    private int segmentIndex = -1;
    /** Bytes of the current segment, written or buffered. */
    private long size;
    private boolean closed;

    /** A writer cutting segments at {@link ChunkSegmentFormat#DEFAULT_SEGMENT_SIZE}. */
    public ChunkSegmentWriter(Path dir) throws IOException {
        this(dir, ChunkSegmentFormat.DEFAULT_SEGMENT_SIZE);
    }

    /**
     * @param segmentSize size a segment file must not exceed unless its only chunk is larger;
     *     at most 4 GiB because references hold 32-bit offsets
     */
    public ChunkSegmentWriter(Path dir, long segmentSize) throws IOException {
        if (segmentSize < HEADER_SIZE + MAX_OVERHEAD || segmentSize > 1L << 32) {
            throw new IllegalArgumentException("segment size " + segmentSize + " outside [" + (HEADER_SIZE + MAX_OVERHEAD) + ", 4 GiB]");
        }
        Files.createDirectories(dir);
        if (SegmentFiles.list(dir).length > 0) {
            throw new IOException(dir + " already holds chunk segment files; a block's chunks are written once");
        }
        this.dir = dir;
        this.segmentSize = segmentSize;
    }

    /** Appends a chunk; returns its reference. */
    public long write(Chunk chunk) throws IOException {
        return write(chunk.encoding(), chunk.bytes(), 0, chunk.length());
    }

    /** Appends encoded chunk data ({@code data[off, off+len)}) of {@code encoding}; returns its reference. */
    public long write(int encoding, byte[] data, int off, int len) throws IOException {
        if (closed) {
            throw new IllegalStateException("chunk segment writer of " + dir + " is closed");
        }
        if (encoding < 0 || encoding > 0xFF) {
            throw new IllegalArgumentException("encoding " + encoding + " is not a byte");
        }
        // Same rule as Prometheus: budget the longest length field, never leave a segment empty.
        if (file == null || (size > HEADER_SIZE && size + len + MAX_OVERHEAD > segmentSize)) {
            cut();
        }
        long ref = ChunkSegmentFormat.ref(segmentIndex, size);
        int h = 0;
        long v = len & 0xFFFF_FFFFL;
        while (v >= 0x80) {
            head[h++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        head[h++] = (byte) v;
        head[h++] = (byte) encoding;
        put(head, 0, h);
        put(data, off, len);
        crc.reset();
        crc.update(encoding);
        crc.update(data, off, len);
        if (buf.remaining() < 4) {
            flush();
        }
        buf.putInt((int) crc.getValue());
        size += 4;
        return ref;
    }

    private void put(byte[] b, int off, int len) throws IOException {
        if (len > buf.remaining()) {
            flush();
            if (len > buf.capacity()) {
                writeFully(ByteBuffer.wrap(b, off, len));
                size += len;
                return;
            }
        }
        buf.put(b, off, len);
        size += len;
    }

    private void flush() throws IOException {
        buf.flip();
        writeFully(buf);
        buf.clear();
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            file.write(b);
        }
    }

    private void cut() throws IOException {
        finishFile();
        segmentIndex++;
        file = SegmentFiles.create(dir.resolve(ChunkSegmentFormat.fileName(segmentIndex)), ChunkSegmentFormat.MAGIC, ChunkSegmentFormat.VERSION);
        size = HEADER_SIZE;
    }

    private void finishFile() throws IOException {
        if (file == null) {
            return;
        }
        FileChannel f = file;
        try {
            flush();
            f.force(true);
        } finally {
            file = null;
            f.close();
        }
    }

    /** Number of segment files started so far. */
    public int segmentCount() {
        return segmentIndex + 1;
    }

    /** Flushes and fsyncs the last file and the directory. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        finishFile();
        SegmentFiles.syncDir(dir);
    }
}
