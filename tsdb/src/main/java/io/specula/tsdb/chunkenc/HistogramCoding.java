package io.specula.tsdb.chunkenc;

import io.specula.model.histogram.Spans;
import io.specula.tsdb.encoding.CorruptionException;
import java.util.Arrays;

/**
 * Field encodings shared by the two histogram chunk formats ({@link HistogramChunk},
 * {@link FloatHistogramChunk}), bit-identical to Prometheus's.
 *
 * <h2>varbit integers</h2>
 * A prefix of up to eight bits chooses the width of a two's-complement field (unsigned for
 * {@code varbit_uint}):
 * <pre>
 * 0          value 0
 * 10         3 bits      (-3..4, unsigned 0..7)
 * 110        6 bits
 * 1110       9 bits
 * 11110      12 bits
 * 111110     18 bits
 * 1111110    25 bits
 * 11111110   56 bits
 * 11111111   64 bits
 * </pre>
 * An n-bit signed field {@code b > 2^(n-1)} reads as {@code b - 2^n}.
 *
 * <h2>Chunk layout (written with the first sample)</h2>
 * <pre>
 * zero_threshold   one byte: 0 = threshold 0; 1..254 = 2^(b-243-1) (a power of two);
 *                  255 = followed by the 64 bits of the float
 * schema           varbit_int
 * positive spans   varbit_uint count, then per span varbit_uint length, varbit_int offset
 * negative spans   the same
 * custom bounds    only for schema -53: varbit_uint count, then per bound either
 *                  varbit_uint (bound*1000 + 1) when bound*1000 is a whole number in
 *                  [0, 33554430], or a 0 bit and the 64 bits of the float
 * </pre>
 */
final class HistogramCoding {
    private HistogramCoding() {}

    /** Reserves room for the longest field any helper here writes. */
    static final int MAX_FIELD_BITS = 80;

    static boolean bitRange(long x, int nbits) {
        return -((1L << (nbits - 1)) - 1) <= x && x <= 1L << (nbits - 1);
    }

    static void putVarbitInt(BitWriter w, long v) {
        w.ensureRoom(MAX_FIELD_BITS);
        if (v == 0) {
            w.writeBitTracked(false);
        } else if (bitRange(v, 3)) {
            w.writeBitsTracked(0b10, 2);
            w.writeBitsTracked(v, 3);
        } else if (bitRange(v, 6)) {
            w.writeBitsTracked(0b110, 3);
            w.writeBitsTracked(v, 6);
        } else if (bitRange(v, 9)) {
            w.writeBitsTracked(0b1110, 4);
            w.writeBitsTracked(v, 9);
        } else if (bitRange(v, 12)) {
            w.writeBitsTracked(0b11110, 5);
            w.writeBitsTracked(v, 12);
        } else if (bitRange(v, 18)) {
            w.writeBitsTracked(0b111110, 6);
            w.writeBitsTracked(v, 18);
        } else if (bitRange(v, 25)) {
            w.writeBitsTracked(0b1111110, 7);
            w.writeBitsTracked(v, 25);
        } else if (bitRange(v, 56)) {
            w.writeBitsTracked(0b11111110, 8);
            w.writeBitsTracked(v, 56);
        } else {
            w.writeBitsTracked(0b11111111, 8);
            w.writeBitsTracked(v, 64);
        }
    }

    /** {@code v} is unsigned. */
    static void putVarbitUint(BitWriter w, long v) {
        w.ensureRoom(MAX_FIELD_BITS);
        int lz = Long.numberOfLeadingZeros(v);
        if (v == 0) {
            w.writeBitTracked(false);
        } else if (lz >= 64 - 3) {
            w.writeBitsTracked(0b10, 2);
            w.writeBitsTracked(v, 3);
        } else if (lz >= 64 - 6) {
            w.writeBitsTracked(0b110, 3);
            w.writeBitsTracked(v, 6);
        } else if (lz >= 64 - 9) {
            w.writeBitsTracked(0b1110, 4);
            w.writeBitsTracked(v, 9);
        } else if (lz >= 64 - 12) {
            w.writeBitsTracked(0b11110, 5);
            w.writeBitsTracked(v, 12);
        } else if (lz >= 64 - 18) {
            w.writeBitsTracked(0b111110, 6);
            w.writeBitsTracked(v, 18);
        } else if (lz >= 64 - 25) {
            w.writeBitsTracked(0b1111110, 7);
            w.writeBitsTracked(v, 25);
        } else if (lz >= 64 - 56) {
            w.writeBitsTracked(0b11111110, 8);
            w.writeBitsTracked(v, 56);
        } else {
            w.writeBitsTracked(0b11111111, 8);
            w.writeBitsTracked(v, 64);
        }
    }

    /** The field width the prefix announces; 0 for the value 0, 64 for the widest. */
    private static int readWidth(BitReader r) throws CorruptionException {
        int peek = r.peek8();
        if (peek >= 0) {
            // Count the prefix's ones in one step: most fields are 1 to 6 bits of prefix.
            int ones = Integer.numberOfLeadingZeros(~(peek << 24));
            r.skip(ones < 8 ? ones + 1 : 8);
            return WIDTHS[ones];
        }
        int ones = 0;
        while (ones < 8 && r.readBit() == 1) {
            ones++;
        }
        return switch (ones) {
            case 0 -> 0;
            case 1 -> 3;
            case 2 -> 6;
            case 3 -> 9;
            case 4 -> 12;
            case 5 -> 18;
            case 6 -> 25;
            case 7 -> 56;
            default -> 64;
        };
    }

    private static final int[] WIDTHS = {0, 3, 6, 9, 12, 18, 25, 56, 64};

    static long readVarbitInt(BitReader r) throws CorruptionException {
        int sz = readWidth(r);
        if (sz == 0) {
            return 0;
        }
        long bits = r.readBits(sz);
        if (sz == 64) {
            return bits;
        }
        if (bits > (1L << (sz - 1))) {
            bits -= 1L << sz;
        }
        return bits;
    }

    static long readVarbitUint(BitReader r) throws CorruptionException {
        int sz = readWidth(r);
        return sz == 0 ? 0 : r.readBits(sz);
    }

    static void putZeroThreshold(BitWriter w, double threshold) {
        w.ensureRoom(MAX_FIELD_BITS);
        if (threshold == 0) {
            w.writeBitsTracked(0, 8);
            return;
        }
        // Go's math.Frexp: threshold = frac * 2^exp with frac in [0.5, 1).
        int exp = Math.getExponent(threshold) + 1;
        boolean powerOfTwo = threshold > 0 && !Double.isInfinite(threshold) && !Double.isNaN(threshold)
                && Math.getExponent(threshold) >= Double.MIN_EXPONENT
                && (Double.doubleToRawLongBits(threshold) & 0x000FFFFFFFFFFFFFL) == 0;
        if (!powerOfTwo || exp < -242 || exp > 11) {
            w.writeBitsTracked(255, 8);
            w.writeBitsTracked(Double.doubleToRawLongBits(threshold), 64);
            return;
        }
        w.writeBitsTracked(exp + 243, 8);
    }

    static double readZeroThreshold(BitReader r) throws CorruptionException {
        int b = (int) r.readBits(8);
        return switch (b) {
            case 0 -> 0;
            case 255 -> Double.longBitsToDouble(r.readBits(64));
            default -> Math.scalb(0.5, b - 243);
        };
    }

    static void putSpans(BitWriter w, int[] spans) {
        putVarbitUint(w, spans.length >>> 1);
        for (int k = 0; k < spans.length; k += 2) {
            putVarbitUint(w, spans[k + 1] & 0xFFFFFFFFL);
            putVarbitInt(w, spans[k]);
        }
    }

    static int[] readSpans(BitReader r) throws CorruptionException {
        long n = readVarbitUint(r);
        if (n == 0) {
            return Spans.NONE;
        }
        if (n > 1 << 20) {
            throw new CorruptionException("<chunk>", r.bitPosition() >>> 3, "histogram chunk layout claims " + n + " spans");
        }
        int[] spans = new int[(int) n * 2];
        long buckets = 0;
        for (int k = 0; k < spans.length; k += 2) {
            long len = readVarbitUint(r);
            buckets += len;
            if (buckets > 1 << 20) {
                throw new CorruptionException("<chunk>", r.bitPosition() >>> 3, "histogram chunk layout claims " + buckets + " buckets");
            }
            spans[k + 1] = (int) len;
            spans[k] = (int) readVarbitInt(r);
        }
        return spans;
    }

    static void putCustomBounds(BitWriter w, double[] bounds) {
        putVarbitUint(w, bounds.length);
        for (double f : bounds) {
            double tf = f * 1000;
            if (tf < 0 || tf > 33554430 || !wholeWhenMultiplied(f)) {
                w.ensureRoom(MAX_FIELD_BITS);
                w.writeBitTracked(false);
                w.writeBitsTracked(Double.doubleToRawLongBits(f), 64);
            } else {
                putVarbitUint(w, Math.round(tf) + 1);
            }
        }
    }

    /** Go's {@code isWholeWhenMultiplied} for f*1000 in [0, 33554430]: rounding f*1000 loses nothing. */
    private static boolean wholeWhenMultiplied(double f) {
        return f == Math.round(f * 1000) / 1000.0;
    }

    static double[] readCustomBounds(BitReader r) throws CorruptionException {
        long n = readVarbitUint(r);
        if (n > 1 << 20) {
            throw new CorruptionException("<chunk>", r.bitPosition() >>> 3, "histogram chunk layout claims " + n + " custom bounds");
        }
        double[] out = new double[(int) n];
        for (int i = 0; i < out.length; i++) {
            long b = readVarbitUint(r);
            out[i] = b == 0 ? Double.longBitsToDouble(r.readBits(64)) : (b - 1) / 1000.0;
        }
        return out;
    }

    /**
     * Go's {@code xorWrite}: the XOR of {@code newBits} with {@code curBits} in the Gorilla
     * value encoding, given the window ({@code leading}, {@code trailing}; leading 0xFF means
     * none yet). Returns the window afterwards, packed as {@code leading << 8 | trailing}.
     */
    static int xorWrite(BitWriter w, long newBits, long curBits, int leading, int trailing) {
        w.ensureRoom(2 + 5 + 6 + 64);
        long delta = newBits ^ curBits;
        if (delta == 0) {
            w.writeBitTracked(false);
            return leading << 8 | trailing;
        }
        w.writeBitTracked(true);
        int newLeading = Math.min(Long.numberOfLeadingZeros(delta), 31);
        int newTrailing = Long.numberOfTrailingZeros(delta);
        if (leading != 0xFF && newLeading >= leading && newTrailing >= trailing) {
            w.writeBitTracked(false);
            w.writeBitsTracked(delta >>> trailing, 64 - leading - trailing);
            return leading << 8 | trailing;
        }
        w.writeBitTracked(true);
        w.writeBitsTracked(newLeading, 5);
        int sig = 64 - newLeading - newTrailing;
        w.writeBitsTracked(sig, 6);
        w.writeBitsTracked(delta >>> newTrailing, sig);
        return newLeading << 8 | newTrailing;
    }

    /**
     * Go's {@code xorRead}, reading state from and back into {@code bits[i]} (value bits) and
     * {@code lt[i]} (window packed as in {@link #xorWrite}).
     */
    static void xorRead(BitReader r, long[] bits, int[] lt, int i) throws CorruptionException {
        if (r.readBit() == 0) {
            return;
        }
        int leading = lt[i] >>> 8;
        int trailing = lt[i] & 0xFF;
        int mbits;
        if (r.readBit() == 0) {
            mbits = 64 - leading - trailing;
        } else {
            leading = (int) r.readBits(5);
            mbits = (int) r.readBits(6);
            if (mbits == 0) {
                mbits = 64;
            }
            trailing = 64 - leading - mbits;
            if (trailing < 0) {
                throw new CorruptionException("<chunk>", r.bitPosition() >>> 3, "invalid XOR window: " + leading + " leading and " + mbits + " significant bits");
            }
            lt[i] = leading << 8 | trailing;
        }
        long v = r.readBits(mbits);
        bits[i] ^= v << (64 - leading - mbits);
    }

    static int bucketCount(int[] spans) {
        return Spans.bucketCount(spans);
    }

    /**
     * Zero buckets to insert into a bucket array before each position: {@code counts[p]} new
     * buckets go before old bucket {@code p} ({@code p == old length}: at the end).
     * Null when nothing is inserted.
     */
    static int[] inserts(int[] fromIdx, int fromN, int[] toIdx, int toN) {
        int[] counts = null;
        int i = 0;
        for (int j = 0; j < toN; j++) {
            while (i < fromN && fromIdx[i] < toIdx[j]) {
                i++;
            }
            if (i < fromN && fromIdx[i] == toIdx[j]) {
                i++;
                continue;
            }
            if (counts == null) {
                counts = new int[fromN + 1];
            }
            counts[i]++;
        }
        return counts;
    }

    /** Delta-encoded {@code in} with zero buckets inserted per {@link #inserts}. */
    static long[] insertDeltas(long[] in, int[] counts, int outLen) {
        long[] out = new long[outLen];
        int o = 0;
        long prevAbs = 0; // absolute count of the bucket written last
        long abs = 0;
        for (int i = 0; i <= in.length; i++) {
            for (int c = 0; c < counts[i]; c++) {
                out[o++] = -prevAbs;
                prevAbs = 0;
            }
            if (i < in.length) {
                abs += in[i];
                out[o++] = abs - prevAbs;
                prevAbs = abs;
            }
        }
        return out;
    }

    /** Absolute {@code in} with zero buckets inserted per {@link #inserts}. */
    static double[] insertAbsolute(double[] in, int[] counts, int outLen) {
        double[] out = new double[outLen];
        int o = 0;
        for (int i = 0; i <= in.length; i++) {
            o += counts[i];
            if (i < in.length) {
                out[o++] = in[i];
            }
        }
        return out;
    }

    /** Union of two ascending index lists. */
    static int[] union(int[] a, int na, int[] b, int nb) {
        int[] out = new int[na + nb];
        int n = 0;
        int i = 0;
        int j = 0;
        while (i < na || j < nb) {
            if (j == nb || (i < na && a[i] < b[j])) {
                out[n++] = a[i++];
            } else if (i == na || b[j] < a[i]) {
                out[n++] = b[j++];
            } else {
                out[n++] = a[i++];
                j++;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Spans for ascending bucket indexes, adjacent ones merged (Prometheus's merged-span construction). */
    static int[] spansOf(int[] idx) {
        if (idx.length == 0) {
            return Spans.NONE;
        }
        int[] s = new int[idx.length * 2];
        int n = 0;
        int last = 0;
        for (int k = 0; k < idx.length; k++) {
            if (n > 0 && idx[k] == last + 1) {
                s[n - 1]++;
            } else {
                int offset = n == 0 ? idx[k] : idx[k] - last - 1;
                s[n] = offset;
                s[n + 1] = 1;
                n += 2;
            }
            last = idx[k];
        }
        return Arrays.copyOf(s, n);
    }
}
