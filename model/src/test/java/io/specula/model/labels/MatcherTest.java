package io.specula.model.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.re2j.Pattern;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MatcherTest {

    @Test
    void equal_andNotEqual_treatMissingAsEmpty() {
        assertThat(Matcher.equal("job", "").matches("")).isTrue();
        assertThat(Matcher.of(MatchType.NOT_EQUAL, "job", "").matches("x")).isTrue();
        assertThat(Matcher.of(MatchType.NOT_EQUAL, "job", "x").matchesEmpty()).isTrue();
    }

    @Test
    void regex_isFullyAnchored() {
        Matcher m = Matcher.of(MatchType.REGEX, "job", "api");
        assertThat(m.matches("api")).isTrue();
        assertThat(m.matches("xapi")).isFalse();
        assertThat(m.matches("apix")).isFalse();
        Matcher g = Matcher.of(MatchType.REGEX, "job", "a[0-9]+");
        assertThat(g.matches("a12")).isTrue();
        assertThat(g.matches("a12b")).isFalse();
    }

    @Test
    void regex_dotMatchesNewline() {
        assertThat(Matcher.of(MatchType.REGEX, "v", "a.b").matches("a\nb")).isTrue();
        assertThat(Matcher.of(MatchType.REGEX, "v", "a.*").matches("a\n\nb")).isTrue();
    }

    @Test
    void notRegex_negates() {
        Matcher m = Matcher.of(MatchType.NOT_REGEX, "code", "5..");
        assertThat(m.matches("500")).isFalse();
        assertThat(m.matches("200")).isTrue();
        assertThat(m.matchesEmpty()).isTrue();
    }

    @Test
    void setMatches_exposesLiteralAlternatives() {
        assertThat(Matcher.of(MatchType.REGEX, "job", "api|web|db").setMatches()).containsExactly("api", "web", "db");
        assertThat(Matcher.of(MatchType.REGEX, "job", "(api|web)").setMatches()).containsExactly("api", "web");
        assertThat(Matcher.of(MatchType.REGEX, "path", "/a\\.b|/c").setMatches()).containsExactly("/a.b", "/c");
        assertThat(Matcher.equal("job", "api").setMatches()).containsExactly("api");
        assertThat(Matcher.of(MatchType.REGEX, "job", "api.*").setMatches()).isNull();
        assertThat(Matcher.of(MatchType.NOT_REGEX, "job", "a|b").setMatches()).isNull();
        assertThat(Matcher.of(MatchType.REGEX, "job", "\\d|x").setMatches()).isNull();
    }

    @Test
    void prefix_isKnownForPrefixPatterns() {
        assertThat(Matcher.of(MatchType.REGEX, "n", "node_.*").prefix()).isEqualTo("node_");
        assertThat(Matcher.of(MatchType.REGEX, "n", "node_cpu|node_mem").prefix()).isEqualTo("node_");
        assertThat(Matcher.of(MatchType.REGEX, "n", ".*cpu").prefix()).isEmpty();
    }

    @Test
    void invalidRegex_givesRe2Message() {
        assertThatThrownBy(() -> Matcher.of(MatchType.REGEX, "a", "(foo"))
                .isInstanceOf(InvalidRegexException.class)
                .hasMessageContaining("missing closing )");
        // Backreferences and lookaheads are not RE2.
        assertThatThrownBy(() -> Matcher.of(MatchType.REGEX, "a", "(a)\\1")).isInstanceOf(InvalidRegexException.class);
        assertThatThrownBy(() -> Matcher.of(MatchType.REGEX, "a", "(?=a)")).isInstanceOf(InvalidRegexException.class);
    }

    @Test
    void toString_isPromqlForm() {
        assertThat(Matcher.of(MatchType.NOT_REGEX, "job", "a\"b").toString()).isEqualTo("job!~\"a\\\"b\"");
        assertThat(Matcher.equal("service.name", "x").toString()).isEqualTo("\"service.name\"=\"x\"");
    }

    /** Every fast path must agree with the plain anchored regex, on inputs built to hit its edges. */
    @ParameterizedTest
    @ValueSource(strings = {".*", ".+", "", "a|", "abc", "a|b|abc", "(a|bc)", "(?:x|y)", "ab.*", ".*ab", ".*ab.*",
            "a\\.b.*", ".*\\|", "a\\\\", "\\.*", "(a)|(b)", "a.b", "[ab]c", "(?i)abc", "a||b", ".*.*", "a\\*|b"})
    void fastPaths_agreeWithRegexEngine(String re) {
        Pattern reference = Pattern.compile("^(?s:" + re + ")$");
        Matcher m = Matcher.of(MatchType.REGEX, "l", re);
        Random rnd = new Random(7);
        String alphabet = "abc.|\\*\nAB";
        List<String> fixed = List.of("", "a", "b", "ab", "abc", "bc", "xab", "abx", "xabx", "a.b", "a\\", "|", "a*",
                "ABC", "x", "y", "aab", "ab\nab", "a.bzz", ".", "*");
        for (String s : fixed) {
            assertThat(m.matches(s)).as("%s on %s", re, s).isEqualTo(reference.matcher(s).find());
        }
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = rnd.nextInt(6); j > 0; j--) {
                sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            String s = sb.toString();
            assertThat(m.matches(s)).as("%s on %s", re, s).isEqualTo(reference.matcher(s).find());
        }
    }

    @Test
    void longAlternation_usesSetLookup() {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            re.append(i == 0 ? "" : "|").append("pod-").append(i);
        }
        Matcher m = Matcher.of(MatchType.REGEX, "pod", re.toString());
        assertThat(m.matches("pod-999")).isTrue();
        assertThat(m.matches("pod-1000")).isFalse();
        assertThat(m.setMatches()).hasSize(1000);
    }
}
