package io.specula.tsdb.chunkenc;

/**
 * What the bit-stream chunk encodings (XOR, histogram, float histogram) share: the bytes are a
 * {@link BitWriter} while the chunk is written, or data wrapped from elsewhere until an appender
 * is asked for; both start with the two-byte big-endian sample count. Not thread-safe.
 */
abstract class BitStreamChunk implements Chunk {
    /** Writable stream; null while the chunk wraps data read from elsewhere. */
    BitWriter writer;
    /** Data from {@link #wrap}, used until an appender is requested. */
    private byte[] data;
    private int dataLength;

    /** Wraps encoded data without copying; a malformed chunk shows up as an iterator error. */
    final void wrap(byte[] data, int length) {
        if (length < 0 || length > data.length) {
            throw new IllegalArgumentException("length " + length + " outside array of " + data.length);
        }
        this.data = data;
        this.dataLength = length;
    }

    @Override
    public final byte[] bytes() {
        return writer != null ? writer.array() : data;
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
            writer = new BitWriter(bytes(), bits);
            writer.emptyTailByte((bits & 7) == 0 && len == (bits >>> 3) + 1);
            data = null;
        }
    }
}
