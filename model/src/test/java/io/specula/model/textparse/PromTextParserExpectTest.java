package io.specula.model.textparse;

import static io.specula.model.textparse.ParserTestSupport.bytes;
import static io.specula.model.textparse.ParserTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.labels.LabelsBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link PromTextParser#expect}: comparing a line with an earlier line's series text instead of lexing it. */
class PromTextParserExpectTest {

    private static final String BODY = """
            # TYPE a counter
            a 1
            b{x="1"} 2 1000
            b { x = "2" , } 3
            {"quoted.name"} 4
            {"q.name","k"="v\\"w"} 5
            multi{v="line1
            line2"} 6
            h_bucket{le="1"} 7
            tail{}8
            """;

    /** Series texts of every sample line of {@code body}, and their line feeds. */
    private static List<byte[]> keys(String body) throws ParseException {
        List<byte[]> keys = new ArrayList<>();
        PromTextParser p = new PromTextParser(bytes(body));
        for (Entry e; (e = p.next()) != null; ) {
            if (e == Entry.SERIES) {
                keys.add(Arrays.copyOfRange(p.seriesBytes(), p.seriesOffset(), p.seriesOffset() + p.seriesLength()));
            }
        }
        return keys;
    }

    private static int lineFeeds(byte[] key) {
        int n = 0;
        for (byte c : key) {
            n += c == '\n' ? 1 : 0;
        }
        return n;
    }

    /** Parses {@code body} offering {@code keys} in order, one per sample line; renders as {@link ParserTestSupport#render}, "=" marking matched lines. */
    private static List<String> withExpect(String body, List<byte[]> keys) throws ParseException {
        PromTextParser p = new PromTextParser(bytes(body));
        List<String> out = new ArrayList<>();
        LabelsBuilder lb = new LabelsBuilder();
        int k = 0;
        for (Entry e; ; ) {
            if (k < keys.size()) {
                p.expect(keys.get(k), lineFeeds(keys.get(k)));
            }
            if ((e = p.next()) == null) {
                break;
            }
            if (e != Entry.SERIES) {
                assertThat(p.matchedExpected()).isFalse();
                continue;
            }
            k++;
            String key = new String(p.seriesBytes(), p.seriesOffset(), p.seriesLength(), java.nio.charset.StandardCharsets.UTF_8);
            p.labels(lb);
            out.add((p.matchedExpected() ? "= " : "  ") + key + " " + lb.build() + " " + p.value()
                    + (p.hasTimestamp() ? " @" + p.timestamp() : "") + " line " + p.line());
        }
        return out;
    }

    @Test
    void expect_sameBody_everyLineMatchesAndParsesAsWithout() throws Exception {
        List<byte[]> keys = keys(BODY);
        List<String> matched = withExpect(BODY, keys);
        List<String> plain = withExpect(BODY, List.of());
        assertThat(matched).allMatch(s -> s.startsWith("= "));
        assertThat(matched).hasSize(plain.size());
        for (int i = 0; i < plain.size(); i++) {
            assertThat(matched.get(i).substring(2)).isEqualTo(plain.get(i).substring(2));
        }
        assertThat(text(BODY)).hasSize(matched.size() + 1);
    }

    @Test
    void expect_lineFeedsInsideKey_laterErrorsNameTheRightLine() throws Exception {
        String body = BODY + "bad{\n";
        PromTextParser p = new PromTextParser(bytes(body));
        List<byte[]> keys = keys(BODY);
        int k = 0;
        ParseException failure = null;
        try {
            for (;;) {
                if (k < keys.size()) {
                    p.expect(keys.get(k), lineFeeds(keys.get(k)));
                }
                Entry e = p.next();
                if (e == null) {
                    break;
                }
                k += e == Entry.SERIES ? 1 : 0;
            }
        } catch (ParseException e) {
            failure = e;
        }
        ParseException plain = null;
        try {
            ParserTestSupport.render(new PromTextParser(bytes(body)));
        } catch (ParseException e) {
            plain = e;
        }
        assertThat(failure).isNotNull();
        assertThat(plain).isNotNull();
        assertThat(failure.getMessage()).isEqualTo(plain.getMessage()).startsWith("line 11,");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a|a_b 1",             // the name goes on
        "a|a{x=\"1\"} 1",      // a label block follows
        "a|a {x=\"1\"} 1",     // after blanks
        "b{x=\"1\"}|b{x=\"12\"} 1",
        "b{x=\"1\"}|b{x=\"1\"",  // no room for a value: lexed, and fails as without
        "a|b 1",
    })
    void expect_differentSeries_isLexedAsWithout(String key, String line) {
        String body = line + "\n";
        String withKey;
        String without;
        try {
            withKey = withExpect(body, List.of(bytes(key))).toString();
        } catch (ParseException e) {
            withKey = e.getMessage();
        }
        try {
            without = withExpect(body, List.of()).toString();
        } catch (ParseException e) {
            without = e.getMessage();
        }
        assertThat(withKey).isEqualTo(without).doesNotContain("= ");
    }

    @Test
    void expect_appliesToTheNextSampleLineOnly() throws Exception {
        PromTextParser p = new PromTextParser(bytes("# HELP a x\na 1\na 2\n"));
        p.expect(bytes("a"), 0);
        assertThat(p.next()).isEqualTo(Entry.HELP);
        assertThat(p.matchedExpected()).isFalse();
        assertThat(p.next()).isEqualTo(Entry.SERIES);
        assertThat(p.matchedExpected()).isTrue();
        assertThat(p.next()).isEqualTo(Entry.SERIES);
        assertThat(p.matchedExpected()).isFalse();
    }

    @Test
    void expect_matchedLine_badValueStillFails() {
        PromTextParser p = new PromTextParser(bytes("a{x=\"1\"} x1\n"));
        p.expect(bytes("a{x=\"1\"}"), 0);
        assertThatThrownBy(p::next).isInstanceOf(ParseException.class).hasMessageContaining("invalid value");
    }
}
