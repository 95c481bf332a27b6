package io.specula.model.textparse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FloatFormatTest {

    /** Expected strings are what Go's strconv.FormatFloat(f, 'g', -1, 64) prints, plus ".0". */
    @ParameterizedTest
    @CsvSource({
        "1, 1.0", "0, 0.0", "-0.0, 0.0", "-1, -1.0", "0.5, 0.5", "0.25, 0.25", "100, 100.0", "123456, 123456.0",
        "123456.7, 123456.7", "1234567, 1.234567e+06", "1e6, 1e+06", "2.5e6, 2.5e+06", "0.0001, 0.0001",
        "0.00001, 1e-05", "1.5e-7, 1.5e-07", "1.1e-3, 0.0011", "1e-11, 1e-11", "1e21, 1e+21", "1e100, 1e+100",
        "0.1, 0.1", "0.3, 0.3", "-2.5, -2.5", "0.3333333333333333, 0.3333333333333333",
        "9007199254740992, 9.007199254740992e+15", "1.7976931348623157e308, 1.7976931348623157e+308",
        "4.9e-324, 5e-324", "1e23, 1e+23", "100000000000, 1e+11", "99999, 99999.0",
    })
    void formatOpenMetrics_matchesGo(double in, String expected) {
        assertThat(FloatFormat.formatOpenMetrics(in)).isEqualTo(expected);
    }

    @Test
    void formatOpenMetrics_specials() {
        assertThat(FloatFormat.formatOpenMetrics(Double.NaN)).isEqualTo("NaN");
        assertThat(FloatFormat.formatOpenMetrics(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(FloatFormat.formatOpenMetrics(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
    }

    @Test
    void formatOpenMetrics_randomDoubles_parseBackExactly() {
        Random rnd = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            double d = Double.longBitsToDouble(rnd.nextLong());
            if (!Double.isFinite(d) || d == 0) {
                continue;
            }
            String s = FloatFormat.formatOpenMetrics(d);
            assertThat(Double.parseDouble(s)).as(s).isEqualTo(d);
            assertThat(s.length()).as(s).isLessThanOrEqualTo(Double.toString(d).length() + 4);
        }
    }
}
