package io.specula.model.relabel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TemplateTest {

    /** Expands {@code template} for a match of {@code regex} against {@code input}. */
    private static String expand(String regex, String input, String template) {
        Regex re = Regex.compile(regex);
        Template t = Template.compile(template, re.pattern());
        com.google.re2j.Matcher m = re.pattern().matcher(input);
        assertThat(m.find()).as("%s must match %s", regex, input).isTrue();
        StringBuilder sb = new StringBuilder();
        t.expand(sb, input, m);
        return sb.toString();
    }

    static Stream<Arguments> goExpandCases() {
        return Stream.of(
                // regex, input, template, expected
                Arguments.of("f(o)(o)", "foo", "$1", "o"),
                Arguments.of("f(o)(o)", "foo", "${1}", "o"),
                Arguments.of("f(o)(o)", "foo", "$0", "foo"),
                Arguments.of("f(o)(o)", "foo", "${1}x", "ox"),
                Arguments.of("f(o)(o)", "foo", "$1x", ""),          // the group named "1x"
                Arguments.of("f(o)(o)", "foo", "a$1_b", "a"),       // the group named "1_b"
                Arguments.of("f(o)(o)", "foo", "$1-$2", "o-o"),     // '-' ends a name
                Arguments.of("f(o)(o)", "foo", "$1$2$1", "ooo"),
                Arguments.of("f(o)(o)", "foo", "$$", "$"),
                Arguments.of("f(o)(o)", "foo", "$$1", "$1"),
                Arguments.of("f(o)(o)", "foo", "$$$1", "$o"),
                Arguments.of("f(o)(o)", "foo", "x$", "x$"),          // '$' at the end is text
                Arguments.of("f(o)(o)", "foo", "x${", "x${"),
                Arguments.of("f(o)(o)", "foo", "x${}", "x${}"),
                Arguments.of("f(o)(o)", "foo", "x${1", "x${1"),      // unclosed brace
                Arguments.of("f(o)(o)", "foo", "x${1-}$2", "x${1-}o"),
                Arguments.of("f(o)(o)", "foo", "$-$1", "$-o"),
                Arguments.of("f(o)(o)", "foo", "$ 1", "$ 1"),
                Arguments.of("f(o)(o)", "foo", "$9", ""),            // no such group
                Arguments.of("f(o)(o)", "foo", "<${3}>", "<>"),
                Arguments.of("f(o)(o)", "foo", "$01", ""),           // leading zero: a name, not group 1
                Arguments.of("f(o)(o)", "foo", "${1000000000}", ""), // too long for a number: a name
                Arguments.of("f(o)(o)", "foo", "$ä$1", "o"),         // "ä" is a (missing) name: Unicode letters count
                Arguments.of("f(o)(o)", "foo", "$١", ""),            // non-ASCII digit: part of a name
                Arguments.of("f(o)(o)", "foo", "plain", "plain"),
                Arguments.of("f(o)(o)", "foo", "", ""),
                Arguments.of("(?P<first>f)(?P<rest>.*)", "foo", "$rest-${first}", "oo-f"),
                Arguments.of("(?P<first>f)(?P<rest>.*)", "foo", "${rest}x", "oox"),
                Arguments.of("(?P<first>f)(?P<rest>.*)", "foo", "$restx", ""),
                Arguments.of("(?P<first>f)(?P<rest>.*)", "foo", "$2$1", "oof"), // named groups have numbers too
                Arguments.of("(?<n>x)(?P<01>y)", "xy", "$01$n", "yx"),        // a group may be named "01"
                Arguments.of("f(x)?(o+)", "foo", "[$1][$2]", "[][oo]"),       // group that did not take part
                Arguments.of("(a|ab)(c|bcd)(d*)", "abcd", "$1|$2|$3", "a|bcd|"), // leftmost-first, like Go
                Arguments.of("(.*)", "a\nb", "<$1>", "<a\nb>"));
    }

    @ParameterizedTest(name = "{0} on {1}: {2} -> {3}")
    @MethodSource("goExpandCases")
    void expand_followsGoRegexpExpand(String regex, String input, String template, String expected) {
        assertThat(expand(regex, input, template)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matchAllCases")
    void expand_defaultRegexWithoutEngine_sameAsWithEngine(String template, String input) {
        Regex re = Regex.compile("(.*)");
        Template t = Template.compile(template, re.pattern());
        StringBuilder fast = new StringBuilder();
        t.expand(fast, input, null);
        assertThat(fast.toString()).isEqualTo(expand("(.*)", input, template));
    }

    static Stream<Arguments> matchAllCases() {
        return Stream.of(
                Arguments.of("$1", "value"),
                Arguments.of("<$0|${1}|$2|$x>", "value"),
                Arguments.of("${1}${1}", ""),
                Arguments.of("$$1", "v"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("constantCases")
    void constant_onlyWithoutReferences(String template, String constant) {
        Template t = Template.compile(template, Regex.compile("(a)").pattern());
        assertThat(t.constant()).isEqualTo(constant);
        assertThat(t.source()).isEqualTo(template);
    }

    static Stream<Arguments> constantCases() {
        return Stream.of(
                Arguments.of("static", "static"),
                Arguments.of("", ""),
                Arguments.of("$$", "$"),
                Arguments.of("a${", "a${"),
                Arguments.of("$1", null),
                Arguments.of("x$nope${9}y", "xy")); // references that can never match are dropped
    }
}
