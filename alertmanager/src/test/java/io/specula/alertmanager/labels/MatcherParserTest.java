package io.specula.alertmanager.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatcherParserTest {
    @Test
    void parseMatchers_acceptsAlertmanagerForms() throws Exception {
        List<Matcher> ms = MatcherParser.parseMatchers("{foo = \"bar\", dings!=bums, re=~\"a|b\", nre!~x.*, }");
        assertThat(ms).extracting(Matcher::type)
                .containsExactly(MatchType.EQUAL, MatchType.NOT_EQUAL, MatchType.REGEX, MatchType.NOT_REGEX);
        assertThat(ms).extracting(Matcher::value).containsExactly("bar", "bums", "a|b", "x.*");
        assertThat(ms.get(2).matches("b")).isTrue();
        assertThat(ms.get(2).matches("ab")).isFalse();
    }

    @Test
    void parseMatchers_commasAndEscapesInsideQuotes() throws Exception {
        List<Matcher> ms = MatcherParser.parseMatchers("quote=\"She said: \\\"Hi, all\\\"\",nl=\"a\\nb\",bs=\"c\\d\"");
        assertThat(ms).extracting(Matcher::value).containsExactly("She said: \"Hi, all\"", "a\nb", "c\\d");
    }

    @Test
    void parseMatcher_errorsUseAlertmanagersWording() {
        assertThatThrownBy(() -> MatcherParser.parseMatcher("foo")).hasMessage("bad matcher format: foo");
        assertThatThrownBy(() -> MatcherParser.parseMatcher("foo=\"ba\"r\""))
                .hasMessage("matcher value contains unescaped double quote: \"ba\"r\"");
        assertThatThrownBy(() -> MatcherParser.parseMatcher("foo=\"bar"))
                .hasMessage("matcher value contains unescaped double quote: \"bar");
    }

    @Test
    void format_quotesAndEscapes() throws Exception {
        assertThat(MatcherParser.format(MatcherParser.parseMatcher("a=~\"x\\\"y\""))).isEqualTo("a=~\"x\\\"y\"");
        assertThat(MatcherParser.format(MatcherParser.parseMatcher("a!=b"))).isEqualTo("a!=\"b\"");
    }
}
