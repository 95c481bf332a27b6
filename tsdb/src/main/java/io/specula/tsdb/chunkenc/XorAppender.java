package io.specula.tsdb.chunkenc;

/**
 * Encodes samples onto the end of an {@link XorChunk}'s bit stream; see {@link XorChunk} for
 * the layout. Package-private: obtained through {@link XorChunk#appender()}.
 */
final class XorAppender implements ChunkAppender {
    /** Marks "no value window written yet": the first XOR always writes a new window. */
    static final int NO_WINDOW = 0xFF;
    /** Worst case of one sample after the second: 68 bits of timestamp + 77 bits of value. */
    private static final int MAX_SAMPLE_BITS = 68 + 77;
    /** Worst case of the first sample: a 10-byte varint and 64 value bits. */
    private static final int MAX_FIRST_BITS = 80 + 64;

    private final BitWriter w;
    private int num;
    private long t;
    private long vBits;
    private long tDelta;
    private int leading;
    private int trailing;

    XorAppender(BitWriter w, int num, long t, long vBits, long tDelta, int leading, int trailing) {
        this.w = w;
        this.num = num;
        this.t = t;
        this.vBits = vBits;
        this.tDelta = tDelta;
        this.leading = leading;
        this.trailing = trailing;
    }

    /** Starts over on the emptied stream (see {@link XorChunk#reset}): the state of an empty chunk's appender. */
    void reset() {
        num = 0;
        t = 0;
        vBits = 0;
        tDelta = 0;
        leading = NO_WINDOW;
        trailing = 0;
    }

    @Override
    public void append(long t, double v) {
        if (num >= Chunk.MAX_SAMPLES) {
            throw new IllegalStateException("XOR chunk is full (" + Chunk.MAX_SAMPLES + " samples)");
        }
        long bits = Double.doubleToRawLongBits(v); // raw: keeps the staleness-marker NaN payload
        long delta = t - this.t; // wraps like Go's uint64 arithmetic; the reader wraps back
        boolean endsWithWholeBytes;
        if (num == 0) {
            w.ensureRoom(MAX_FIRST_BITS);
            w.writeVarint(t);
            w.writeBits(bits, 64);
            delta = 0;
            endsWithWholeBytes = true;
        } else if (num == 1) {
            w.ensureRoom(MAX_FIRST_BITS + MAX_SAMPLE_BITS);
            w.writeUvarint(delta);
            endsWithWholeBytes = writeValue(bits);
        } else {
            w.ensureRoom(MAX_SAMPLE_BITS);
            long dod = delta - tDelta;
            if (dod == 0) {
                // Regular scrape intervals: same delta as last time, one 0 bit.
                w.writeZero();
            } else if (dod >= -((1L << 13) - 1) && dod <= (1L << 13)) {
                w.writeBits((0b10L << 14) | (dod & 0x3FFF), 2 + 14); // jitter of up to +-8 s
            } else if (dod >= -((1L << 16) - 1) && dod <= (1L << 16)) {
                w.writeBits((0b110L << 17) | (dod & 0x1FFFF), 3 + 17);
            } else if (dod >= -((1L << 19) - 1) && dod <= (1L << 19)) {
                w.writeBits((0b1110L << 20) | (dod & 0xFFFFF), 4 + 20);
            } else {
                w.writeBits(0b1111, 4);
                w.writeBits(dod, 64);
            }
            endsWithWholeBytes = writeValue(bits);
        }
        // Prometheus's stream holds an extra zero byte when it ends byte-aligned right after a
        // field written as whole bytes; keep it so the chunk's bytes are identical.
        w.emptyTailByte(endsWithWholeBytes && (w.bitLength() & 7) == 0);
        num++;
        w.putBE16(0, num);
        this.t = t;
        this.vBits = bits;
        this.tDelta = delta;
    }

    /** Writes the varbit_xor of {@code bits}; returns whether its last field was a multiple of 8 bits. */
    private boolean writeValue(long bits) {
        long x = bits ^ vBits;
        if (x == 0) {
            // Unchanged value (constant gauges, idle counters, up == 1): one 0 bit.
            w.writeZero();
            return false;
        }
        int lead = Long.numberOfLeadingZeros(x);
        int trail = Long.numberOfTrailingZeros(x);
        if (lead >= 32) {
            lead = 31; // the field has 5 bits
        }
        if (leading != NO_WINDOW && lead >= leading && trail >= trailing) {
            // Fits the previous window: counters stepping by similar amounts land here.
            int sig = 64 - leading - trailing;
            if (sig <= 62) {
                w.writeBits((0b10L << sig) | (x >>> trailing), 2 + sig);
            } else {
                w.writeBits(0b10, 2);
                w.writeBits(x >>> trailing, sig);
            }
            return (sig & 7) == 0;
        } else {
            leading = lead;
            trailing = trail;
            int sig = 64 - lead - trail;
            // '11', 5 bits of leading zeros, 6 bits of significant bits (64 wraps to 0).
            w.writeBits((0b11L << 11) | ((long) lead << 6) | (sig & 0x3F), 2 + 5 + 6);
            w.writeBits(x >>> trail, sig);
            return (sig & 7) == 0;
        }
    }
}
