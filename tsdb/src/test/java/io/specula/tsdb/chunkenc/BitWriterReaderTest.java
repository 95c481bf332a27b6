package io.specula.tsdb.chunkenc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.tsdb.encoding.CorruptionException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BitWriterReaderTest {

    @Test
    void writeBits_msbFirstWithZeroPadding() {
        BitWriter w = new BitWriter(4);
        w.ensureRoom(16);
        w.writeBits(0b101, 3);
        w.writeZero();
        w.writeOne();
        assertThat(w.byteLength()).isEqualTo(1);
        assertThat(w.array()[0] & 0xFF).isEqualTo(0b1010_1000);
    }

    @Test
    void roundTrip_randomWidthsAcrossWordBoundaries() throws CorruptionException {
        Random rnd = new Random(7);
        int n = 20_000;
        long[] values = new long[n];
        int[] widths = new int[n];
        BitWriter w = new BitWriter(1);
        for (int i = 0; i < n; i++) {
            widths[i] = 1 + rnd.nextInt(64);
            values[i] = rnd.nextLong() >>> (64 - widths[i]);
            w.ensureRoom(64);
            long junk = widths[i] == 64 ? 0 : rnd.nextLong() << widths[i]; // bits above n are ignored
            w.writeBits(values[i] | junk, widths[i]);
        }
        BitReader r = new BitReader();
        r.reset(w.array(), 0, w.byteLength());
        for (int i = 0; i < n; i++) {
            assertThat(r.readBits(widths[i])).as("value %d of %d bits", i, widths[i]).isEqualTo(values[i]);
        }
        assertThat(r.bitPosition()).isEqualTo(w.bitLength());
    }

    @Test
    void varints_matchGoEncoding() throws CorruptionException {
        BitWriter w = new BitWriter(4);
        w.ensureRoom(3);
        w.writeBits(0b101, 3); // varints need not be byte-aligned in the stream
        long[] vs = {0, 1, -1, 300, Long.MIN_VALUE, Long.MAX_VALUE};
        for (long v : vs) {
            w.ensureRoom(160);
            w.writeVarint(v);
            w.writeUvarint(v);
        }
        BitReader r = new BitReader();
        r.reset(w.array(), 0, w.byteLength());
        r.readBits(3);
        for (long v : vs) {
            assertThat(r.readVarint()).isEqualTo(v);
            assertThat(r.readUvarint()).isEqualTo(v);
        }
    }

    @Test
    void continuingStream_clearsPaddingAndNeverWritesCallerArray() throws CorruptionException {
        byte[] data = {(byte) 0b1011_1111};
        BitWriter w = new BitWriter(data, 4); // keep 1011, clear the rest
        w.ensureRoom(4);
        w.writeBits(0b0001, 4);
        assertThat(w.array()[0] & 0xFF).isEqualTo(0b1011_0001);
        assertThat(data[0] & 0xFF).isEqualTo(0b1011_1111);
    }

    @Test
    void readPastLimit_throwsCorruption() {
        BitReader r = new BitReader();
        r.reset(new byte[16], 0, 1);
        assertThatThrownBy(() -> r.readBits(9)).isInstanceOf(CorruptionException.class);
        r.reset(new byte[1], 0, 1);
        assertThatThrownBy(() -> {
            for (int i = 0; i < 9; i++) {
                r.readBit();
            }
        }).isInstanceOf(CorruptionException.class);
    }
}
