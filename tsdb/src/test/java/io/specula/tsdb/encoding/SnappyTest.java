package io.specula.tsdb.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SnappyTest {

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] decode(byte[] block) throws CorruptionException {
        byte[] dst = new byte[Snappy.decompressedLength(block, 0, block.length, "t")];
        int n = Snappy.decompress(block, 0, block.length, dst, 0, "t");
        assertThat(n).isEqualTo(dst.length);
        return dst;
    }

    private static byte[] encode(byte[] src) {
        byte[] dst = new byte[Snappy.maxCompressedLength(src.length)];
        int n = new Snappy().compress(src, 0, src.length, dst, 0);
        return Arrays.copyOf(dst, n);
    }

    static Stream<Arguments> handMadeBlocks() {
        byte[] sixty = new byte[60];
        Arrays.fill(sixty, (byte) 'q');
        byte[] threeHundred = new byte[300];
        for (int i = 0; i < 300; i++) {
            threeHundred[i] = (byte) i;
        }
        return Stream.of(
                Arguments.of("empty", bytes(0x00), ascii("")),
                Arguments.of("short literal", bytes(0x03, 2 << 2, 'a', 'b', 'c'), ascii("abc")),
                // literal "ab", then copy-1 of length 6 at offset 2 overlapping what it writes
                Arguments.of("overlapping copy1", bytes(0x08, 1 << 2, 'a', 'b', 0x01 | (6 - 4) << 2, 0x02), ascii("abababab")),
                // 300-byte literal, then copy-1 of 4 bytes at offset 0x102 = 258: bits 8..10 of the
                // offset live in the tag's top three bits
                Arguments.of("copy1 high offset bits",
                        concat(bytes(0xB0, 0x02, 61 << 2, 0x2B, 0x01), threeHundred, bytes(0x01 | 1 << 5, 0x02)),
                        concat(threeHundred, bytes(42, 43, 44, 45))),
                Arguments.of("copy2", bytes(0x08, 3 << 2, 'a', 'b', 'c', 'd', 0x02 | (4 - 1) << 2, 0x04, 0x00), ascii("abcdabcd")),
                Arguments.of("copy4", bytes(0x06, 2 << 2, 'x', 'y', 'z', 0x03 | (3 - 1) << 2, 3, 0, 0, 0), ascii("xyzxyz")),
                Arguments.of("literal, 1-byte length", concat(bytes(60, 60 << 2, 59), sixty), sixty),
                Arguments.of("literal, 2-byte length", concat(bytes(0xAC, 0x02, 61 << 2, 0x2B, 0x01), threeHundred), threeHundred));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("handMadeBlocks")
    void decompress_handMadeBlocks(String name, byte[] block, byte[] expected) throws CorruptionException {
        assertThat(decode(block)).containsExactly(expected);
    }

    @Test
    void decompress_intoOffsetOfLargerArray() throws CorruptionException {
        byte[] block = concat(bytes(0, 0, 0), bytes(0x08, 1 << 2, 'a', 'b', 0x09, 0x02));
        byte[] dst = new byte[20];
        int n = Snappy.decompress(block, 3, block.length - 3, dst, 5, "t");
        assertThat(n).isEqualTo(8);
        assertThat(new String(dst, 5, 8, StandardCharsets.US_ASCII)).isEqualTo("abababab");
    }

    static Stream<Arguments> corruptBlocks() {
        return Stream.of(
                Arguments.of("empty input", bytes(), "truncated uvarint"),
                Arguments.of("truncated length", bytes(0x80), "truncated uvarint"),
                Arguments.of("length over 2^32-1", bytes(0x80, 0x80, 0x80, 0x80, 0x10, 0x00), "exceeds 2^32-1"),
                Arguments.of("length impossible for the body", bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00, 'a'), "impossible"),
                Arguments.of("copy offset zero", bytes(0x05, 0x00, 'a', 0x01, 0x00), "copy offset 0"),
                Arguments.of("copy before the start", bytes(0x05, 0x00, 'a', 0x01, 0x02), "copy offset 2 outside"),
                Arguments.of("copy4 offset huge", bytes(0x05, 0x00, 'a', 0x03 | 3 << 2, 0xFF, 0xFF, 0xFF, 0xFF), "outside"),
                Arguments.of("literal overruns input", bytes(0x05, 4 << 2, 'a'), "overruns the input"),
                Arguments.of("literal overruns output", bytes(0x01, 1 << 2, 'a', 'b'), "overruns the decoded length"),
                Arguments.of("copy overruns output", bytes(0x03, 0x00, 'a', 0x01, 0x01), "overruns the decoded length"),
                Arguments.of("short output", bytes(0x03, 0x00, 'a'), "decodes to 1 bytes, header announced 3"),
                Arguments.of("truncated copy2", bytes(0x03, 0x00, 'a', 0x02, 0x01), "truncated copy"),
                Arguments.of("truncated copy1", bytes(0x03, 0x00, 'a', 0x01), "truncated copy"),
                Arguments.of("truncated literal length", bytes(0x01, 61 << 2, 0x00), "truncated literal length"),
                Arguments.of("4-byte literal length huge", bytes(0x40, 63 << 2, 0xFF, 0xFF, 0xFF, 0xFF, 'a'), "overruns"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptBlocks")
    void decompress_corruptBlock_throwsCorruption(String name, byte[] block, String message) {
        assertThatThrownBy(() -> decode(block))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining(message);
    }

    @Test
    void decompress_reportsOffsetInsideBlock() {
        byte[] block = bytes(0x05, 0x00, 'a', 0x01, 0x02);
        assertThatThrownBy(() -> decode(block))
                .isInstanceOfSatisfying(CorruptionException.class, e -> assertThat(e.offset()).isEqualTo(3));
    }

    static Stream<Arguments> inputs() {
        Random rnd = new Random(42);
        byte[] random = new byte[100_000];
        rnd.nextBytes(random);
        byte[] text = ascii("up{instance=\"127.0.0.1:9090\",job=\"prometheus\"} 1\n".repeat(2000));
        byte[] zeros = new byte[70_000];
        byte[] smallAlphabet = new byte[150_000];
        for (int i = 0; i < smallAlphabet.length; i++) {
            smallAlphabet[i] = (byte) ('a' + rnd.nextInt(4));
        }
        // Something like a samples record: slowly changing big-endian numbers.
        ByteArrayDataOutput rec = new ByteArrayDataOutput();
        for (int i = 0; i < 5000; i++) {
            rec.writeVarint(i);
            rec.writeVarint(15_000);
            rec.writeDouble(i % 7 == 0 ? 1.0 : 0.5 * i);
        }
        return Stream.of(
                Arguments.of("empty", new byte[0]),
                Arguments.of("one byte", bytes(7)),
                Arguments.of("15 bytes", ascii("abcabcabcabcabc")),
                Arguments.of("random", random),
                Arguments.of("text", text),
                Arguments.of("zeros", zeros),
                Arguments.of("small alphabet", smallAlphabet),
                Arguments.of("samples record", rec.toByteArray()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void compress_roundTrips(String name, byte[] input) throws CorruptionException {
        byte[] block = encode(input);
        assertThat(block.length).isLessThanOrEqualTo(Snappy.maxCompressedLength(input.length));
        assertThat(decode(block)).containsExactly(input);
        if (name.equals("text") || name.equals("zeros")) {
            assertThat(block.length).isLessThan(input.length / 10);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void compress_reusedCompressorOnManyInputs_roundTrips(int seed) throws CorruptionException {
        Random rnd = new Random(seed);
        Snappy snappy = new Snappy();
        for (int round = 0; round < 300; round++) {
            int len = rnd.nextInt(5000);
            byte[] src = new byte[len];
            int alphabet = 1 + rnd.nextInt(20);
            for (int i = 0; i < len; i++) {
                src[i] = (byte) rnd.nextInt(alphabet);
            }
            int off = rnd.nextInt(10);
            byte[] padded = new byte[off + len];
            System.arraycopy(src, 0, padded, off, len);
            byte[] dst = new byte[Snappy.maxCompressedLength(len) + 3];
            int n = snappy.compress(padded, off, len, dst, 3);
            assertThat(decode(Arrays.copyOfRange(dst, 3, 3 + n))).containsExactly(src);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {11, 12, 13})
    void decompress_mutatedBlocks_onlyCorruptionOrSuccess(int seed) {
        Random rnd = new Random(seed);
        byte[][] samples = inputs().map(a -> encode((byte[]) a.get()[1])).toArray(byte[][]::new);
        for (int round = 0; round < 3000; round++) {
            byte[] block = samples[rnd.nextInt(samples.length)].clone();
            if (block.length == 0) {
                continue;
            }
            int mutations = 1 + rnd.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                block[rnd.nextInt(block.length)] = (byte) rnd.nextInt(256);
            }
            int len = rnd.nextInt(4) == 0 ? rnd.nextInt(block.length + 1) : block.length;
            try {
                int n = Snappy.decompressedLength(block, 0, len, "fuzz");
                assertThat(n).isLessThanOrEqualTo(Math.max(64, 22 * len));
                Snappy.decompress(block, 0, len, new byte[n], 0, "fuzz");
            } catch (CorruptionException expected) {
                assertThat(expected.file()).isEqualTo("fuzz");
            }
        }
    }

    @Test
    void maxCompressedLength_isGosBound() {
        assertThat(IntStream.of(0, 6, 600).map(Snappy::maxCompressedLength)).containsExactly(32, 39, 732);
    }
}
