package io.specula.tsdb.chunkenc;

/**
 * What the bit-stream chunk encodings (XOR, histogram, float histogram) share: the bytes are a
 * {@link BitWriter} while the chunk is written, or data wrapped from elsewhere until an appender
 * is asked for; both start with the two-byte big-endian sample count. Not thread-safe.
 *
 * <p>The chunk is itself a {@link BitWriter}: wrapped data is held in its fields (read only), and
 * an XOR chunk writes its own stream ({@code writer == this}), so that an open XOR chunk is one
 * object. Histogram chunks write through a separate writer, which their appenders share.
 */
abstract class BitStreamChunk extends BitWriter implements Chunk {
    /** Writable stream ({@code this} for XOR chunks); null while the chunk wraps data read from elsewhere. */
    BitWriter writer;
    /** Bytes of the wrapped data (the array is held as the inherited stream's). */
    private int dataLength;
    private static final byte[] NO_BYTES = new byte[0];

    /** Wraps encoded data without copying; a malformed chunk shows up as an iterator error. */
    final void wrap(byte[] data, int length) {
        if (length < 0 || length > data.length) {
            throw new IllegalArgumentException("length " + length + " outside array of " + data.length);
        }
        hold(data);
        dataLength = length;
    }

    @Override
    public final byte[] bytes() {
        return writer != null ? writer.array() : array();
    }

    @Override
    public final int length() {
        return writer != null ? writer.byteLength() : dataLength;
    }

    @Override
    public final int numSamples() {
        byte[] b = bytes();
        return length() < 2 ? 0 : ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
    }

    /** Drops spare capacity of a chunk that is complete (the head calls it when it cuts a chunk). */
    public final void compact() {
        if (writer != null) {
            writer.trim();
        }
    }

    /**
     * Makes the stream writable after its last sample, which a full decode found to end at bit
     * {@code decodedBits} (at least {@code headerBits}), keeping Prometheus's empty tail byte if
     * the data has it, so appending continues a chunk as Prometheus would.
     */
    final void reopenAt(int decodedBits, int headerBits) {
        if (writer == null || writer.bitLength() != decodedBits) {
            int bits = Math.max(headerBits, decodedBits);
            int len = length();
            byte[] data = bytes();
            writer = writesItself() ? this : new BitWriter();
            writer.continueFrom(data, bits);
            writer.emptyTailByte((bits & 7) == 0 && len == (bits >>> 3) + 1);
            if (writer != this) {
                hold(NO_BYTES); // the copy is the stream now: let the wrapped array go
            }
        }
    }

    /** Whether the chunk writes its own stream rather than a separate {@link BitWriter}. */
    boolean writesItself() {
        return false;
    }
}
