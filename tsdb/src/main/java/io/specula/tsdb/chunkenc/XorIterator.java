package io.specula.tsdb.chunkenc;

import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.ValueType;

/**
 * Decodes an {@link XorChunk}; allocation-free per sample and reusable across chunks through
 * {@link XorChunk#iterator(SampleIterator)}. A malformed chunk ends iteration with
 * {@link ValueType#NONE} and a {@link CorruptionException} in {@link #err()}, whose offset is
 * the byte within the chunk data.
 *
 * <p>The iterator reads the sample count once at reset, so samples appended afterwards are
 * not seen. Not thread-safe.
 */
final class XorIterator implements SampleIterator {
    private final BitReader br = new BitReader();
    private int numTotal;
    private int numRead;
    private long t;
    private long vBits;
    private long tDelta;
    private int leading;
    private int trailing;
    private Exception err;
    /** Set once next() has returned NONE: seek must not report the last sample again. */
    private boolean done;

    void reset(byte[] b, int length) {
        numRead = 0;
        t = Long.MIN_VALUE;
        vBits = 0;
        tDelta = 0;
        leading = 0;
        trailing = 0;
        err = null;
        done = false;
        if (length < 2) {
            numTotal = 0;
            br.reset(b, 0, 0);
            err = new CorruptionException("<chunk>", 0, "XOR chunk of " + length + " bytes has no header");
            return;
        }
        numTotal = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
        br.reset(b, 2, length);
    }

    @Override
    public int next() {
        if (numRead >= numTotal || err != null) {
            done = true;
            return ValueType.NONE;
        }
        try {
            if (numRead == 0) {
                t = br.readVarint();
                vBits = br.readBits(64);
            } else if (numRead == 1) {
                tDelta = br.readUvarint();
                t += tDelta;
                readValue();
            } else {
                readTimestamp();
                readValue();
            }
        } catch (CorruptionException e) {
            err = e;
            done = true;
            return ValueType.NONE;
        }
        numRead++;
        return ValueType.FLOAT;
    }

    private void readTimestamp() throws CorruptionException {
        if (br.readBit() == 0) {
            // Regular scrape interval: the delta did not change.
            t += tDelta;
            return;
        }
        int sz;
        if (br.readBit() == 0) {
            sz = 14;
        } else if (br.readBit() == 0) {
            sz = 17;
        } else if (br.readBit() == 0) {
            sz = 20;
        } else {
            sz = 64;
        }
        long dod = br.readBits(sz);
        if (sz != 64 && dod > (1L << (sz - 1))) {
            dod -= 1L << sz; // negative values come back as large unsigned ones
        }
        tDelta += dod;
        t += tDelta;
    }

    private void readValue() throws CorruptionException {
        if (br.readBit() == 0) {
            return; // unchanged value
        }
        if (br.readBit() != 0) {
            int hdr = (int) br.readBits(5 + 6);
            int lead = hdr >>> 6;
            int sig = hdr & 0x3F;
            if (sig == 0) {
                sig = 64;
            }
            if (lead + sig > 64) {
                throw new CorruptionException("<chunk>", br.bitPosition() >>> 3,
                        "XOR window of " + lead + " leading zeros and " + sig + " significant bits exceeds 64 bits");
            }
            leading = lead;
            trailing = 64 - lead - sig;
        }
        vBits ^= br.readBits(64 - leading - trailing) << trailing;
    }

    @Override
    public int seek(long target) {
        if (done) {
            return ValueType.NONE;
        }
        if (numRead > 0 && t >= target) {
            return ValueType.FLOAT; // already there; never move backwards
        }
        while (next() != ValueType.NONE) {
            if (t >= target) {
                return ValueType.FLOAT;
            }
        }
        return ValueType.NONE;
    }

    @Override
    public long atT() {
        return t;
    }

    @Override
    public double atV() {
        return Double.longBitsToDouble(vBits);
    }

    /** Raw bits of the current value (NaN payloads intact). */
    long atVBits() {
        return vBits;
    }

    @Override
    public Exception err() {
        return err;
    }

    int bitPosition() {
        return br.bitPosition();
    }

    /**
     * Gives {@code c} the encoder state continuing where this fully drained iterator stopped. The value window is
     * the iterator's, except that an empty chunk starts with none: the state Prometheus's
     * {@code XORChunk.Appender()} derives, so a reopened chunk goes on encoding as it would.
     */
    void restoreAppender(XorChunk c) {
        int window = numRead == 0 ? XorChunk.NO_WINDOW : leading;
        c.restore(numRead, numRead == 0 ? 0 : t, vBits, tDelta, window, trailing);
    }
}
