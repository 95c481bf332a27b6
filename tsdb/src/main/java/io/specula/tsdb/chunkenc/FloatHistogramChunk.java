package io.specula.tsdb.chunkenc;

import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.ValueType;

/**
 * Float native histograms in Prometheus's {@code floathistogram} encoding (3), bit-identical
 * to its {@code chunkenc.FloatHistogramChunk}: what recording rules and remote write produce
 * when counts are not integers.
 *
 * <h2>Layout</h2>
 * The header and the chunk layout are those of {@link HistogramChunk}; the samples differ:
 * <pre>
 *   field      ts          count     zero_count  sum       buckets (pos, then neg)
 *   sample 1   varbit_int  64 bits   64 bits     64 bits   64 bits each (absolute counts)
 *   later      varbit_int  xor       xor         xor       xor each
 *              (dod)
 * </pre>
 * "xor" is the Gorilla value encoding of XOR chunks, with one window per field and bucket.
 * A stale marker writes no buckets.
 *
 * <p>Not thread-safe (see {@link Chunk}).
 */
public final class FloatHistogramChunk extends BitStreamChunk {
    static final int HEADER_SIZE = 3;

    static final int HEADER_MASK = HistogramChunk.HEADER_MASK;

    private FloatHistogramChunk() {}

    /** An empty chunk: three zero header bytes. */
    public static FloatHistogramChunk create() {
        FloatHistogramChunk c = new FloatHistogramChunk();
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
    public static FloatHistogramChunk fromData(byte[] data, int length) {
        FloatHistogramChunk c = new FloatHistogramChunk();
        c.wrap(data, length);
        return c;
    }

    @Override
    public int encoding() {
        return Encoding.FLOAT_HISTOGRAM;
    }

    /** The counter-reset header: one of {@link HistogramChunk}'s {@code HEADER_*} constants. */
    public int counterResetHeader() {
        return length() < HEADER_SIZE ? HistogramChunk.HEADER_UNKNOWN : bytes()[2] & HEADER_MASK;
    }

    void setCounterResetHeader(int header) {
        byte[] b = writer.array();
        b[2] = (byte) ((b[2] & ~HEADER_MASK) | (header & HEADER_MASK));
    }

    @Override
    public FloatHistogramAppender appender() throws CorruptionException {
        if (writer != null && writer.bitLength() == HEADER_SIZE * 8) {
            return new FloatHistogramAppender(this);
        }
        FloatHistogramIterator it = new FloatHistogramIterator();
        it.reset(bytes(), length());
        while (it.next() != ValueType.NONE) {
            // decode everything to learn the encoder's state, as Prometheus does
        }
        if (it.err() != null) {
            throw (CorruptionException) it.err();
        }
        reopenAt(it.bitPosition(), HEADER_SIZE * 8);
        FloatHistogramAppender a = new FloatHistogramAppender(this);
        a.restore(it);
        return a;
    }

    @Override
    public SampleIterator iterator(SampleIterator reuse) {
        FloatHistogramIterator it = reuse instanceof FloatHistogramIterator h ? h : new FloatHistogramIterator();
        it.reset(bytes(), length());
        return it;
    }
}
