package io.specula.tsdb.chunks;

import static io.specula.tsdb.chunks.HeadChunkFormat.HEADER_SIZE;
import static io.specula.tsdb.chunks.HeadChunkFormat.MAX_META_SIZE;

import io.specula.tsdb.chunkenc.Chunk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Appends full head chunks to head chunk files ({@link HeadChunkFormat}), starting after the
 * highest-numbered existing file (old files are read by {@link HeadChunkReader} and never
 * appended to).
 *
 * <p>Durability: chunks are buffered in memory until {@link #flush()} (to the OS: survives a
 * process crash) or {@link #sync()} (fsync: survives power loss); a file is fsynced when it is
 * cut, and on {@link #close()}. A chunk lost before that is not lost data: its samples are
 * still in the WAL, which the head replays after the head chunk files. A torn last record is
 * cut off by {@link HeadChunkReader#replay}.
 *
 * <p>Not thread-safe: the head serializes writes.
 */
public final class HeadChunkWriter implements AutoCloseable {
    private static final int BUFFER_SIZE = 1 << 20;

    private final Path dir;
    private final long maxFileSize;
    private final ByteBuffer buf = ByteBuffer.allocate(BUFFER_SIZE);
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer meta = ByteBuffer.allocate(MAX_META_SIZE);
    private long nextSeq;
    private long fileSeq;
    private FileChannel file;
    private long size;
    private boolean closed;

    public HeadChunkWriter(Path dir) throws IOException {
        this(dir, HeadChunkFormat.MAX_FILE_SIZE);
    }

    /** @param maxFileSize file size not to exceed unless the file's only chunk is larger (tests use small ones) */
    public HeadChunkWriter(Path dir, long maxFileSize) throws IOException {
        if (maxFileSize < HEADER_SIZE + MAX_META_SIZE || maxFileSize > 1L << 32) {
            throw new IllegalArgumentException("max file size " + maxFileSize + " outside [" + (HEADER_SIZE + MAX_META_SIZE) + ", 4 GiB]");
        }
        Files.createDirectories(dir);
        long[] seqs = SegmentFiles.list(dir);
        this.dir = dir;
        this.maxFileSize = maxFileSize;
        this.nextSeq = seqs.length == 0 ? 1 : seqs[seqs.length - 1] + 1;
    }

    /** Appends a full chunk of series {@code seriesRef} (not 0) covering [mint, maxt]; returns its reference. */
    public long write(long seriesRef, long mint, long maxt, Chunk chunk) throws IOException {
        return write(seriesRef, mint, maxt, chunk.encoding(), chunk.bytes(), 0, chunk.length());
    }

    /**
     * Appends encoded chunk data; {@code encodingByte} may carry
     * {@link HeadChunkFormat#OUT_OF_ORDER_MASK}.
     */
    public long write(long seriesRef, long mint, long maxt, int encodingByte, byte[] data, int off, int len) throws IOException {
        if (closed) {
            throw new IllegalStateException("head chunk writer of " + dir + " is closed");
        }
        if (seriesRef == 0) {
            // A zero series ref with zero times reads as the end of the file.
            throw new IllegalArgumentException("series ref 0 is reserved");
        }
        if (file == null || (size > HEADER_SIZE && size + len + MAX_META_SIZE > maxFileSize)) {
            cut();
        }
        long ref = HeadChunkFormat.ref(fileSeq, size);
        meta.clear();
        meta.putLong(seriesRef).putLong(mint).putLong(maxt).put((byte) encodingByte);
        long v = len & 0xFFFF_FFFFL;
        while (v >= 0x80) {
            meta.put((byte) (v | 0x80));
            v >>>= 7;
        }
        meta.put((byte) v);
        crc.reset();
        crc.update(meta.array(), 0, meta.position());
        crc.update(data, off, len);
        put(meta.array(), 0, meta.position());
        put(data, off, len);
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

    /** Hands buffered chunks to the operating system. */
    public void flush() throws IOException {
        if (file == null) {
            return;
        }
        buf.flip();
        writeFully(buf);
        buf.clear();
    }

    /** Flushes and fsyncs the current file. */
    public void sync() throws IOException {
        flush();
        if (file != null) {
            file.force(true);
        }
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            file.write(b);
        }
    }

    /**
     * Finishes the current file (if it holds chunks) so the next chunk starts a new one: the
     * head does this when it truncates, so old files can be deleted whole.
     */
    public void cutNewFile() throws IOException {
        if (file != null && size > HEADER_SIZE) {
            cut();
        }
    }

    private void cut() throws IOException {
        finishFile();
        fileSeq = nextSeq++;
        file = SegmentFiles.create(dir.resolve(SegmentFiles.name(fileSeq)), HeadChunkFormat.MAGIC, HeadChunkFormat.VERSION);
        SegmentFiles.syncDir(dir); // the new name must survive a crash before its chunks matter
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

    /** Bytes of the current file, written or buffered: where the next chunk would start; 0 before the first file. */
    public long fileSize() {
        return file == null ? 0 : size;
    }

    /** Sequence number of the file being written, 0 before the first chunk. */
    public long currentFileSeq() {
        return fileSeq;
    }

    /** Flushes, fsyncs and closes the current file. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        finishFile();
    }
}
