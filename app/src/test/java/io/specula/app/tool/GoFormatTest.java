package io.specula.app.tool;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoFormatTest {
    /** Expected strings are what Go's fmt.Sprintf("%g", v) prints. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1|1", "0.1|0.1", "-2.5|-2.5", "100000|100000", "1000000|1e+06", "1234567|1.234567e+06",
        "123456.7|123456.7", "0.0001|0.0001", "0.00001|1e-05", "0.000123|0.000123", "1e21|1e+21",
        "1.7976931348623157e308|1.7976931348623157e+308", "4.9e-324|5e-324", "12345678901|1.2345678901e+10",
        "0|0", "-0.0|-0", "NaN|NaN", "Infinity|+Inf", "-Infinity|-Inf", "3.0000000000000004|3.0000000000000004",
    })
    void g_matchesGo(double v, String want) {
        assertThat(GoFormat.g(v)).isEqualTo(want);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"0|0s", "250|250ms", "1000|1s", "1500|1.5s", "7200000|2h0m0s", "7199999|1h59m59.999s", "61000|1m1s"})
    void durationMillis_matchesGo(long ms, String want) {
        assertThat(GoFormat.durationMillis(ms)).isEqualTo(want);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"0|0B", "512|512B", "1024|1KiB", "1536|1KiB512B", "1048577|1MiB1B"})
    void base2Bytes_matchesAlecthomasUnits(long n, String want) {
        assertThat(GoFormat.base2Bytes(n)).isEqualTo(want);
    }

    @org.junit.jupiter.api.Test
    void labels_quoteLikeStrconv() {
        assertThat(GoFormat.labels(Labels.of("__name__", "up", "a", "x\"y\\z\n", "b", "é\u0001")))
                .isEqualTo("{__name__=\"up\", a=\"x\\\"y\\\\z\\n\", b=\"é\\x01\"}");
        assertThat(GoFormat.time(1_699_999_200_000L)).isEqualTo("2023-11-14 22:00:00 +0000 UTC");
        assertThat(GoFormat.time(1_699_999_200_999L)).isEqualTo("2023-11-14 22:00:00 +0000 UTC");
    }
}
