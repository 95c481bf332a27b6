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
 * allocation per call; below {@link #TABLE_LIMIT} bytes a slicing-by-8 table loop is about as
 * fast and allocation-free. Larger ranges go to the intrinsic. Both give identical results.
 */
public final class Crc32c {
    /** Ranges shorter than this are checksummed by the table loop. */
    static final int TABLE_LIMIT = 256;

    private static final int[] TABLE = new int[256];
    /** Slicing-by-8: SLICES[k][b] is the CRC contribution of byte b followed by k zero bytes. */
    private static final int[][] SLICES = new int[8][];
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1; // reflected Castagnoli
            }
            TABLE[i] = c;
        }
        SLICES[0] = TABLE;
        for (int k = 1; k < 8; k++) {
            SLICES[k] = new int[256];
            for (int i = 0; i < 256; i++) {
                int prev = SLICES[k - 1][i];
                SLICES[k][i] = (prev >>> 8) ^ TABLE[prev & 0xFF];
            }
        }
    }

    private Crc32c() {}

    /** The checksum of bytes [from, to) of {@code seg}. */
    public static int of(MemorySegment seg, long from, long to) {
        long n = to - from;
        if (n < TABLE_LIMIT) {
            int c = ~0;
            long p = from;
            // Slicing-by-8: eight bytes per segment access and eight independent table lookups.
            int[] t0 = SLICES[0], t1 = SLICES[1], t2 = SLICES[2], t3 = SLICES[3];
            int[] t4 = SLICES[4], t5 = SLICES[5], t6 = SLICES[6], t7 = SLICES[7];
            for (; p + 8 <= to; p += 8) {
                long w = seg.get(LE_LONG, p);
                int lo = c ^ (int) w, hi = (int) (w >>> 32);
                c = t7[lo & 0xFF] ^ t6[(lo >>> 8) & 0xFF] ^ t5[(lo >>> 16) & 0xFF] ^ t4[lo >>> 24]
                        ^ t3[hi & 0xFF] ^ t2[(hi >>> 8) & 0xFF] ^ t1[(hi >>> 16) & 0xFF] ^ t0[hi >>> 24];
            }
            for (; p < to; p++) {
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
