package io.specula.app.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesSelectorTest {
    private static List<String> parse(String s) {
        return Arrays.stream(SeriesSelector.parse(s)).map(m -> m.name() + " " + m.type() + " " + m.value()).toList();
    }

    @Test
    void parse_metricNameAndMatchers() {
        assertThat(parse("up{job=\"a\", instance=~'h.*' , zone!=`x\\y`,}"))
                .containsExactly("__name__ EQUAL up", "job EQUAL a", "instance REGEX h.*", "zone NOT_EQUAL x\\y");
        assertThat(parse("{__name__=~'(?s:.*)'}")).containsExactly("__name__ REGEX (?s:.*)");
        assertThat(parse("  node:cpu:rate5m ")).containsExactly("__name__ EQUAL node:cpu:rate5m");
        assertThat(parse("{a!~\"x\\\"y\\n\"}")).containsExactly("a NOT_REGEX x\"y\n");
        Matcher m = SeriesSelector.parse("{a=~\"b\\\\.c\"}")[0];
        assertThat(m.type()).isEqualTo(MatchType.REGEX);
        assertThat(m.matches("b.c")).isTrue();
        assertThat(m.matches("bxc")).isFalse();
    }

    @Test
    void parse_errorsNamePosition() {
        assertThatThrownBy(() -> SeriesSelector.parse("up{")).hasMessageContaining("position 4");
        assertThatThrownBy(() -> SeriesSelector.parse("{a=\"b\"")).hasMessageContaining("unexpected end");
        assertThatThrownBy(() -> SeriesSelector.parse("{a=\"b\" c=\"d\"}")).hasMessageContaining("expected ',' or '}'");
        assertThatThrownBy(() -> SeriesSelector.parse("{a==\"b\"}")).hasMessageContaining("quoted string");
        assertThatThrownBy(() -> SeriesSelector.parse("{}")).hasMessageContaining("at least one matcher");
        assertThatThrownBy(() -> SeriesSelector.parse("{a=\"b}")).hasMessageContaining("unterminated");
        assertThatThrownBy(() -> SeriesSelector.parse("up x")).hasMessageContaining("expected '{'");
        assertThatThrownBy(() -> SeriesSelector.parse("up{} x")).hasMessageContaining("unexpected character 'x'");
    }
}
