package io.specula.tsdb.chunkenc;

import static io.specula.tsdb.chunkenc.BitStrings.bin;
import static io.specula.tsdb.chunkenc.BitStrings.bytes;
import static io.specula.tsdb.chunkenc.BitStrings.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.ValueType;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Byte-exact XOR chunks derived by hand from the format (Prometheus's chunks.md and the
 * Gorilla paper), so the encoder is checked against the format, not against itself.
 */
class XorChunkFormatTest {

    private static byte[] encode(long[] ts, double[] vs) {
        XorChunk c = XorChunk.create();
        ChunkAppender app = appender(c);
        for (int i = 0; i < ts.length; i++) {
            app.append(ts[i], vs[i]);
        }
        return Arrays.copyOf(c.bytes(), c.length());
    }

    private static ChunkAppender appender(Chunk c) {
        try {
            return c.appender();
        } catch (CorruptionException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertDecodes(byte[] data, long[] ts, double[] vs) {
        SampleIterator it = XorChunk.fromData(data, data.length).iterator(null);
        for (int i = 0; i < ts.length; i++) {
            assertThat(it.next()).as("sample %d", i).isEqualTo(ValueType.FLOAT);
            assertThat(it.atT()).isEqualTo(ts[i]);
            assertThat(Double.doubleToRawLongBits(it.atV())).isEqualTo(Double.doubleToRawLongBits(vs[i]));
        }
        assertThat(it.next()).isEqualTo(ValueType.NONE);
        assertThat(it.err()).isNull();
    }

    private static void check(long[] ts, double[] vs, byte[] expected) {
        byte[] actual = encode(ts, vs);
        assertThat(hex(actual, actual.length)).isEqualTo(hex(expected, expected.length));
        assertDecodes(expected, ts, vs);
    }

    @Test
    void encode_oneSample() {
        // num_samples = 1                       -> 00 01
        // ts_0 = 1000: zig-zag 2000 = 15*128 + 80 -> uvarint D0 0F (0x50 | 0x80, then 15)
        // v_0 = 1.0 = 0x3FF0000000000000        -> 3F F0 00 00 00 00 00 00
        check(new long[] {1000}, new double[] {1.0},
                bytes("0x 00 01", "0x D0 0F", "0x 3F F0 00 00 00 00 00 00"));
    }

    @Test
    void encode_twoSamplesSameValue() {
        // ts_1_delta = 15 -> uvarint 0F; v_1 XOR v_0 = 0 -> bit '0', then 7 padding bits.
        check(new long[] {1000, 1015}, new double[] {1.0, 1.0},
                bytes("0x 00 02 D0 0F 3F F0 00 00 00 00 00 00", "0x 0F", "0"));
    }

    @Test
    void encode_threeSamples_matchesPromtoolOutput() {
        // The data of the chunk `promtool tsdb create-blocks-from openmetrics` wrote for
        // "foo 1.0 1.000 / foo 2.0 1.015 / foo 3.0 1.030" (1.015 s parses to 1014 ms).
        // sample 1: delta 14 -> 0E.
        //   2.0 ^ 1.0 = 0x4000.. ^ 0x3FF0.. = 0x7FF0000000000000: 1 leading, 52 trailing zeros,
        //   11 significant bits: '1' (changed) '1' (new window) 00001 001011 11111111111
        //   = 1100 0010 0101 1111 1111 1111 = C2 5F FF
        // sample 2: delta 16, dod +2 -> '10' + 00000000000010 (14 bits)
        //   3.0 ^ 2.0 = 0x0008000000000000: 12 leading, 51 trailing -> 51 < 52, new window:
        //   '1' '1' 01100 000001 '1'
        //   bits: 10 00000000000010 1 1 01100 000001 1 (+2 padding) = 80 02 D8 0C
        check(new long[] {1000, 1014, 1030}, new double[] {1.0, 2.0, 3.0},
                bytes("0x 00 03 D0 0F 3F F0 00 00 00 00 00 00 0E C2 5F FF 80 02 D8 0C"));
    }

    @Test
    void encode_reusesPreviousWindow() {
        // t = 0, 10, 20: varint(0) = 00, delta 10 = 0A, then dod 0 = '0'.
        // 1.0 -> 2.0 opens the window (1 leading, 52 trailing): C2 5F FF as above.
        // 2.0 -> 4.0: 0x4000.. ^ 0x4010.. = 0x0010000000000000: 11 leading >= 1 and
        // 52 trailing >= 52, so it fits: '1' '0' + the window's 11 bits of x >>> 52 = 00000000001.
        // bits: 0 1 0 00000000001 (+2 padding) = 0100 0000 0000 0100 = 40 04
        check(new long[] {0, 10, 20}, new double[] {1.0, 2.0, 4.0},
                bytes("0x 00 03 00 3F F0 00 00 00 00 00 00 0A C2 5F FF", "0", "10", "00000000001"));
    }

    /**
     * Delta-of-delta buckets at their edges. Samples t = 0, 10, 20 + dod, all of value 0.0:
     * header 00 03, varint(0) = 00, 64 zero bits, delta 0A, v_1 '0', then dod and v_2 '0'.
     * An n-bit bucket holds [-(2^(n-1) - 1), 2^(n-1)].
     */
    @ParameterizedTest(name = "dod {0}")
    @CsvSource({
        // dod,      expected dod bits (prefix + two's complement field)
        "0,          0",
        "1,          10 00000000000001",
        "-1,         10 11111111111111",
        "8192,       10 10000000000000",           // 2^13: top of the 14-bit range
        "-8191,      10 10000000000001",           // 16384 - 8191 = 8193
        "8193,       110 00010000000000001",       // just above: 17 bits
        "-8192,      110 11110000000000000",       // just below: 131072 - 8192 = 122880
        "65536,      110 10000000000000000",       // 2^16: top of the 17-bit range
        "65537,      1110 00010000000000000001",
        "524288,     1110 10000000000000000000",   // 2^19: top of the 20-bit range
        "-524287,    1110 10000000000000000001",
        "524289,     1111 0000000000000000000000000000000000000000000010000000000000000001",
        "-524288,    1111 1111111111111111111111111111111111111111111110000000000000000000",
    })
    void encode_dodBuckets(long dod, String dodBits) {
        byte[] expected = bytes("0x 00 03 00 00 00 00 00 00 00 00 00 0A", "0", dodBits, "0");
        check(new long[] {0, 10, 20 + dod}, new double[] {0, 0, 0}, expected);
    }

    @Test
    void encode_leadingZerosCappedAt31() {
        // x = 0x0000000000FF0000: 40 leading zeros, stored as 31 (5 bits); 16 trailing;
        // significant bits 64 - 31 - 16 = 17 -> 010001; value x >>> 16 = 0xFF in 17 bits.
        double v1 = Double.longBitsToDouble(0xFF0000L);
        check(new long[] {0, 1}, new double[] {0.0, v1},
                bytes("0x 00 02 00 00 00 00 00 00 00 00 00 01", "1 1", "11111", "010001", bin(0xFF, 17)));
    }

    @Test
    void encode_64SignificantBitsWrittenAsZero() {
        // x = 0x8000000000000001: no leading or trailing zeros, 64 significant bits, which the
        // 6-bit field stores as 000000.
        double v1 = Double.longBitsToDouble(0x8000000000000001L);
        check(new long[] {0, 1}, new double[] {0.0, v1},
                bytes("0x 00 02 00 00 00 00 00 00 00 00 00 01", "1 1", "00000", "000000", bin(0x8000000000000001L, 64)));
    }

    @Test
    void encode_negativeFirstTimestampAsZigZagVarint() {
        // ts_0 = -1: zig-zag 1 -> 01. Value -0.0 = 0x8000000000000000 keeps its sign bit.
        check(new long[] {-1}, new double[] {-0.0}, bytes("0x 00 01 01 80 00 00 00 00 00 00 00"));
    }

    @Test
    void encode_stalenessMarkerKeepsItsBits() {
        // Prometheus's staleness marker is the NaN 0x7FF0000000000002, distinct from Go's
        // math.NaN() (0x7FF8000000000001); both must survive bit for bit.
        double stale = Double.longBitsToDouble(0x7FF0000000000002L);
        double goNaN = Double.longBitsToDouble(0x7FF8000000000001L);
        byte[] b = encode(new long[] {0, 15, 30}, new double[] {stale, goNaN, stale});
        // v_0 raw bits 7F F0 00 00 00 00 00 02
        assertThat(hex(b, 11)).isEqualTo("00 03 00 7f f0 00 00 00 00 00 02");
        assertDecodes(b, new long[] {0, 15, 30}, new double[] {stale, goNaN, stale});
    }

    @Test
    void reopenedAppender_continuesBitExactly() throws CorruptionException {
        long[] ts = {1000, 1014, 1030, 1045, 1060};
        double[] vs = {1.0, 2.0, 3.0, 3.5, 3.5};
        byte[] whole = encode(ts, vs);
        // Reopen after the third sample (a window is open), from a copy read "from disk".
        byte[] part = encode(Arrays.copyOf(ts, 3), Arrays.copyOf(vs, 3));
        XorChunk c = XorChunk.fromData(part.clone(), part.length);
        ChunkAppender app = c.appender();
        app.append(ts[3], vs[3]);
        app.append(ts[4], vs[4]);
        assertThat(hex(c.bytes(), c.length())).isEqualTo(hex(whole, whole.length));
    }

    @Test
    void reopenedAppender_afterOneSample_usesPrometheusEmptyWindow() throws CorruptionException {
        // Prometheus reopens a chunk with the reader's window (0 leading, 0 trailing) unless the
        // chunk is empty, so the next change is written as '10' + 64 bits instead of a new
        // window. We do the same, so reopened chunks stay byte-identical to Prometheus's.
        byte[] one = encode(new long[] {0}, new double[] {1.0});
        XorChunk c = XorChunk.fromData(one, one.length);
        c.appender().append(10, 2.0);
        byte[] expected = bytes("0x 00 02 00 3F F0 00 00 00 00 00 00 0A", "1 0", bin(0x7FF0000000000000L, 64));
        assertThat(hex(c.bytes(), c.length())).isEqualTo(hex(expected, expected.length));
        assertDecodes(expected, new long[] {0, 10}, new double[] {1.0, 2.0});
    }
}
