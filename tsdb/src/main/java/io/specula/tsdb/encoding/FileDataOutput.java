package io.specula.tsdb.encoding;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A buffered {@link DataOutput} appending to a file, for the writers of Prometheus's section
 * formats: it knows its position, pads to an alignment, checksums a running range (the
 * sections' trailing CRC32C), and patches length fields that are known only after a body.
 *
 * <p>Writes go to a heap buffer and reach the file in large sequential writes; nothing is
 * durable before {@link #sync()}. Not thread-safe.
 */
public final class FileDataOutput extends DataOutput implements Closeable {
    private final Path path;
    private final FileChannel ch;
    private final byte[] buf;
    private int n;         // bytes in buf
    private long flushed;  // bytes already in the file before buf[0]
    private final CRC32C crc = new CRC32C();
    private boolean checksumming;
    private int crcFrom;   // first byte of buf not yet fed to crc

    private FileDataOutput(Path path, FileChannel ch, int bufferSize) {
        this.path = path;
        this.ch = ch;
        this.buf = new byte[bufferSize];
    }

    /** Creates (or truncates) {@code path}, opened for reading too so that callers can map what they wrote. */
    public static FileDataOutput create(Path path, int bufferSize) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, StandardOpenOption.READ);
        return new FileDataOutput(path, ch, Math.max(64, bufferSize));
    }

    public Path path() {
        return path;
    }

    /** The channel, e.g. to map the flushed part for reading back. */
    public FileChannel channel() {
        return ch;
    }

    /** Bytes written so far, buffered or not: the offset of the next byte. */
    public long position() {
        return flushed + n;
    }

    @Override
    public void writeByte(int b) {
        if (n == buf.length) {
            flushUnchecked();
        }
        buf[n++] = (byte) b;
    }

    @Override
    public void writeBytes(byte[] b, int off, int len) {
        while (len > 0) {
            if (n == buf.length) {
                flushUnchecked();
            }
            int k = Math.min(len, buf.length - n);
            System.arraycopy(b, off, buf, n, k);
            n += k;
            off += k;
            len -= k;
        }
    }

    /** Writes zero bytes until the position is a multiple of {@code alignment}. */
    public void pad(int alignment) {
        int rem = (int) (position() % alignment);
        if (rem != 0) {
            for (int i = alignment - rem; i > 0; i--) {
                writeByte(0);
            }
        }
    }

    /** Starts checksumming every byte written from now on. */
    public void beginChecksum() {
        crc.reset();
        checksumming = true;
        crcFrom = n;
    }

    /** Ends the running checksum and returns it (CRC32C of the bytes since {@link #beginChecksum()}). */
    public int endChecksum() {
        if (!checksumming) {
            throw new IllegalStateException("no checksum running");
        }
        crc.update(buf, crcFrom, n - crcFrom);
        checksumming = false;
        return (int) crc.getValue();
    }

    /**
     * Overwrites 4 bytes at an earlier position, big-endian: a length placeholder. The bytes
     * must not be inside a running checksum range (lengths precede what they measure).
     */
    public void writeBE32At(long pos, int v) throws IOException {
        if (pos + 4 > position()) {
            throw new IllegalArgumentException("patch at " + pos + " beyond position " + position());
        }
        if (pos >= flushed) {
            int i = (int) (pos - flushed);
            buf[i] = (byte) (v >>> 24);
            buf[i + 1] = (byte) (v >>> 16);
            buf[i + 2] = (byte) (v >>> 8);
            buf[i + 3] = (byte) v;
            return;
        }
        flush();
        ByteBuffer b = ByteBuffer.allocate(4).putInt(0, v);
        while (b.hasRemaining()) {
            ch.write(b, pos + b.position());
        }
    }

    /** Appends {@code count} bytes of {@code src} from {@code srcPos}, bypassing the buffer. */
    public void copyFrom(FileChannel src, long srcPos, long count) throws IOException {
        if (checksumming) {
            throw new IllegalStateException("copy inside a checksum range");
        }
        flush();
        ch.position(flushed); // transferTo appends at the target's position; other writes are positional
        long done = 0;
        while (done < count) {
            long k = src.transferTo(srcPos + done, count - done, ch);
            if (k <= 0) {
                throw new IOException(path + ": short copy: " + done + " of " + count + " bytes");
            }
            done += k;
        }
        flushed += count;
    }

    /** Hands the buffered bytes to the file (not durable yet: see {@link #sync()}). */
    public void flush() throws IOException {
        if (checksumming) {
            crc.update(buf, crcFrom, n - crcFrom);
            crcFrom = 0;
        }
        ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
        while (b.hasRemaining()) {
            ch.write(b, flushed + b.position());
        }
        flushed += n;
        n = 0;
    }

    /** Flushes and forces the file's content to the device. */
    public void sync() throws IOException {
        flush();
        ch.force(false);
    }

    private void flushUnchecked() {
        try {
            flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Flushes and closes the file (without syncing). */
    @Override
    public void close() throws IOException {
        try {
            if (ch.isOpen()) {
                flush();
            }
        } finally {
            ch.close();
        }
    }
}
