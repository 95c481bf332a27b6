package io.specula.model.textparse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NumberReaderTest {
    private final NumberReader num = new NumberReader();

    private boolean read(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return num.read(b, 0, b.length);
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0.0", "1, 1.0", "-1, -1.0", "+1, 1.0", "42, 42.0", "007, 7.0", "1.5, 1.5", "-0.25, -0.25",
        ".5, 0.5", "5., 5.0", "1e3, 1000.0", "1E+03, 1000.0", "2.5e-3, 0.0025", "1e-22, 1e-22", "1e22, 1e22",
        "1e30, 1e30", "123456789012345, 123456789012345.0", "1000000000000000000000, 1e21",
        "0.013300656000000001, 0.013300656000000001", "9223372036854775808, 9.223372036854775808E18",
        "1e-400, 0.0", "0e99999, 0.0", "4.9351e-05, 4.9351e-05", "1.7976931348623157e308, 1.7976931348623157e308",
        "0000000000000000000000000000000000000000001.2e-1, 0.12",
    })
    void read_decimal_matchesJava(String in, double expected) {
        assertThat(read(in)).as(in).isTrue();
        assertThat(num.value()).isEqualTo(expected);
        assertThat(num.special()).isFalse();
    }

    @Test
    void read_negativeZero_keepsSign() {
        assertThat(read("-0")).isTrue();
        assertThat(Double.doubleToRawLongBits(num.value())).isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"inf", "Inf", "+Inf", "INF", "infinity", "+Infinity", "iNfInItY"})
    void read_positiveInfinitySpellings_areAccepted(String in) {
        assertThat(read(in)).isTrue();
        assertThat(num.value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(num.special()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-inf", "-Inf", "-INFINITY"})
    void read_negativeInfinitySpellings_areAccepted(String in) {
        assertThat(read(in)).isTrue();
        assertThat(num.value()).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "nan", "NAN", "nAn"})
    void read_nanSpellings_areAccepted(String in) {
        assertThat(read(in)).isTrue();
        assertThat(num.value()).isNaN();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "+", "-", ".", "e3", "1e", "1e+", "1.2.3", "1_000", "0x1p-3", "0x1", "0X1", "0b1",
        "0o1", "+nan", "-NaN", "infin", "infinityx", "Infinit", "1f", "1d", "1 ", " 1", "1,5", "true", "1e400",
        "-1e400", "--1", "+-1", "1e1.5", "NaN1", "\u00001"})
    void read_invalid_isRefused(String in) {
        assertThat(read(in)).as("%s", in).isFalse();
        assertThat(num.error()).isNotBlank();
    }

    @Test
    void read_outOfRange_saysSo() {
        assertThat(read("1e309")).isFalse();
        assertThat(num.error()).isEqualTo("value out of range");
    }

    @Test
    void read_randomDecimals_equalCorrectlyRoundedJavaParse() {
        Random rnd = new Random(42);
        for (int i = 0; i < 50_000; i++) {
            StringBuilder sb = new StringBuilder();
            if (rnd.nextInt(4) == 0) {
                sb.append('-');
            }
            int intDigits = rnd.nextInt(12);
            for (int k = 0; k < intDigits; k++) {
                sb.append((char) ('0' + rnd.nextInt(10)));
            }
            int fracDigits = rnd.nextInt(intDigits == 0 ? 1 : 0, 22);
            if (fracDigits > 0 || intDigits == 0) {
                sb.append('.');
                for (int k = 0; k < Math.max(fracDigits, 1); k++) {
                    sb.append((char) ('0' + rnd.nextInt(10)));
                }
            }
            if (rnd.nextBoolean()) {
                sb.append(rnd.nextBoolean() ? 'e' : 'E').append(rnd.nextBoolean() ? "-" : "+").append(rnd.nextInt(40));
            }
            String s = sb.toString();
            assertThat(read(s)).as(s).isTrue();
            assertThat(num.value()).as(s).isEqualTo(Double.parseDouble(s));
        }
    }

    @Test
    void read_shortestReprOfRandomDoubles_roundTrips() {
        Random rnd = new Random(7);
        for (int i = 0; i < 50_000; i++) {
            double d = Double.longBitsToDouble(rnd.nextLong());
            if (!Double.isFinite(d)) {
                continue;
            }
            String s = Double.toString(d);
            assertThat(read(s)).as(s).isTrue();
            assertThat(num.value()).as(s).isEqualTo(d);
        }
    }
}
