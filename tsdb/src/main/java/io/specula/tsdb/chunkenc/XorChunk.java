package io.specula.tsdb.chunkenc;

import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.ValueType;

/**
 * Float samples in Prometheus's XOR encoding (Gorilla, Pelkonen et al. 2015, with millisecond
 * timestamps), bit-identical to Prometheus's {@code chunkenc.XORChunk}.
 *
 * <h2>Layout ({@code data} of a chunk record)</h2>
 * <pre>
 * num_samples  uint16 big-endian
 * ts_0         varint (zig-zag, Go's binary.PutVarint)
 * v_0          64 bits: the raw IEEE 754 bits
 * ts_1_delta   uvarint: ts_1 - ts_0
 * v_1          varbit_xor
 * then for n >= 2:
 *   ts_n_dod   varbit_ts: (ts_n - ts_n-1) - (ts_n-1 - ts_n-2)
 *   v_n        varbit_xor
 * padding      0 to 7 zero bits up to a byte boundary, or one zero byte (below)
 * </pre>
 * Everything after {@code v_0} is a bit stream, most significant bit first; the varints are
 * byte-sized but sit at whatever bit position the stream has reached.
 *
 * <p>{@code varbit_ts}, by the smallest range that holds the delta of deltas {@code d}
 * (an n-bit range is {@code [-(2^(n-1) - 1), 2^(n-1)]}):
 * <pre>
 * d == 0              '0'
 * 14-bit range        '10'   + d as 14-bit two's complement
 * 17-bit range        '110'  + d as 17 bits
 * 20-bit range        '1110' + d as 20 bits
 * otherwise           '1111' + d as 64 bits
 * </pre>
 * A reader turns an n-bit field {@code b > 2^(n-1)} into {@code b - 2^n}.
 *
 * <p>{@code varbit_xor} of {@code x = bits(v_n) ^ bits(v_n-1)}:
 * <pre>
 * x == 0                                   '0'
 * x fits the previous window               '10'  + the window's bits of x
 * otherwise (new window)                   '11'  + leading zeros (5 bits, capped at 31)
 *                                                + significant bits (6 bits, 64 written as 0)
 *                                                + the significant bits of x
 * </pre>
 * "Fits" means at least as many leading and trailing zero bits as the window last written.
 * The first XOR of a chunk always opens a window. A reader starts with an empty window
 * (0 leading, 0 trailing zeros, i.e. 64 significant bits).
 *
 * <p>Trailing zero byte: when the stream ends exactly on a byte boundary right after a field
 * of whole bytes (the first sample's value, or an XOR payload of 8, 16, ..., 64 significant
 * bits), Prometheus's chunk carries one more zero byte, because its bit stream allocates the
 * next byte eagerly after writing a whole one. Readers ignore it; we write it too, so that our
 * chunks are byte-identical to Prometheus's (e.g. a one-sample chunk is 13 bytes, not 12).
 *
 * <p>Not thread-safe (see {@link Chunk}).
 */
public final class XorChunk extends BitStreamChunk {
    /** Initial capacity: a chunk of 120 regular scrape samples of a slowly changing gauge. */
    private static final int INITIAL_CAPACITY = 64;

    private XorChunk() {}

    /** An empty chunk (header {@code 00 00}). */
    public static XorChunk create() {
        XorChunk c = new XorChunk();
        c.writer = new BitWriter(INITIAL_CAPACITY);
        c.writer.ensureRoom(16);
        c.writer.writeBits(0, 16); // num_samples = 0
        return c;
    }

    /**
     * Wraps encoded chunk data without copying. Nothing is validated here: a malformed chunk
     * shows up as an iterator {@link SampleIterator#err() error}.
     */
    public static XorChunk fromData(byte[] data, int length) {
        XorChunk c = new XorChunk();
        c.wrap(data, length);
        return c;
    }

    @Override
    public int encoding() {
        return Encoding.XOR;
    }

    /**
     * Empties a chunk built by {@link #create} whose data has been copied elsewhere (the head
     * wrote it to its chunk file), keeping its buffer, so the next chunk of the series is
     * written without allocating or growing an array; {@code appender}, which must be the one
     * this chunk handed out last, continues as the new empty chunk's appender.
     */
    public void reset(ChunkAppender appender) {
        if (writer == null || !(appender instanceof XorAppender a)) {
            throw new IllegalStateException("only a chunk being appended to can be reset");
        }
        writer.reset();
        writer.ensureRoom(16);
        writer.writeBits(0, 16); // num_samples = 0
        a.reset();
    }

    @Override
    public ChunkAppender appender() throws CorruptionException {
        // Learn the encoder state by decoding everything, as Prometheus does; for a chunk we
        // wrote ourselves that is one pass over at most 120 samples when a chunk is reopened.
        XorIterator it = new XorIterator();
        it.reset(bytes(), length());
        while (it.next() != ValueType.NONE) {
            // drain
        }
        if (it.err() != null) {
            throw (CorruptionException) it.err();
        }
        reopenAt(it.bitPosition(), 16);
        return it.appenderState(writer);
    }

    @Override
    public SampleIterator iterator(SampleIterator reuse) {
        XorIterator it = reuse instanceof XorIterator x ? x : new XorIterator();
        it.reset(bytes(), length());
        return it;
    }
}
