package io.specula.tsdb.encoding;

import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A growable in-memory {@link DataOutput}, reused across records: {@link #reset()} keeps the
 * array. The bytes are {@code array()[0, size())}; the array is valid until the next write.
 * Not thread-safe.
 */
public final class ByteArrayDataOutput extends DataOutput {
    private byte[] buf;
    private int size;

    public ByteArrayDataOutput() {
        this(256);
    }

    public ByteArrayDataOutput(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    @Override
    public void writeByte(int b) {
        if (size == buf.length) {
            grow(1);
        }
        buf[size++] = (byte) b;
    }

    @Override
    public void writeBytes(byte[] b, int off, int len) {
        if (size + len > buf.length) {
            grow(len);
        }
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    /** Overwrites 4 bytes at {@code pos} big-endian (for lengths known only after the body). */
    public void putBE32(int pos, int v) {
        buf[pos] = (byte) (v >>> 24);
        buf[pos + 1] = (byte) (v >>> 16);
        buf[pos + 2] = (byte) (v >>> 8);
        buf[pos + 3] = (byte) v;
    }

    /** CRC32 (Castagnoli) of bytes [from, to), as Prometheus's checksums. */
    public int crc32c(int from, int to) {
        CRC32C crc = new CRC32C();
        crc.update(buf, from, to - from);
        return (int) crc.getValue();
    }

    public byte[] array() {
        return buf;
    }

    public int size() {
        return size;
    }

    public ByteArrayDataOutput reset() {
        size = 0;
        return this;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void grow(int need) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + need));
    }
}
