package io.specula.model.relabel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.labels.InvalidRegexException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RegexTest {

    static Stream<Arguments> matchCases() {
        return Stream.of(
                // regex, input, matches
                Arguments.of("foo", "foo", true),
                Arguments.of("foo", "xfoo", false),       // anchored at the start
                Arguments.of("foo", "foox", false),       // and at the end
                Arguments.of("foo", "foo\n", false),      // '$' is the end of text, not of a line
                Arguments.of(".*foo.*", "xfoox", true),
                Arguments.of("f|o", "foo", false),        // the alternation is anchored as a whole
                Arguments.of("f|o", "o", true),
                Arguments.of("a.b", "a\nb", true),        // '.' matches a newline (Prometheus 3)
                Arguments.of("", "", true),
                Arguments.of("", "x", false),
                Arguments.of("(.*)", "", true),
                Arguments.of("(.*)", "any\nthing", true),
                Arguments.of(".+", "", false),
                Arguments.of("up|go_.*", "go_goroutines", true),
                Arguments.of("up|go_.*", "upx", false),
                Arguments.of("(?i)UP", "up", true),
                Arguments.of("\\d+", "123", true),
                Arguments.of("\\d+", "12a", false),
                Arguments.of("ä.", "äö", true));          // '.' is one code point
    }

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @MethodSource("matchCases")
    void matches_isAnchoredWithDotAll(String regex, String input, boolean expected) {
        Regex re = Regex.compile(regex);
        assertThat(re.matches(input)).isEqualTo(expected);
        // The fast paths must agree with the engine.
        assertThat(re.pattern().matcher(input).find()).isEqualTo(expected);
    }

    @Test
    void compile_keepsTextAndGroups() {
        Regex re = Regex.compile("(?P<a>x)(y)");
        assertThat(re.text()).isEqualTo("(?P<a>x)(y)");
        assertThat(re.toString()).isEqualTo("(?P<a>x)(y)");
        assertThat(re.groupCount()).isEqualTo(2);
        assertThat(re.pattern().pattern()).isEqualTo("^(?s:(?P<a>x)(y))$");
    }

    @Test
    void equals_byText() {
        assertThat(Regex.compile("a.*")).isEqualTo(Regex.compile("a.*")).hasSameHashCodeAs(Regex.compile("a.*"));
        assertThat(Regex.compile("a.*")).isNotEqualTo(Regex.compile("a.+"));
    }

    @Test
    void matchesAllAsGroupOne_onlyForDefault() {
        assertThat(Regex.compile(Regex.DEFAULT_TEXT).matchesAllAsGroupOne()).isTrue();
        assertThat(Regex.compile(".*").matchesAllAsGroupOne()).isFalse();
        assertThat(Regex.compile("(.+)").matchesAllAsGroupOne()).isFalse();
    }

    static Stream<Arguments> invalidCases() {
        return Stream.of(
                Arguments.of("(abc", "error parsing regexp: missing closing ): `^(?s:(abc)$`"),
                Arguments.of("a{1001}", "error parsing regexp: invalid repeat count: `{1001}`"),
                Arguments.of("[z-a]", "error parsing regexp: invalid character class range: `z-a`"),
                Arguments.of("*", "error parsing regexp: missing argument to repetition operator: `*`"),
                Arguments.of("\\8", "error parsing regexp: invalid escape sequence: `\\8`"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCases")
    void compile_invalid_goMessage(String regex, String message) {
        assertThatThrownBy(() -> Regex.compile(regex))
                .isInstanceOf(InvalidRegexException.class)
                .hasMessage(message);
    }
}
