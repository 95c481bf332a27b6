package io.specula.tsdb.chunkenc;

import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.ValueType;

/**
 * Integer native histograms in Prometheus's {@code histogram} encoding (2), bit-identical to
 * its {@code chunkenc.HistogramChunk}.
 *
 * <h2>Layout</h2>
 * <pre>
 * num_samples   uint16 big-endian
 * flags         one byte: the top two bits are the counter-reset header
 *               (00 unknown, 01 not a reset, 10 reset, 11 gauge histogram); the rest zero
 * layout        with the first sample, see {@link HistogramCoding}
 * samples       fields per sample, bit stream:
 *
 *   field      ts          count        zero_count   sum        buckets (pos, then neg)
 *   sample 1   varbit_int  varbit_uint  varbit_uint  64 bits    varbit_int (delta-encoded counts)
 *   later      varbit_int  varbit_int   varbit_int   xor        varbit_int
 *              (dod)       (dod)        (dod)                   (dod of each bucket's delta)
 * </pre>
 * The second sample needs no special case: with the previous deltas at zero its "delta of
 * deltas" is its delta. A stale marker (sum = staleness NaN) writes no buckets and zero count
 * dods. Like XOR chunks, the stream keeps Prometheus's extra zero byte after a byte-aligned
 * write of whole bytes.
 *
 * <p>All samples share the layout of the first. An appender {@linkplain HistogramAppender
 * recodes} the chunk when a histogram brings new buckets, and cuts a new chunk on a counter
 * reset, a schema or zero-threshold change, or a non-stale sample after a stale one.
 *
 * <p>Not thread-safe (see {@link Chunk}).
 */
public final class HistogramChunk extends BitStreamChunk {
    static final int HEADER_SIZE = 3;

    /** Counter-reset header values (the flags byte, masked). */
    public static final int HEADER_UNKNOWN = 0b0000_0000;
    public static final int HEADER_NOT_COUNTER_RESET = 0b0100_0000;
    public static final int HEADER_COUNTER_RESET = 0b1000_0000;
    public static final int HEADER_GAUGE = 0b1100_0000;
    static final int HEADER_MASK = 0b1100_0000;

    private HistogramChunk() {}

    /** An empty chunk: three zero header bytes. */
    public static HistogramChunk create() {
        HistogramChunk c = new HistogramChunk();
        c.writer = newStream();
        return c;
    }

    static BitWriter newStream() {
        BitWriter w = new BitWriter(128);
        w.ensureRoom(24);
        w.writeBits(0, 24);
        w.emptyTailByte(false);
        return w;
    }

    /** Wraps encoded data without copying; problems show up as iterator errors. */
    public static HistogramChunk fromData(byte[] data, int length) {
        HistogramChunk c = new HistogramChunk();
        c.wrap(data, length);
        return c;
    }

    @Override
    public int encoding() {
        return Encoding.HISTOGRAM;
    }

    /** The counter-reset header: one of the {@code HEADER_*} constants. */
    public int counterResetHeader() {
        return length() < HEADER_SIZE ? HEADER_UNKNOWN : bytes()[2] & HEADER_MASK;
    }

    void setCounterResetHeader(int header) {
        byte[] b = writer.array();
        b[2] = (byte) ((b[2] & ~HEADER_MASK) | (header & HEADER_MASK));
    }

    @Override
    public HistogramAppender appender() throws CorruptionException {
        if (writer != null && writer.bitLength() == HEADER_SIZE * 8) {
            return new HistogramAppender(this);
        }
        HistogramIterator it = new HistogramIterator();
        it.reset(bytes(), length());
        while (it.next() != ValueType.NONE) {
            // decode everything to learn the encoder's state, as Prometheus does
        }
        if (it.err() != null) {
            throw (CorruptionException) it.err();
        }
        reopenAt(it.bitPosition(), HEADER_SIZE * 8);
        HistogramAppender a = new HistogramAppender(this);
        a.restore(it);
        return a;
    }

    @Override
    public SampleIterator iterator(SampleIterator reuse) {
        HistogramIterator it = reuse instanceof HistogramIterator h ? h : new HistogramIterator();
        it.reset(bytes(), length());
        return it;
    }
}
