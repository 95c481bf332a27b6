package io.specula.tsdb.encoding;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Reads Prometheus's on-disk encodings from a {@link MemorySegment}: a memory-mapped file of
 * any size, or a heap array through {@link MemorySegment#ofArray(byte[])}. The mirror image
 * of {@link DataOutput}. Every read past the end or malformed varint raises a
 * {@link CorruptionException} naming the source and offset; nothing here throws an unchecked
 * exception on bad data.
 *
 * <p>A cursor over shared, read-only memory: cheap to create, one per reading thread.
 */
public final class DataInput {
    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    private final MemorySegment seg;
    private final String source;
    private final long limit;
    private long pos;

    public DataInput(MemorySegment seg, String source) {
        this(seg, source, 0, seg.byteSize());
    }

    /** A cursor over [from, to) of {@code seg}. */
    public DataInput(MemorySegment seg, String source, long from, long to) {
        this.seg = seg;
        this.source = source;
        this.pos = from;
        this.limit = to;
    }

    public static DataInput of(byte[] b, String source) {
        return new DataInput(MemorySegment.ofArray(b), source);
    }

    public long position() {
        return pos;
    }

    public DataInput seek(long p) throws CorruptionException {
        if (p < 0 || p > limit) {
            throw corrupt(p, "seek beyond end (" + limit + ")");
        }
        pos = p;
        return this;
    }

    public long remaining() {
        return limit - pos;
    }

    public String source() {
        return source;
    }

    public CorruptionException corrupt(long at, String message) {
        return new CorruptionException(source, at, message);
    }

    private void need(long n) throws CorruptionException {
        if (n > limit - pos) {
            throw corrupt(pos, "unexpected end of data: need " + n + " bytes, " + (limit - pos) + " left");
        }
    }

    public int readByte() throws CorruptionException {
        need(1);
        return seg.get(ValueLayout.JAVA_BYTE, pos++) & 0xFF;
    }

    public int readBE16() throws CorruptionException {
        need(2);
        int v = seg.get(BE_SHORT, pos) & 0xFFFF;
        pos += 2;
        return v;
    }

    public int readBE32() throws CorruptionException {
        need(4);
        int v = seg.get(BE_INT, pos);
        pos += 4;
        return v;
    }

    public long readBE64() throws CorruptionException {
        need(8);
        long v = seg.get(BE_LONG, pos);
        pos += 8;
        return v;
    }

    public double readDouble() throws CorruptionException {
        return Double.longBitsToDouble(readBE64());
    }

    /** Go's {@code binary.Uvarint}, rejecting truncated and over-long (> 64 bit) encodings. */
    public long readUvarint() throws CorruptionException {
        long start = pos, x = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= limit) {
                throw corrupt(start, "truncated uvarint");
            }
            int b = seg.get(ValueLayout.JAVA_BYTE, pos++) & 0xFF;
            if (b < 0x80) {
                if (shift == 63 && b > 1) {
                    break;
                }
                return x | ((long) b << shift);
            }
            x |= (long) (b & 0x7F) << shift;
        }
        throw corrupt(start, "uvarint overflows 64 bits");
    }

    /** Go's {@code binary.Varint}. */
    public long readVarint() throws CorruptionException {
        long u = readUvarint();
        return (u >>> 1) ^ -(u & 1);
    }

    /** A uvarint that must fit in an int >= 0 (lengths, counts). */
    public int readUvarintInt() throws CorruptionException {
        long at = pos, v = readUvarint();
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw corrupt(at, "length " + Long.toUnsignedString(v) + " out of range");
        }
        return (int) v;
    }

    public void readBytes(byte[] dst, int off, int len) throws CorruptionException {
        need(len);
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, pos, dst, off, len);
        pos += len;
    }

    public byte[] readBytes(int len) throws CorruptionException {
        byte[] b = new byte[len];
        readBytes(b, 0, len);
        return b;
    }

    /** A uvarint length followed by that many UTF-8 bytes. */
    public String readUvarintString() throws CorruptionException {
        int len = readUvarintInt();
        return new String(readBytes(len), StandardCharsets.UTF_8);
    }

    public void skip(long n) throws CorruptionException {
        need(n);
        pos += n;
    }

    /** CRC32 (Castagnoli) of [from, to) of the underlying memory. */
    public int crc32c(long from, long to) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(seg.asSlice(from, to - from).asByteBuffer());
        return (int) crc.getValue();
    }
}
