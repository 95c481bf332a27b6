package io.specula.model.textparse;

import static io.specula.model.textparse.ParserTestSupport.bytes;
import static io.specula.model.textparse.ParserTestSupport.error;
import static io.specula.model.textparse.ParserTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.labels.LabelsBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PromTextParserTest {

    @Test
    void next_typicalExposition_yieldsEveryEntryKind() throws Exception {
        String body = """
                # HELP http_requests_total The total number of HTTP requests.
                # TYPE http_requests_total counter
                http_requests_total{method="post",code="200"} 1027 1395066363000
                http_requests_total{method="post",code="400"}    3 1395066363000

                # A normal comment.
                #
                metric_without_timestamp_and_labels 12.47
                """;
        assertThat(text(body)).containsExactly(
                "HELP http_requests_total The total number of HTTP requests.",
                "TYPE http_requests_total counter",
                "{__name__=\"http_requests_total\", code=\"200\", method=\"post\"} 1027.0 @1395066363000",
                "{__name__=\"http_requests_total\", code=\"400\", method=\"post\"} 3.0 @1395066363000",
                "COMMENT # A normal comment.",
                "COMMENT #",
                "{__name__=\"metric_without_timestamp_and_labels\"} 12.47");
    }

    @Test
    void next_prometheusLayoutQuirks_areAccepted() throws Exception {
        String body = "  leading_blanks 1\n"
                + "spaced { a = \"b\" , c= \"d\" , } 2\n"
                + "no_comma{a=\"b\" c=\"d\"} 3\n"
                + "no_space_before_value{a=\"b\"}4\n"
                + "trailing_blanks 5 \t\n"
                + "tabs\t6\t7\t\n"
                + "some:colon:name{_under=\"x\"} 8\n"
                + "empty{} 9\n"
                + "  \t \n"
                + "#\tTYPE tabbed gauge\n"
                + "#  HELP   lots_of_blanks   two  spaces\n"
                + "#HELP not_help\n"
                + "# HELP\n"
                + "# HELPER not_help\n"
                + "# HELP no_text\n"
                + "# HELP no_text2 \t \n";
        assertThat(text(body)).containsExactly(
                "{__name__=\"leading_blanks\"} 1.0",
                "{__name__=\"spaced\", a=\"b\", c=\"d\"} 2.0",
                "{__name__=\"no_comma\", a=\"b\", c=\"d\"} 3.0",
                "{__name__=\"no_space_before_value\", a=\"b\"} 4.0",
                "{__name__=\"trailing_blanks\"} 5.0",
                "{__name__=\"tabs\"} 6.0 @7",
                "{__name__=\"some:colon:name\", _under=\"x\"} 8.0",
                "{__name__=\"empty\"} 9.0",
                "TYPE tabbed gauge",
                "HELP lots_of_blanks   two  spaces", // text "  two  spaces": Prometheus drops only the first blank
                "COMMENT #HELP not_help",
                "COMMENT # HELP",
                "COMMENT # HELPER not_help",
                "HELP no_text ",
                "HELP no_text2 ");
    }

    @Test
    void next_typeNames_mapToMetricTypes() throws Exception {
        assertThat(text("# TYPE a counter\n# TYPE b gauge\n# TYPE c histogram\n# TYPE d summary\n# TYPE e untyped\n"))
                .containsExactly("TYPE a counter", "TYPE b gauge", "TYPE c histogram", "TYPE d summary", "TYPE e unknown");
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown", "gaugehistogram", "info", "stateset", "Counter", " counter", "counter "})
    void next_otherTypeWords_areRefused(String word) {
        assertThat(error(new PromTextParser(bytes("# TYPE a " + word + "\n"))))
                .startsWith("line 1, column 10: invalid metric type");
    }

    @Test
    void next_quotedUtf8Names_areDecoded() throws Exception {
        String body = "# HELP \"my.metric\" Help for it.\n"
                + "# TYPE \"my.metric\" gauge\n"
                + "{\"my.metric\", \"a.b\"=\"c\", d=\"e\"} 1\n"
                + "{\"my.metric\"} 2\n"
                + "{ \"with \\\"quote\\\" and \\\\\" , x=\"y\" } 3\n"
                + "{\"name with,comma\",} 4\n"
                + "{a=\"b\", \"Heizölrückstoß 10€\"} 5\n";
        assertThat(text(body)).containsExactly(
                "HELP my.metric Help for it.",
                "TYPE my.metric gauge",
                "{__name__=\"my.metric\", \"a.b\"=\"c\", d=\"e\"} 1.0",
                "{__name__=\"my.metric\"} 2.0",
                "{__name__=\"with \\\"quote\\\" and \\\\\", x=\"y\"} 3.0",
                "{__name__=\"name with,comma\"} 4.0",
                "{__name__=\"Heizölrückstoß 10€\", a=\"b\"} 5.0");
    }

    @Test
    void next_quotedNameWithRawLineFeed_countsLines() throws Exception {
        Parser p = new PromTextParser(bytes("{\"two\nlines\"} 1\nnext 2\n"));
        assertThat(p.next()).isEqualTo(Entry.SERIES);
        LabelsBuilder lb = new LabelsBuilder();
        p.labels(lb);
        assertThat(lb.build().metricName()).isEqualTo("two\nlines");
        assertThat(p.next()).isEqualTo(Entry.SERIES);
        assertThat(p.line()).isEqualTo(3);
    }

    @Test
    void next_labelValueEscapes_areUnescapedAsPrometheus() throws Exception {
        String body = "a{b=\"back\\\\slash\",c=\"quote\\\"d\",d=\"line\\nfeed\",e=\"tab\\tkept\",f=\"\\\\n\"} 1\n";
        List<String> got = text(body);
        assertThat(got).hasSize(1);
        Parser p = new PromTextParser(bytes(body));
        p.next();
        LabelsBuilder lb = new LabelsBuilder();
        p.labels(lb);
        var l = lb.build();
        assertThat(l.get("b")).isEqualTo("back\\slash");
        assertThat(l.get("c")).isEqualTo("quote\"d");
        assertThat(l.get("d")).isEqualTo("line\nfeed");
        assertThat(l.get("e")).isEqualTo("tab\\tkept");
        assertThat(l.get("f")).isEqualTo("\\n");
    }

    @Test
    void next_helpEscapes_onlyBackslashAndLineFeed() throws Exception {
        assertThat(text("# HELP a one\\\\two\\nthree \\\"four\\\" \\t\n"))
                .containsExactly("HELP a one\\two\nthree \\\"four\\\" \\t");
    }

    @Test
    void next_rawLineFeedInLabelValue_isKeptAndCounted() throws Exception {
        Parser p = new PromTextParser(bytes("a{b=\"x\ny\"} 1\nc 2\n"));
        p.next();
        LabelsBuilder lb = new LabelsBuilder();
        p.labels(lb);
        assertThat(lb.build().get("b")).isEqualTo("x\ny");
        p.next();
        assertThat(p.line()).isEqualTo(3);
        assertThat(error(new PromTextParser(bytes("a{b=\"x\ny\"} z\n"))))
                .isEqualTo("line 2, column 5: invalid value \"z\": not a number");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1|1.0", "-1.5|-1.5", "1e3|1000.0", "1E-3|0.001", ".5|0.5", "5.|5.0", "+Inf|Infinity", "-Inf|-Infinity",
        "inf|Infinity", "Infinity|Infinity", "-infinity|-Infinity", "0000123|123.0", "9223372036854775808|9.223372036854776E18",
    })
    void next_valueSpellings_asGoParseFloat(String in, String expected) throws Exception {
        assertThat(text("a " + in + "\n")).containsExactly("{__name__=\"a\"} " + expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "nan", "NAN"})
    void next_nan_isPrometheusNormalNaN(String spelling) throws Exception {
        Parser p = new PromTextParser(bytes("a " + spelling + "\n"));
        p.next();
        assertThat(Double.doubleToRawLongBits(p.value())).isEqualTo(0x7ff8000000000001L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+NaN", "0x1p3", "1_000", "1e400", "true", "1,5", "--1", "Inf1"})
    void next_valuesGoRefuses_areRefused(String in) {
        assertThat(error(new PromTextParser(bytes("a " + in + "\n")))).startsWith("line 1, column 3: invalid value");
    }

    @Test
    void next_timestamps_areInt64Milliseconds() throws Exception {
        assertThat(text("a 1 0\nb 1 000123\nc 1 9223372036854775807\n")).containsExactly(
                "{__name__=\"a\"} 1.0 @0", "{__name__=\"b\"} 1.0 @123", "{__name__=\"c\"} 1.0 @9223372036854775807");
        assertThat(error(new PromTextParser(bytes("a 1 9223372036854775808\n"))))
                .isEqualTo("line 1, column 5: timestamp \"9223372036854775808\" out of range");
        assertThat(error(new PromTextParser(bytes("a 1 -5\n"))))
                .isEqualTo("line 1, column 5: expected timestamp or end of line after value, got \"-5\"");
        assertThat(error(new PromTextParser(bytes("a 1 1.5\n"))))
                .isEqualTo("line 1, column 6: expected end of line after timestamp, got \".5\"");
    }

    @Test
    void next_crlf_isRefusedAsPrometheusDoes() {
        assertThat(error(new PromTextParser(bytes("a 1\r\n"))))
                .isEqualTo("line 1, column 3: invalid value \"1\\r\": not a number");
        assertThat(error(new PromTextParser(bytes("a 1 2\r\n"))))
                .isEqualTo("line 1, column 6: expected end of line after timestamp, got \"\\r\"");
        assertThat(error(new PromTextParser(bytes("\r\n"))))
                .isEqualTo("line 1, column 1: expected a metric name, '{' or '#' at the start of the line, got \"\\r\"");
        assertThat(error(new PromTextParser(bytes("# TYPE a gauge\r\n"))))
                .startsWith("line 1, column 10: invalid metric type \"gauge\\r\"");
    }

    @Test
    void next_crInHelpAndComments_isText() throws Exception {
        assertThat(text("# HELP a text\r\n# c\r\n")).containsExactly("HELP a text\r", "COMMENT # c\r");
    }

    @Test
    void next_nulBytes_handledAsPrometheus() throws Exception {
        // NUL where a line starts: the end of the input.
        assertThat(text("a 1\n\u0000b 2\n")).containsExactly("{__name__=\"a\"} 1.0");
        // NUL in a comment right after '#': the end of the input too.
        assertThat(text("#x\u0000y\nb 2\n")).isEmpty();
        // NUL in a label value or help text: kept.
        assertThat(text("a{b=\"x\u0000y\"} 1\n# HELP h foo\u0000bar\n"))
                .containsExactly("{__name__=\"a\", b=\"x\\x00y\"} 1.0", "HELP h foo\u0000bar");
        // NUL after a label's '=' and a blank is skipped; right after '=' it is an error.
        assertThat(text("a{b= \u0000\"c\"} 1\n")).containsExactly("{__name__=\"a\", b=\"c\"} 1.0");
        assertThat(error(new PromTextParser(bytes("a{b=\u0000\"c\"} 1\n"))))
                .isEqualTo("line 1, column 5: expected label value, got \"\\x00\"");
        assertThat(error(new PromTextParser(bytes("a 0 1\u0000\n"))))
                .isEqualTo("line 1, column 6: expected end of line after timestamp, got \"\\x00\"");
    }

    @Test
    void labels_leAndQuantile_normalizedByTheLastType() throws Exception {
        String body = """
                # TYPE h histogram
                h_bucket{le="1"} 1
                h_bucket{le="0.00001"} 1
                h_bucket{le="+inf"} 1
                h_bucket{le="x"} 1
                # TYPE s summary
                s{quantile="1"} 1
                s{quantile="0.50"} 1
                other{le="1"} 1
                # TYPE g gauge
                g{le="1",quantile="1"} 1
                """;
        assertThat(text(body)).containsExactly(
                "TYPE h histogram",
                "{__name__=\"h_bucket\", le=\"1.0\"} 1.0",
                "{__name__=\"h_bucket\", le=\"1e-05\"} 1.0",
                "{__name__=\"h_bucket\", le=\"+Inf\"} 1.0",
                "{__name__=\"h_bucket\", le=\"x\"} 1.0",
                "TYPE s summary",
                "{__name__=\"s\", quantile=\"1.0\"} 1.0",
                "{__name__=\"s\", quantile=\"0.5\"} 1.0",
                "{__name__=\"other\", le=\"1\"} 1.0",
                "TYPE g gauge",
                "{__name__=\"g\", le=\"1\", quantile=\"1\"} 1.0");
    }

    @Test
    void seriesBytes_areNameAndLabelsAsWritten() throws Exception {
        String body = "  a{b=\"c\"} 1 2\nd {e=\"f\"}\t3\ng 4\n{\"h.i\"} 5\n";
        Parser p = new PromTextParser(bytes(body));
        List<String> series = new ArrayList<>();
        while (p.next() != null) {
            series.add(new String(p.seriesBytes(), p.seriesOffset(), p.seriesLength(), StandardCharsets.UTF_8));
        }
        assertThat(series).containsExactly("a{b=\"c\"}", "d {e=\"f\"}", "g", "{\"h.i\"}");
    }

    @Test
    void line_isTheEntrysLineNumber() throws Exception {
        Parser p = new PromTextParser(bytes("\n# c\n\n\na 1\n  \nb 2"));
        List<Integer> lines = new ArrayList<>();
        while (p.next() != null) {
            lines.add(p.line());
        }
        assertThat(lines).containsExactly(2, 5, 7);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "# TYPE a gauge\\na 1\\nsome_metric{abc=}|line 3, column 17: expected label value, got \"}\"",
        "a|line 1, column 2: expected value after metric, got end of line",
        "a{b=\"c\"}|line 1, column 9: expected value after metric, got end of line",
        "a{b=\"c\"} {d=\"e\"} 1|line 1, column 10: expected value after metric, got \"{\"",
        "{a=\"ok\"} 1|line 1, column 1: metric name missing: a series that starts with '{' must name its metric with a quoted string inside the braces",
        "a{\"x\"} 1|line 1, column 3: metric name already set, got a second one \"\\\"x\\\"\"",
        "{\"x\", \"y\"} 1|line 1, column 7: metric name already set, got a second one \"\\\"y\\\"\"",
        "a{b='c'} 1|line 1, column 5: expected label value, got \"'c'\"",
        "a{b=\"c} 1|line 1, column 5: expected label value, got an unterminated quoted string",
        "a{=\"c\"} 1|line 1, column 3: expected label name or '}', got \"=\"",
        "a{b,c=\"d\"} 1|line 1, column 4: expected '=' after label name, got \",\"",
        "a{b=\"c\",,} 1|line 1, column 9: expected label name or '}', got \",\"",
        "a true|line 1, column 3: invalid value \"true\": not a number",
        "a 1 2 3|line 1, column 7: expected end of line after timestamp, got \"3\"",
        "a 1{|line 1, column 4: expected timestamp or end of line after value, got \"{\"",
        "# TYPE a foo|line 1, column 10: invalid metric type \"foo\", expected counter, gauge, histogram, summary or untyped",
        "# TYPE a|line 1, column 9: invalid metric type \"\", expected counter, gauge, histogram, summary or untyped",
        "# HELP 0a x|line 1, column 8: expected metric name after HELP, got \"0a\"",
        "'# HELP '|line 1, column 8: expected metric name after HELP, got end of line",
        "0a 1|line 1, column 1: expected a metric name, '{' or '#' at the start of the line, got \"0a\"",
        "a{\"\"=\"x\"} 1|line 1, column 3: empty label name",
        "{\"\"} 1|line 1, column 2: empty metric name",
        "a 1\\nb 2\\n\\n  c{d=\"e\" 3|line 4, column 11: expected label name or '}', got \"3\"",
    })
    void next_malformed_reportsLineColumnAndExpectation(String input, String message) {
        String body = input.replace("\\n", "\n");
        if (message == null) {
            assertThat(error(new PromTextParser(bytes(body)))).isNotEqualTo("parsed");
            return;
        }
        assertThat(error(new PromTextParser(bytes(body)))).isEqualTo(message);
    }

    @Test
    void next_invalidUtf8_isRefusedWhereItMatters() throws Exception {
        byte[] badValue = {'a', '{', 'b', '=', '"', (byte) 0xFF, '"', '}', ' ', '1', '\n'};
        assertThat(error(new PromTextParser(badValue)))
                .isEqualTo("line 1, column 6: invalid UTF-8 in label value \"\\\"\\xff\\\"\"");
        byte[] badHelp = {'#', ' ', 'H', 'E', 'L', 'P', ' ', 'a', ' ', (byte) 0xC3, '\n'};
        assertThat(error(new PromTextParser(badHelp))).isEqualTo("line 1, column 10: help text is not valid UTF-8");
        byte[] badName = {'{', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}', ' ', '1', '\n'};
        assertThat(error(new PromTextParser(badName))).isEqualTo("line 1, column 2: metric name is not valid UTF-8");
        byte[] badComment = {'#', ' ', (byte) 0xFF, '\n', 'a', ' ', '1', '\n'};
        assertThat(text(new String(badComment, StandardCharsets.ISO_8859_1)).size()).isEqualTo(2);
    }

    @Test
    void next_afterAnError_throwsTheSameException() {
        Parser p = new PromTextParser(bytes("a 1\nb x\nc 3\n"));
        ParseException first = null;
        try {
            while (p.next() != null) {
                // to the error
            }
        } catch (ParseException e) {
            first = e;
        }
        assertThat(first).isNotNull();
        final ParseException expected = first;
        assertThatThrownBy(p::next).isSameAs(expected);
        assertThat(expected.line()).isEqualTo(2);
        assertThat(expected.column()).isEqualTo(3);
    }

    @Test
    void next_emptyAndUnterminatedInputs() throws Exception {
        assertThat(text("")).isEmpty();
        assertThat(text("\n\n")).isEmpty();
        assertThat(text("a 1")).containsExactly("{__name__=\"a\"} 1.0");
        assertThat(text("# TYPE a gauge")).containsExactly("TYPE a gauge");
    }

    @Test
    void constructor_slice_parsesOnlyTheSlice() throws Exception {
        byte[] buf = bytes("junk{{{\na 1\nb 2\nmore junk");
        Parser p = new PromTextParser(buf, 8, 8);
        assertThat(ParserTestSupport.render(p)).containsExactly("{__name__=\"a\"} 1.0", "{__name__=\"b\"} 2.0");
        Parser q = new PromTextParser(buf, 8, 7); // "a 1\nb 2" without its line feed
        assertThat(ParserTestSupport.render(q)).containsExactly("{__name__=\"a\"} 1.0", "{__name__=\"b\"} 2.0");
        assertThat(p.line()).isEqualTo(2);
    }

    @Test
    void next_textFormatHasNoExemplarsOrCreatedTimestamps() throws Exception {
        Parser p = new PromTextParser(bytes("a_total 1\n"));
        p.next();
        assertThat(p.exemplar(new Exemplar())).isFalse();
        assertThat(p.hasCreatedTimestamp()).isFalse();
    }

    @Test
    void labels_onNonSeriesEntry_isAProgrammingError() throws Exception {
        Parser p = new PromTextParser(bytes("# HELP a b\n"));
        p.next();
        assertThatThrownBy(() -> p.labels(new LabelsBuilder())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void next_ordinaryLines_allocateNothing() throws Exception {
        StringBuilder sb = new StringBuilder("# HELP http_requests_total Requests.\n# TYPE http_requests_total counter\n");
        for (int i = 0; i < 20_000; i++) {
            sb.append("http_requests_total{method=\"get\",code=\"").append(200 + i % 5).append("\",path=\"/api/v").append(i)
                    .append("\"} ").append(i * 7).append(i % 3 == 0 ? ".25" : "").append(i % 2 == 0 ? " 1700000000000" : "").append('\n');
        }
        byte[] body = bytes(sb.toString());
        Assumptions.assumeTrue(ParserTestSupport.allocatedBytes() >= 0, "thread allocation counting unsupported");
        for (int warm = 0; warm < 3; warm++) {
            drain(new PromTextParser(body));
        }
        Parser p = new PromTextParser(body);
        long before = ParserTestSupport.allocatedBytes();
        int n = drain(p);
        long allocated = ParserTestSupport.allocatedBytes() - before;
        assertThat(n).isEqualTo(20_002);
        assertThat(allocated).as("bytes allocated for %d samples", n).isLessThan(4096);
    }

    private static int drain(Parser p) throws ParseException {
        int n = 0;
        double sum = 0;
        while (p.next() != null) {
            n++;
            sum += p.seriesLength();
        }
        return sum >= 0 ? n : -1;
    }
}
