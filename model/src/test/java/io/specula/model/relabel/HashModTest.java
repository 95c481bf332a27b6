package io.specula.model.relabel;

import static io.specula.model.relabel.TestRules.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class HashModTest {

    private static String shard(String value, String modulus) {
        Labels out = new Relabeler().process(Labels.of("v", value), List.of(
                rule("action", "hashmod", "source_labels", "v", "target_label", "shard", "modulus", modulus)));
        return out.get("shard");
    }

    /**
     * Outputs of real Prometheus for these inputs: "baz" and "foo\nbar" are in Prometheus's own
     * relabel tests; the others were printed by {@code promtool check service-discovery}
     * (Prometheus 2.42) for static targets with a hashmod rule on {@code __address__}.
     */
    static Stream<Arguments> prometheusOutputs() {
        return Stream.of(
                Arguments.of("baz", "1000", "976"),
                Arguments.of("foo\nbar", "1000", "734"),
                Arguments.of("10.0.0.1:9100", "1000", "645"),
                Arguments.of("foo", "1000", "696"),
                Arguments.of("bar", "1000", "922"),
                // 2^64-1: the whole unsigned 64-bit hash, which a signed long would get wrong
                Arguments.of("baz", "18446744073709551615", "16450797887570275976"),
                Arguments.of("foo", "18446744073709551615", "17145033699835028696"),
                Arguments.of("bar", "18446744073709551615", "6581718738824679922"),
                // hashed as UTF-8
                Arguments.of("baz;héllo", "7", "4"),
                Arguments.of("foo;héllo", "7", "5"));
    }

    @ParameterizedTest(name = "md5({0}) mod {1} = {2}")
    @MethodSource("prometheusOutputs")
    void hashmod_matchesPrometheus(String value, String modulus, String expected) {
        assertThat(shard(value, modulus)).isEqualTo(expected);
    }

    /** The definition, computed another way: BigInteger over the digest's last 8 bytes. */
    private static String reference(String value, BigInteger modulus) throws Exception {
        byte[] digest = MessageDigest.getInstance("MD5").digest(value.getBytes(StandardCharsets.UTF_8));
        BigInteger low64 = new BigInteger(1, Arrays.copyOfRange(digest, 8, 16));
        return low64.mod(modulus).toString();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 42, 20240601})
    void hashmod_randomInputs_matchReference(long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        BigInteger two64 = BigInteger.ONE.shiftLeft(64);
        for (int i = 0; i < 200; i++) {
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(0, 24);
            for (int k = 0; k < len; k++) {
                // mostly ASCII, some multi-byte and supplementary code points
                int cp = switch (rnd.nextInt(4)) {
                    case 0 -> rnd.nextInt(0x80, 0x800);
                    case 1 -> rnd.nextInt(0x10000, 0x10FFFF);
                    default -> rnd.nextInt(0x20, 0x7F);
                };
                sb.appendCodePoint(cp);
            }
            BigInteger modulus = switch (rnd.nextInt(3)) {
                case 0 -> BigInteger.valueOf(rnd.nextLong(1, 1000));
                case 1 -> BigInteger.valueOf(rnd.nextLong(1, Long.MAX_VALUE));
                default -> two64.subtract(BigInteger.valueOf(rnd.nextLong(1, Long.MAX_VALUE))); // above 2^63
            };
            String value = sb.toString();
            assertThat(shard(value, modulus.toString()))
                    .as("md5(%s) mod %s", value, modulus)
                    .isEqualTo(reference(value, modulus));
        }
    }

    @org.junit.jupiter.api.Test
    void hashmod_emptyValue_matchesReference() throws Exception {
        assertThat(shard("", "12345")).isEqualTo(reference("", BigInteger.valueOf(12345)));
    }
}
