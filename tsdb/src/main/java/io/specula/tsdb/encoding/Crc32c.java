package io.specula.tsdb.encoding;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.zip.CRC32C;

/**
 * CRC32 with the Castagnoli polynomial, as every Prometheus checksum, over any part of a
 * {@link MemorySegment} without allocating for the small ranges that dominate (index series
 * entries are tens of bytes).
 *
 * <p>{@link CRC32C} is an intrinsic but needs a {@code ByteBuffer} view of a segment, an
 * allocation per call; below {@link #TABLE_LIMIT} bytes a byte-wise table loop is as fast
 * and allocation-free. Larger ranges go to the intrinsic. Both give identical results.
 */
public final class Crc32c {
    /** Ranges shorter than this are checksummed by the table loop. */
    static final int TABLE_LIMIT = 256;

    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1; // reflected Castagnoli
            }
            TABLE[i] = c;
        }
    }

    private Crc32c() {}

    /** The checksum of bytes [from, to) of {@code seg}. */
    public static int of(MemorySegment seg, long from, long to) {
        long n = to - from;
        if (n < TABLE_LIMIT) {
            int c = ~0;
            for (long p = from; p < to; p++) {
                c = TABLE[(c ^ seg.get(ValueLayout.JAVA_BYTE, p)) & 0xFF] ^ (c >>> 8);
            }
            return ~c;
        }
        CRC32C crc = new CRC32C();
        // ByteBuffers are int-indexed: feed files larger than 2 GiB in pieces.
        for (long p = from; p < to; ) {
            long len = Math.min(to - p, 1L << 30);
            crc.update(seg.asSlice(p, len).asByteBuffer());
            p += len;
        }
        return (int) crc.getValue();
    }

    /** The checksum of {@code b[off, off + len)}. */
    public static int of(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        return (int) crc.getValue();
    }
}
