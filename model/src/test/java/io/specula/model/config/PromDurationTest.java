package io.specula.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PromDurationTest {
    @ParameterizedTest
    @CsvSource({
        "0, 0, 0s",
        "0s, 0, 0s",
        "5m, 300000, 5m",
        "1h30m, 5400000, 1h30m",
        "90m, 5400000, 1h30m",
        "100ms, 100, 100ms",
        "1s500ms, 1500, 1s500ms",
        "7d, 604800000, 1w",
        "10d, 864000000, 10d",
        "1y, 31536000000, 1y",
        "2w, 1209600000, 2w",
        "4h, 14400000, 4h",
        "36h, 129600000, 1d12h",
    })
    void parse_formatsBackThePrometheusWay(String in, long millis, String printed) {
        PromDuration d = PromDuration.parse(in);
        assertThat(d.millis()).isEqualTo(millis);
        assertThat(d.toString()).isEqualTo(printed);
        assertThat(PromDuration.parse(printed)).isEqualTo(d);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "5", "m", "1m1h", "1h1h", "-1s", "1.5h", "1 h", "1x", "h1", "1hm"})
    void parse_invalid(String in) {
        assertThatThrownBy(() -> PromDuration.parse(in))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a valid duration string: \"" + in + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999s", "300000y"})
    void parse_outOfRange(String in) {
        assertThatThrownBy(() -> PromDuration.parse(in)).hasMessage("duration out of range");
    }

    @org.junit.jupiter.api.Test
    void parse_empty() {
        assertThatThrownBy(() -> PromDuration.parse("")).hasMessage("empty duration string");
    }
}
