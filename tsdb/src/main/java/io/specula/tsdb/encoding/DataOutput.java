package io.specula.tsdb.encoding;

import java.nio.charset.StandardCharsets;

/**
 * Writes the primitive encodings of Prometheus's on-disk formats. Subclasses provide only
 * {@link #writeByte} and {@link #writeBytes}; every helper here produces exactly the bytes
 * Go's {@code encoding/binary} does: big-endian fixed-width integers, {@code PutUvarint}
 * (7 bits per byte, least significant group first) and {@code PutVarint} (zig-zag).
 */
public abstract class DataOutput {

    public abstract void writeByte(int b);

    public abstract void writeBytes(byte[] b, int off, int len);

    public final void writeBytes(byte[] b) {
        writeBytes(b, 0, b.length);
    }

    public final void writeBE16(int v) {
        writeByte(v >>> 8);
        writeByte(v);
    }

    public final void writeBE32(int v) {
        writeByte(v >>> 24);
        writeByte(v >>> 16);
        writeByte(v >>> 8);
        writeByte(v);
    }

    public final void writeBE64(long v) {
        writeBE32((int) (v >>> 32));
        writeBE32((int) v);
    }

    /** An IEEE 754 double as its 64 raw bits, big-endian (NaN payloads such as staleness markers kept). */
    public final void writeDouble(double v) {
        writeBE64(Double.doubleToRawLongBits(v));
    }

    /** Go's {@code binary.PutUvarint}: {@code v} is treated as unsigned. */
    public final void writeUvarint(long v) {
        while ((v & ~0x7FL) != 0) {
            writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        writeByte((int) v);
    }

    /** Go's {@code binary.PutVarint}: zig-zag, then uvarint. */
    public final void writeVarint(long v) {
        writeUvarint((v << 1) ^ (v >> 63));
    }

    /** A uvarint byte length followed by the UTF-8 bytes, as the index's symbol and label strings. */
    public final void writeUvarintString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeUvarint(b.length);
        writeBytes(b, 0, b.length);
    }

    /** Number of bytes {@link #writeUvarint} writes for {@code v}. */
    public static int uvarintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }
}
