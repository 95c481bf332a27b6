package io.specula.tsdb.encoding;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Snappy <em>block</em> format (not the framed stream format), as Prometheus uses it for
 * compressed WAL records and the remote-write/read protocols.
 *
 * <p>Layout of a block:
 * <pre>
 * ┌──────────────────────────────────┬──────────────────────────────┐
 * │ decoded length &lt;uvarint, ≤ 2^32-1&gt; │ element … (until input ends) │
 * └──────────────────────────────────┴──────────────────────────────┘
 * </pre>
 * Every element starts with a tag byte whose low two bits select its kind:
 * <ul>
 * <li>{@code 00} literal: the upper six bits {@code m} give the length − 1 when {@code m < 60};
 *     for {@code m = 60..63} the length − 1 follows as a 1–4 byte little-endian integer.
 *     The literal bytes follow.</li>
 * <li>{@code 01} copy, 1-byte offset: length {@code 4 + bits 2..4} (4–11), offset
 *     {@code bits 5..7 << 8 | next byte} (up to 2047).</li>
 * <li>{@code 10} copy, 2-byte offset: length {@code 1 + bits 2..7} (1–64), offset a
 *     little-endian uint16.</li>
 * <li>{@code 11} copy, 4-byte offset: as {@code 10} with a little-endian uint32 offset.</li>
 * </ul>
 * A copy repeats {@code length} bytes starting {@code offset} bytes back in the output; the
 * ranges may overlap ({@code offset < length} repeats a pattern).
 *
 * <p>Decoding is strictly bounds-checked: every malformed block raises a
 * {@link CorruptionException} with the byte position inside the block, never an unchecked
 * exception, and the announced decoded length is refused when it exceeds what the block could
 * possibly expand to (a copy element of 3 bytes yields at most 64), so a corrupt header
 * cannot make the caller allocate more than 22× the compressed size.
 *
 * <p>The compressor is a plain greedy LZ77 over a 16 Ki-entry hash table of 4-byte sequences,
 * offsets below 64 KiB; its output is valid Snappy that any decoder reads. An instance holds
 * its hash table: not thread-safe, one per writer. The static methods are thread-safe.
 */
public final class Snappy {
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int TABLE_BITS = 14;
    private static final int MAX_OFFSET = 65535;
    /** Inputs shorter than this are stored as one literal: no match could pay for itself. */
    private static final int MIN_COMPRESS = 16;

    private final int[] table = new int[1 << TABLE_BITS];

    /** The largest block {@link #compress} can produce for {@code n} input bytes (Go's {@code MaxEncodedLen}). */
    public static int maxCompressedLength(int n) {
        return 32 + n + n / 6;
    }

    /**
     * Compresses {@code src[off, off+len)} into {@code dst} from {@code dstOff}, which must have
     * room for {@link #maxCompressedLength(int) maxCompressedLength(len)} bytes.
     *
     * @return the number of bytes written
     */
    public int compress(byte[] src, int off, int len, byte[] dst, int dstOff) {
        int d = putUvarint(dst, dstOff, len);
        int end = off + len;
        if (len < MIN_COMPRESS) {
            return emitLiteral(src, off, len, dst, d) - dstOff;
        }
        int anchor = off;
        int ip = off;
        int last = end - 4; // last position where a 4-byte read fits
        while (ip <= last) {
            int word = (int) LE_INT.get(src, ip);
            int h = (word * 0x1E35A7BD) >>> (32 - TABLE_BITS);
            // Entries may be stale (earlier calls, other arrays): a candidate counts only when it
            // lies inside this input, before ip, within reach, and its bytes really match.
            int cand = table[h];
            table[h] = ip;
            if (cand >= off && cand < ip && ip - cand <= MAX_OFFSET && (int) LE_INT.get(src, cand) == word) {
                d = emitLiteral(src, anchor, ip - anchor, dst, d);
                int m = matchLength(src, cand + 4, ip + 4, end) + 4;
                d = emitCopy(ip - cand, m, dst, d);
                ip += m;
                anchor = ip;
            } else {
                // Skip faster through data that does not compress (32 misses → step 2, …).
                ip += 1 + ((ip - anchor) >>> 5);
            }
        }
        d = emitLiteral(src, anchor, end - anchor, dst, d);
        return d - dstOff;
    }

    /** How many bytes from {@code a} equal those from {@code b} ({@code a < b}), up to {@code end}; 8 at a time. */
    private static int matchLength(byte[] src, int a, int b, int end) {
        int n = 0;
        while (b + n + 8 <= end) {
            long x = (long) LE_LONG.get(src, a + n) ^ (long) LE_LONG.get(src, b + n);
            if (x != 0) {
                return n + (Long.numberOfTrailingZeros(x) >>> 3);
            }
            n += 8;
        }
        while (b + n < end && src[a + n] == src[b + n]) {
            n++;
        }
        return n;
    }

    private static int putUvarint(byte[] dst, int d, long v) {
        while ((v & ~0x7FL) != 0) {
            dst[d++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        dst[d++] = (byte) v;
        return d;
    }

    private static int emitLiteral(byte[] src, int off, int len, byte[] dst, int d) {
        if (len == 0) {
            return d;
        }
        int n = len - 1;
        if (n < 60) {
            dst[d++] = (byte) (n << 2);
        } else if (n < 1 << 8) {
            dst[d++] = (byte) (60 << 2);
            dst[d++] = (byte) n;
        } else if (n < 1 << 16) {
            dst[d++] = (byte) (61 << 2);
            dst[d++] = (byte) n;
            dst[d++] = (byte) (n >>> 8);
        } else if (n < 1 << 24) {
            dst[d++] = (byte) (62 << 2);
            dst[d++] = (byte) n;
            dst[d++] = (byte) (n >>> 8);
            dst[d++] = (byte) (n >>> 16);
        } else {
            dst[d++] = (byte) (63 << 2);
            dst[d++] = (byte) n;
            dst[d++] = (byte) (n >>> 8);
            dst[d++] = (byte) (n >>> 16);
            dst[d++] = (byte) (n >>> 24);
        }
        if (len <= 16) {
            // Short literals between short matches are the common case in WAL records;
            // a loop beats the setup cost of arraycopy there.
            for (int i = 0; i < len; i++) {
                dst[d + i] = src[off + i];
            }
        } else {
            System.arraycopy(src, off, dst, d, len);
        }
        return d + len;
    }

    /** Emits a match of {@code len >= 4} bytes as copies of at most 64, the last one at least 4 long. */
    private static int emitCopy(int offset, int len, byte[] dst, int d) {
        while (len >= 68) {
            d = emitCopy2(offset, 64, dst, d);
            len -= 64;
        }
        if (len > 64) {
            d = emitCopy2(offset, 60, dst, d);
            len -= 60;
        }
        if (len <= 11 && offset < 2048) {
            dst[d++] = (byte) (1 | (len - 4) << 2 | (offset >>> 8) << 5);
            dst[d++] = (byte) offset;
            return d;
        }
        return emitCopy2(offset, len, dst, d);
    }

    private static int emitCopy2(int offset, int len, byte[] dst, int d) {
        dst[d++] = (byte) (2 | (len - 1) << 2);
        dst[d++] = (byte) offset;
        dst[d++] = (byte) (offset >>> 8);
        return d;
    }

    /**
     * The decoded length announced by the block {@code src[off, off+len)}, validated against
     * what the block could expand to.
     *
     * @param source names the data in a {@link CorruptionException}; offsets are relative to {@code off}
     */
    public static int decompressedLength(byte[] src, int off, int len, String source) throws CorruptionException {
        DataInput in = new DataInput(MemorySegment.ofArray(src), source, off, off + len);
        long n = in.readUvarint();
        long body = off + len - in.position();
        if (Long.compareUnsigned(n, 0xFFFF_FFFFL) > 0) {
            throw new CorruptionException(source, 0, "snappy decoded length " + Long.toUnsignedString(n) + " exceeds 2^32-1");
        }
        if (n > body * 22 || n > Integer.MAX_VALUE - 16) {
            throw new CorruptionException(source, 0,
                    "snappy decoded length " + n + " impossible for " + body + " bytes of elements");
        }
        return (int) n;
    }

    /**
     * Decompresses the block {@code src[off, off+len)} into {@code dst} from {@code dstOff};
     * {@code dst} must have room for {@link #decompressedLength} bytes.
     *
     * @return the decoded length
     * @throws CorruptionException for any malformed block, with the offset inside the block
     */
    public static int decompress(byte[] src, int off, int len, byte[] dst, int dstOff, String source)
            throws CorruptionException {
        int n = decompressedLength(src, off, len, source);
        if (n > dst.length - dstOff) {
            throw new IllegalArgumentException("destination has " + (dst.length - dstOff) + " bytes, block needs " + n);
        }
        int s = off + uvarintLength(src, off);
        int end = off + len;
        int d = dstOff;
        int dEnd = dstOff + n;
        while (s < end) {
            int at = s;
            int tag = src[s] & 0xFF;
            long length;
            long offset;
            switch (tag & 3) {
                case 0 -> {
                    int m = tag >>> 2;
                    if (m < 60) {
                        length = m + 1;
                        s += 1;
                    } else {
                        int extra = m - 59;
                        if (extra > end - s - 1) {
                            throw corrupt(source, at, off, "truncated literal length");
                        }
                        long x = 0;
                        for (int i = 0; i < extra; i++) {
                            x |= (long) (src[s + 1 + i] & 0xFF) << (8 * i);
                        }
                        length = x + 1;
                        s += 1 + extra;
                    }
                    if (length > end - s) {
                        throw corrupt(source, at, off, "literal of " + length + " bytes overruns the input (" + (end - s) + " left)");
                    }
                    if (length > dEnd - d) {
                        throw corrupt(source, at, off, "literal of " + length + " bytes overruns the decoded length " + n);
                    }
                    System.arraycopy(src, s, dst, d, (int) length);
                    s += (int) length;
                    d += (int) length;
                    continue;
                }
                case 1 -> {
                    if (end - s < 2) {
                        throw corrupt(source, at, off, "truncated copy element");
                    }
                    length = 4 + ((tag >>> 2) & 7);
                    offset = (tag >>> 5) << 8 | (src[s + 1] & 0xFF);
                    s += 2;
                }
                case 2 -> {
                    if (end - s < 3) {
                        throw corrupt(source, at, off, "truncated copy element");
                    }
                    length = 1 + (tag >>> 2);
                    offset = (src[s + 1] & 0xFF) | (src[s + 2] & 0xFF) << 8;
                    s += 3;
                }
                default -> {
                    if (end - s < 5) {
                        throw corrupt(source, at, off, "truncated copy element");
                    }
                    length = 1 + (tag >>> 2);
                    offset = Integer.toUnsignedLong((int) LE_INT.get(src, s + 1));
                    s += 5;
                }
            }
            if (offset == 0 || offset > d - dstOff) {
                throw corrupt(source, at, off, "copy offset " + offset + " outside the " + (d - dstOff) + " bytes decoded so far");
            }
            if (length > dEnd - d) {
                throw corrupt(source, at, off, "copy of " + length + " bytes overruns the decoded length " + n);
            }
            int from = d - (int) offset;
            int l = (int) length;
            if (offset >= length) {
                System.arraycopy(dst, from, dst, d, l);
            } else {
                // Overlapping copy: repeats the last `offset` bytes; must go byte by byte.
                for (int i = 0; i < l; i++) {
                    dst[d + i] = dst[from + i];
                }
            }
            d += l;
        }
        if (d != dEnd) {
            throw corrupt(source, end, off, "block decodes to " + (d - dstOff) + " bytes, header announced " + n);
        }
        return n;
    }

    private static int uvarintLength(byte[] src, int off) {
        int i = off;
        while ((src[i] & 0x80) != 0) {
            i++;
        }
        return i - off + 1;
    }

    private static CorruptionException corrupt(String source, int at, int base, String message) {
        return new CorruptionException(source, at - base, "snappy: " + message);
    }
}
