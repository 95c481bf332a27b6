package io.specula.tsdb.chunkenc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Appends bits, most significant first, to a growable byte array: the bit stream of
 * Prometheus's chunk encodings (its {@code bstream}). Unused bits of the last byte are zero,
 * which is the format's padding.
 *
 * <p>Invariant that makes it fast: every bit at or after {@link #bitLength()} is zero, up to
 * the end of the array. Writing a value therefore ORs one big-endian 64-bit word into place
 * instead of looping over bytes, and writing a 0 bit is just advancing the position.
 * Callers reserve room with {@link #ensureRoom(int)} once per sample, then write.
 *
 * <p>Not thread-safe. Not final: {@link BitStreamChunk} extends it, so that an XOR chunk is its
 * own stream and appender (one object per open chunk, see {@link XorChunk}).
 */
class BitWriter {
    private static final VarHandle BE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** Room kept after the last byte: a word write touches 8 bytes, plus one spill byte. */
    private static final int SLACK = 9;

    private byte[] buf;
    private int bitLen;
    /** Whether the stream ends with a whole zero byte beyond its bits (see {@link #emptyTailByte}). */
    private boolean emptyTail;

    /** No stream yet: a subclass starts one with {@link #start} or {@link #continueFrom}, or {@link #hold}s data. */
    BitWriter() {}

    /** An empty stream with room for {@code capacity} bytes before it grows. */
    BitWriter(int capacity) {
        start(capacity);
    }

    /**
     * Continues a stream: copies the first {@code bitLength} bits of {@code data} into a new
     * array (bits after them cleared), so the caller's array is never written.
     */
    BitWriter(byte[] data, int bitLength) {
        continueFrom(data, bitLength);
    }

    /** Starts an empty stream with room for {@code capacity} bytes before it grows. */
    final void start(int capacity) {
        buf = new byte[Math.max(capacity, SLACK + 2)];
        bitLen = 0;
        emptyTail = false;
    }

    /**
     * Holds {@code data} without copying, for reading only: a chunk that wraps stored data keeps
     * the array here rather than in a field of its own (its length it keeps itself). Nothing may
     * be written before {@link #continueFrom} (the zero invariant does not hold for foreign data).
     */
    final void hold(byte[] data) {
        buf = data;
        bitLen = 0;
        emptyTail = false;
    }

    /** See {@link #BitWriter(byte[], int)}; {@code data} may be this stream's own array. */
    final void continueFrom(byte[] data, int bitLength) {
        int bytes = (bitLength + 7) >>> 3;
        buf = Arrays.copyOf(data, Math.max(bytes + SLACK + 16, 32));
        Arrays.fill(buf, bytes, buf.length, (byte) 0);
        int used = bitLength & 7;
        if (used != 0) {
            buf[bytes - 1] &= (byte) (0xFF00 >>> used);
        }
        bitLen = bitLength;
        emptyTail = false;
    }

    byte[] array() {
        return buf;
    }

    int bitLength() {
        return bitLen;
    }

    /** Bytes of the stream: those holding the written bits (the last padded with zero bits), plus the empty tail byte if set. */
    int byteLength() {
        return ((bitLen + 7) >>> 3) + (emptyTail ? 1 : 0);
    }

    /**
     * Whether the stream carries one extra zero byte after its last bit. Prometheus's bit stream
     * allocates the next byte eagerly after writing a whole byte, and that byte is part of the
     * chunk's data; the encoder sets this after each sample to match. The next write simply
     * fills the byte (it is zero, and the position already points at it).
     */
    void emptyTailByte(boolean present) {
        emptyTail = present;
    }

    /** Makes sure the next {@code bits} bits can be written without growing. */
    void ensureRoom(int bits) {
        int need = ((bitLen + bits + 7) >>> 3) + SLACK;
        if (need > buf.length) {
            // Grow by half: a chunk of 120 scrape samples ends near 150-200 bytes.
            buf = Arrays.copyOf(buf, Math.max(need, buf.length + (buf.length >>> 1)));
        }
    }

    /** Writes a 0 bit: the zero invariant makes it a position bump. */
    void writeZero() {
        bitLen++;
    }

    void writeOne() {
        writeBits(1, 1);
    }

    /**
     * Writes the low {@code n} bits of {@code v} (1 to 64), most significant first. Higher bits
     * of {@code v} are ignored, so a negative number can be passed as its n-bit two's complement.
     * Room must have been reserved.
     */
    void writeBits(long v, int n) {
        long top = v << (64 - n); // the n bits, left-aligned; the rest of the word is zero
        int pos = bitLen >>> 3;
        int shift = bitLen & 7;
        BE_LONG.set(buf, pos, (long) BE_LONG.get(buf, pos) | (top >>> shift));
        if (n + shift > 64) {
            // The word held 64 - shift of the bits; the last `shift` ones start the next byte.
            buf[pos + 8] = (byte) ((top << (64 - shift)) >>> 56);
        }
        bitLen += n;
    }

    /**
     * Writes like one call of Prometheus's {@code bstream.writeBits(v, n)}, including its tail
     * byte: a call of whole bytes that ends byte-aligned leaves an extra zero byte in the
     * stream. Histogram encoders write through these so that their byte length follows the
     * sequence of Go calls without tracking it field by field.
     */
    void writeBitsTracked(long v, int n) {
        writeBits(v, n);
        emptyTail = (n & 7) == 0 && (bitLen & 7) == 0;
    }

    /** Like {@link #writeBitsTracked} for one bit (Go's {@code writeBit}): never leaves a tail byte. */
    void writeBitTracked(boolean one) {
        if (one) {
            writeBits(1, 1);
        } else {
            bitLen++;
        }
        emptyTail = false;
    }

    /** Writes one byte at the current bit position (not necessarily byte-aligned). */
    void writeByte(int b) {
        writeBits(b & 0xFF, 8);
    }

    /** Go's {@code binary.PutUvarint} bytes, written into the bit stream. */
    void writeUvarint(long v) {
        while ((v & ~0x7FL) != 0) {
            writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        writeByte((int) v);
    }

    /** Go's {@code binary.PutVarint} (zig-zag) bytes. */
    void writeVarint(long v) {
        writeUvarint((v << 1) ^ (v >> 63));
    }

    /** Overwrites the big-endian 16-bit number at byte {@code pos} (the sample-count header). */
    void putBE16(int pos, int v) {
        buf[pos] = (byte) (v >>> 8);
        buf[pos + 1] = (byte) v;
    }

    /** Empties the stream, keeping its array (cleared: writes OR into zero bits). */
    void reset() {
        Arrays.fill(buf, 0, Math.min(buf.length, byteLength() + SLACK), (byte) 0);
        bitLen = 0;
        emptyTail = false;
    }

    /** Drops spare capacity; the next write grows the array again. */
    void trim() {
        buf = Arrays.copyOf(buf, byteLength());
    }
}
