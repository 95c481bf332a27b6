package io.specula.model.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoFloatTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0                       | 0
            -0.0                    | -0
            1                       | 1
            -1                      | -1
            123456                  | 123456
            1234567                 | 1.234567e+06
            1e6                     | 1e+06
            1e21                    | 1e+21
            1e23                    | 1e+23
            1e-7                    | 1e-07
            0.0001                  | 0.0001
            0.00001                 | 1e-05
            1.5e-5                  | 1.5e-05
            0.1                     | 0.1
            100                     | 100
            2.5                     | 2.5
            -1234.5678              | -1234.5678
            4.9E-324                | 5e-324
            9.9E-324                | 1e-323
            1.7976931348623157E308  | 1.7976931348623157e+308
            2.2250738585072014E-308 | 2.2250738585072014e-308
            9007199254740992        | 9.007199254740992e+15
            9007199254740993        | 9.007199254740992e+15
            9.223372036854775807E18 | 9.223372036854776e+18
            1e100                   | 1e+100
            1.0E-100                | 1e-100
            """)
    void format_edgeCases(String input, String expected) {
        assertThat(GoFloat.format(Double.parseDouble(input))).isEqualTo(expected);
    }

    @Test
    void format_specialValues() {
        assertThat(GoFloat.format(Double.NaN)).isEqualTo("NaN");
        assertThat(GoFloat.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(GoFloat.format(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(GoFloat.format(Double.MIN_VALUE)).isEqualTo("5e-324");
        assertThat(GoFloat.format(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
    }

    /** Several thousand values (random bits, integers, decimals, subnormals, powers) against an independent oracle. */
    @Test
    void format_matchesGoVectors() throws IOException {
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        GoFloat f = new GoFloat();
        ExpositionBuffer buf = new ExpositionBuffer(64);
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("go-format-float-g.txt"));
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] parts = line.split(" ");
                double v = Double.longBitsToDouble(Long.parseUnsignedLong(parts[0], 16));
                buf.reset();
                f.appendG(buf, v); // one reused formatter, as a writer uses it
                checked++;
                if (!buf.toString().equals(parts[1])) {
                    mismatches.add(parts[0] + " " + v + ": got " + buf + ", want " + parts[1]);
                }
            }
        }
        assertThat(checked).isGreaterThan(5000);
        assertThat(mismatches).isEmpty();
    }

    @Test
    void formatE_shortestDigitsInExponentForm() {
        assertThat(GoFloat.formatE(1, 'e')).isEqualTo("1e+00");
        assertThat(GoFloat.formatE(15, 'E')).isEqualTo("1.5E+01");
        assertThat(GoFloat.formatE(-2.5e-7, 'e')).isEqualTo("-2.5e-07");
        assertThat(GoFloat.formatE(1e300, 'e')).isEqualTo("1e+300");
        assertThat(GoFloat.formatE(-0.0, 'e')).isEqualTo("-0e+00");
        assertThat(GoFloat.formatE(Double.MIN_VALUE, 'e')).isEqualTo("5e-324");
        assertThat(GoFloat.formatE(Double.NaN, 'e')).isEqualTo("NaN");
        assertThat(GoFloat.formatE(Double.NEGATIVE_INFINITY, 'E')).isEqualTo("-Inf");
    }

    @Test
    void formatF_shortestDigitsNeverAnExponent() {
        assertThat(GoFloat.formatF(1.5e300)).isEqualTo("15" + "0".repeat(299));
        assertThat(GoFloat.formatF(-0.000001)).isEqualTo("-0.000001");
        assertThat(GoFloat.formatF(1795557953.241)).isEqualTo("1795557953.241");
        assertThat(GoFloat.formatF(100)).isEqualTo("100");
        assertThat(GoFloat.formatF(-0.0)).isEqualTo("-0");
        assertThat(GoFloat.formatF(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    }
}
