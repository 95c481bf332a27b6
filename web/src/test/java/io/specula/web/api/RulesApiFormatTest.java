package io.specula.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Alert values and durations formatted as Go formats them for the rules and alerts endpoints. */
class RulesApiFormatTest {

    @ParameterizedTest
    @CsvSource({
        "1, 1e+00", "1.5, 1.5e+00", "42, 4.2e+01", "1e-7, 1e-07", "1e100, 1e+100", "123456.789, 1.23456789e+05",
        "0, 0e+00", "-0.0, -0e+00", "-2.5e-300, -2.5e-300", "0.1, 1e-01", "NaN, NaN", "Infinity, +Inf",
        "-Infinity, -Inf", "4.9e-324, 5e-324", "1.7976931348623157e308, 1.7976931348623157e+308",
    })
    void formatExp_asGoFormatFloatE(String in, String want) {
        assertThat(RulesApi.formatExp(Double.parseDouble(in))).isEqualTo(want);
    }

    @ParameterizedTest
    @CsvSource({"0, 0.0", "1500000000, 1.5", "123456789, 0.123456789", "61000000001, 61.000000001"})
    void seconds_asGoDurationSeconds(long nanos, double want) {
        assertThat(RulesApi.seconds(nanos)).isEqualTo(want);
    }
}
