package io.specula.tsdb.chunkenc;

import io.specula.tsdb.encoding.CorruptionException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads the bit stream {@link BitWriter} writes, most significant bit first, from
 * {@code buf[0, limit)}. A read past the limit throws {@link CorruptionException} (never an
 * unchecked exception): chunk data comes from disk and may be truncated or garbage.
 *
 * <p>Reads are positional: one unaligned big-endian word load and two shifts when at least
 * 8 bytes of the array are left, a byte loop near the end. Reusable via {@link #reset}.
 */
final class BitReader {
    private static final VarHandle BE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] buf = new byte[0];
    private int limitBits;
    private int pos;

    /** Positions the reader at byte {@code fromByte} of {@code buf}; data ends at byte {@code toByte}. */
    void reset(byte[] buf, int fromByte, int toByte) {
        this.buf = buf;
        this.pos = fromByte << 3;
        this.limitBits = toByte << 3;
    }

    /** Current position, in bits from the start of the array. */
    int bitPosition() {
        return pos;
    }

    int readBit() throws CorruptionException {
        int p = pos;
        if (p >= limitBits) {
            throw truncated(1);
        }
        pos = p + 1;
        return (buf[p >>> 3] >>> (7 - (p & 7))) & 1;
    }

    /** The next 8 bits without consuming them, or -1 when fewer than 8 are left. */
    int peek8() {
        int p = pos;
        if (limitBits - p < 8) {
            return -1;
        }
        int bytePos = p >>> 3;
        int shift = p & 7;
        int hi = buf[bytePos] & 0xFF;
        if (shift == 0) {
            return hi;
        }
        return ((hi << shift) | ((buf[bytePos + 1] & 0xFF) >>> (8 - shift))) & 0xFF;
    }

    /** Consumes {@code n} bits already known to be there (after {@link #peek8()}). */
    void skip(int n) {
        pos += n;
    }

    /** Reads {@code n} bits (1 to 64) as an unsigned number. */
    long readBits(int n) throws CorruptionException {
        if (n > 56) {
            long hi = readBits(n - 32);
            return (hi << 32) | readBits(32);
        }
        int p = pos;
        if (n > limitBits - p) {
            throw truncated(n);
        }
        int bytePos = p >>> 3;
        long v;
        if (bytePos + 8 <= buf.length) {
            // n <= 56 and shift <= 7, so all n bits are inside this one word.
            long word = (long) BE_LONG.get(buf, bytePos);
            v = (word << (p & 7)) >>> (64 - n);
        } else {
            v = readSlow(p, n);
        }
        pos = p + n;
        return v;
    }

    private long readSlow(int p, int n) {
        long v = 0;
        while (n > 0) {
            int avail = 8 - (p & 7);
            int take = Math.min(avail, n);
            int b = buf[p >>> 3] & 0xFF;
            v = (v << take) | ((b >>> (avail - take)) & ((1 << take) - 1));
            p += take;
            n -= take;
        }
        return v;
    }

    /** Go's {@code binary.ReadUvarint} over the bit stream, rejecting over-long encodings. */
    long readUvarint() throws CorruptionException {
        int start = pos;
        long x = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = (int) readBits(8);
            if (b < 0x80) {
                if (shift == 63 && b > 1) {
                    break;
                }
                return x | ((long) b << shift);
            }
            x |= (long) (b & 0x7F) << shift;
        }
        throw new CorruptionException("<chunk>", start >>> 3, "uvarint overflows 64 bits");
    }

    long readVarint() throws CorruptionException {
        long u = readUvarint();
        return (u >>> 1) ^ -(u & 1);
    }

    private CorruptionException truncated(int n) {
        return new CorruptionException("<chunk>", pos >>> 3,
                "chunk data ends: need " + n + " bits at bit " + pos + " of " + limitBits);
    }
}
