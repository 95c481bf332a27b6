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
 * <p>A chunk being written is its own {@link ChunkAppender} and bit stream: the head holds one
 * object per open chunk (plus its byte array) and each sample touches only those two, instead
 * of a chunk, an appender and a writer. Appending to a chunk that wraps stored data requires
 * {@link #appender()} first, which copies the data.
 *
 * <p>Not thread-safe (see {@link Chunk}).
 */
public final class XorChunk extends BitStreamChunk implements ChunkAppender {
    /** Initial capacity: a chunk of 120 regular scrape samples of a slowly changing gauge. */
    private static final int INITIAL_CAPACITY = 64;
    /** Marks "no value window written yet": the first XOR always writes a new window. */
    static final int NO_WINDOW = 0xFF;
    /** Worst case of one sample after the second: 68 bits of timestamp + 77 bits of value. */
    private static final int MAX_SAMPLE_BITS = 68 + 77;
    /** Worst case of the first sample: a 10-byte varint and 64 value bits. */
    private static final int MAX_FIRST_BITS = 80 + 64;

    // Encoder state, valid while writer == this (see appender()).
    private int num;
    private long t;
    private long vBits;
    private long tDelta;
    /** Value window: leading zeros (0-31, or NO_WINDOW) and trailing zeros (0-63); bytes keep the object small. */
    private byte leading = (byte) NO_WINDOW;
    private byte trailing;

    private XorChunk() {}

    /** An empty chunk (header {@code 00 00}). */
    public static XorChunk create() {
        XorChunk c = new XorChunk();
        c.start(INITIAL_CAPACITY);
        c.writer = c;
        c.ensureRoom(16);
        c.writeBits(0, 16); // num_samples = 0
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

    @Override
    boolean writesItself() {
        return true;
    }

    /**
     * Empties a chunk built by {@link #create} whose data has been copied elsewhere (the head
     * wrote it to its chunk file), keeping its buffer, so the next chunk of the series is
     * written without allocating or growing an array; {@code appender}, which must be the one
     * this chunk handed out last (the chunk itself), continues as the new empty chunk's appender.
     */
    public void reset(ChunkAppender appender) {
        if (writer != this || appender != this) {
            throw new IllegalStateException("only a chunk being appended to can be reset");
        }
        reset();
        ensureRoom(16);
        writeBits(0, 16); // num_samples = 0
        restore(0, 0, 0, 0, NO_WINDOW, 0);
    }

    /** Sets the encoder state (see {@link XorIterator#restoreAppender}). */
    void restore(int num, long t, long vBits, long tDelta, int leading, int trailing) {
        this.num = num;
        this.t = t;
        this.vBits = vBits;
        this.tDelta = tDelta;
        this.leading = (byte) leading;
        this.trailing = (byte) trailing;
    }

    /** Returns this chunk, made writable after its last sample. */
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
        it.restoreAppender(this);
        return this;
    }

    @Override
    public SampleIterator iterator(SampleIterator reuse) {
        XorIterator it = reuse instanceof XorIterator x ? x : new XorIterator();
        it.reset(bytes(), length());
        return it;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException also when the chunk wraps stored data and {@link #appender()}
     *         was not called
     */
    @Override
    public void append(long t, double v) {
        if (num >= Chunk.MAX_SAMPLES || writer != this) {
            throw new IllegalStateException(writer != this ? "XOR chunk is not open for appending (call appender() first)"
                    : "XOR chunk is full (" + Chunk.MAX_SAMPLES + " samples)");
        }
        long bits = Double.doubleToRawLongBits(v); // raw: keeps the staleness-marker NaN payload
        long delta = t - this.t; // wraps like Go's uint64 arithmetic; the reader wraps back
        boolean endsWithWholeBytes;
        if (num == 0) {
            ensureRoom(MAX_FIRST_BITS);
            writeVarint(t);
            writeBits(bits, 64);
            delta = 0;
            endsWithWholeBytes = true;
        } else if (num == 1) {
            ensureRoom(MAX_FIRST_BITS + MAX_SAMPLE_BITS);
            writeUvarint(delta);
            endsWithWholeBytes = writeValue(bits);
        } else {
            ensureRoom(MAX_SAMPLE_BITS);
            long dod = delta - tDelta;
            if (dod == 0) {
                // Regular scrape intervals: same delta as last time, one 0 bit.
                writeZero();
            } else if (dod >= -((1L << 13) - 1) && dod <= (1L << 13)) {
                writeBits((0b10L << 14) | (dod & 0x3FFF), 2 + 14); // jitter of up to +-8 s
            } else if (dod >= -((1L << 16) - 1) && dod <= (1L << 16)) {
                writeBits((0b110L << 17) | (dod & 0x1FFFF), 3 + 17);
            } else if (dod >= -((1L << 19) - 1) && dod <= (1L << 19)) {
                writeBits((0b1110L << 20) | (dod & 0xFFFFF), 4 + 20);
            } else {
                writeBits(0b1111, 4);
                writeBits(dod, 64);
            }
            endsWithWholeBytes = writeValue(bits);
        }
        // Prometheus's stream holds an extra zero byte when it ends byte-aligned right after a
        // field written as whole bytes; keep it so the chunk's bytes are identical.
        emptyTailByte(endsWithWholeBytes && (bitLength() & 7) == 0);
        num++;
        putBE16(0, num);
        this.t = t;
        this.vBits = bits;
        this.tDelta = delta;
    }

    /** Writes the varbit_xor of {@code bits}; returns whether its last field was a multiple of 8 bits. */
    private boolean writeValue(long bits) {
        long x = bits ^ vBits;
        if (x == 0) {
            // Unchanged value (constant gauges, idle counters, up == 1): one 0 bit.
            writeZero();
            return false;
        }
        int lead = Long.numberOfLeadingZeros(x);
        int trail = Long.numberOfTrailingZeros(x);
        if (lead >= 32) {
            lead = 31; // the field has 5 bits
        }
        int leading = this.leading & 0xFF;
        int trailing = this.trailing;
        if (leading != NO_WINDOW && lead >= leading && trail >= trailing) {
            // Fits the previous window: counters stepping by similar amounts land here.
            int sig = 64 - leading - trailing;
            if (sig <= 62) {
                writeBits((0b10L << sig) | (x >>> trailing), 2 + sig);
            } else {
                writeBits(0b10, 2);
                writeBits(x >>> trailing, sig);
            }
            return (sig & 7) == 0;
        } else {
            this.leading = (byte) lead;
            this.trailing = (byte) trail;
            int sig = 64 - lead - trail;
            // '11', 5 bits of leading zeros, 6 bits of significant bits (64 wraps to 0).
            writeBits((0b11L << 11) | ((long) lead << 6) | (sig & 0x3F), 2 + 5 + 6);
            writeBits(x >>> trail, sig);
            return (sig & 7) == 0;
        }
    }
}
