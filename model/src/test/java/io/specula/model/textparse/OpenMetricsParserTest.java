package io.specula.model.textparse;

import static io.specula.model.textparse.ParserTestSupport.bytes;
import static io.specula.model.textparse.ParserTestSupport.error;
import static io.specula.model.textparse.ParserTestSupport.om;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenMetricsParserTest {

    @Test
    void next_everyEntryKind_withUnescapedHelpAndExemplar() throws Exception {
        String body = """
                # TYPE req_seconds counter
                # UNIT req_seconds seconds
                # HELP req_seconds Time \\"spent\\" serving\\nrequests \\\\ \\z.
                req_seconds_total{path="/"} 12.5 1700000000.5 # {trace_id="abc"} 0.25 1700000000.25
                req_seconds_created{path="/"} 1699999000.5 1700000000.5
                # EOF
                """;
        assertThat(om(body)).containsExactly(
                "TYPE req_seconds counter",
                "UNIT req_seconds seconds",
                "HELP req_seconds Time \"spent\" serving\nrequests \\ \\z.",
                "{__name__=\"req_seconds_total\", path=\"/\"} 12.5 @1700000000500 ct=1699999000500"
                        + " # {trace_id=\"abc\"} 0.25 @1700000000250",
                "{__name__=\"req_seconds_created\", path=\"/\"} 1.6999990005E9 @1700000000500");
    }

    @Test
    void allowInterleavedLabelSets_acceptsWhatTheSpecForbids() throws Exception {
        byte[] body = bytes("# TYPE a gauge\na{x=\"1\"} 1 1\na{x=\"2\"} 1 1\na{x=\"1\"} 2 2\n# EOF\n");
        assertThatThrownBy(() -> drain(new OpenMetricsParser(body))).hasMessageContaining("are not contiguous");
        assertThat(drain(new OpenMetricsParser(body).allowInterleavedLabelSets())).as("TYPE and three samples").isEqualTo(4);
    }

    @Test
    void next_emptyHelpAndUnit_areEntriesWithEmptyText() throws Exception {
        assertThat(om("# HELP a \n# UNIT a \n# EOF\n")).containsExactly("HELP a ", "UNIT a ");
    }

    @Test
    void next_timestamps_areSecondsTruncatedToMilliseconds() throws Exception {
        String body = """
                a{i="1"} 1 0
                a{i="2"} 1 1.5
                a{i="3"} 1 1.1
                a{i="4"} 1 1.005
                a{i="5"} 1 -1.5
                a{i="6"} 1 1.5e3
                a{i="7"} 1 0.0000000001
                # EOF
                """;
        List<Long> ts = new ArrayList<>();
        Parser p = new OpenMetricsParser(bytes(body));
        while (p.next() != null) {
            assertThat(p.hasTimestamp()).isTrue();
            ts.add(p.timestamp());
        }
        // As Prometheus: int64(seconds * 1000), truncating toward zero after the float multiply.
        assertThat(ts).containsExactly(0L, 1500L, 1100L, 1004L, -1500L, 1_500_000L, 0L);
    }

    @Test
    void next_valuesAndLabelEscapes() throws Exception {
        String body = "a{b=\"x\\\\y\\\"z\\n\\q\"} +Inf\na{b=\"2\"} -inf\na{b=\"3\"} 1e-3\n# EOF";
        assertThat(om(body)).containsExactly(
                "{__name__=\"a\", b=\"x\\\\y\\\"z\\n\\\\q\"} Infinity",
                "{__name__=\"a\", b=\"2\"} -Infinity",
                "{__name__=\"a\", b=\"3\"} 0.001");
        Parser p = new OpenMetricsParser(bytes("a NaN\n# EOF\n"));
        p.next();
        assertThat(Double.doubleToRawLongBits(p.value())).isEqualTo(0x7ff8000000000001L);
    }

    @Test
    void next_quotedUtf8Names_areAccepted() throws Exception {
        String body = """
                # TYPE "my.counter" counter
                # HELP "my.counter" Dots in the name.
                {"my.counter_total","a.b"="c",d="e"} 1 # {"trace.id"="x"} 1
                {"my.counter_created","a.b"="c",d="e"} 10
                # EOF
                """;
        assertThat(om(body)).containsExactly(
                "TYPE my.counter counter",
                "HELP my.counter Dots in the name.",
                "{__name__=\"my.counter_total\", \"a.b\"=\"c\", d=\"e\"} 1.0 ct=10000 # {\"trace.id\"=\"x\"} 1.0",
                "{__name__=\"my.counter_created\", \"a.b\"=\"c\", d=\"e\"} 10.0");
    }

    @Test
    void createdTimestamp_counter_fromTheCreatedLineOfTheSameLabelSet() throws Exception {
        String body = """
                # TYPE c counter
                c_total{a="1"} 5
                c_created{a="1"} 100.25
                c_created{a="2"} 200
                c_total{a="2"} 6
                c_total{a="3"} 7
                c_total{a="4"} 8
                c_created{a="4"} NaN
                # TYPE g gauge
                g 1
                # EOF
                """;
        assertThat(om(body)).containsExactly(
                "TYPE c counter",
                "{__name__=\"c_total\", a=\"1\"} 5.0 ct=100250",
                "{__name__=\"c_created\", a=\"1\"} 100.25",
                "{__name__=\"c_created\", a=\"2\"} 200.0",
                "{__name__=\"c_total\", a=\"2\"} 6.0 ct=200000",
                "{__name__=\"c_total\", a=\"3\"} 7.0",
                "{__name__=\"c_total\", a=\"4\"} 8.0",
                "{__name__=\"c_created\", a=\"4\"} NaN",
                "TYPE g gauge",
                "{__name__=\"g\"} 1.0");
    }

    @Test
    void createdTimestamp_histogramAndSummary_applyToTheWholeLabelSet() throws Exception {
        String body = """
                # TYPE h histogram
                h_bucket{x="1",le="1"} 0
                h_bucket{x="1",le="+Inf"} 2
                h_count{x="1"} 2
                h_sum{x="1"} 3
                h_created{x="1"} 1.5
                h_bucket{x="2",le="+Inf"} 0
                # TYPE s summary
                s{quantile="0.5"} 1
                s_sum 2
                s_count 3
                s_created 4
                # TYPE gh gaugehistogram
                gh_bucket{le="+Inf"} 1
                gh_gcount 1
                gh_gsum 1
                # EOF
                """;
        List<String> got = om(body);
        assertThat(got).containsExactly(
                "TYPE h histogram",
                "{__name__=\"h_bucket\", le=\"1.0\", x=\"1\"} 0.0 ct=1500",
                "{__name__=\"h_bucket\", le=\"+Inf\", x=\"1\"} 2.0 ct=1500",
                "{__name__=\"h_count\", x=\"1\"} 2.0 ct=1500",
                "{__name__=\"h_sum\", x=\"1\"} 3.0 ct=1500",
                "{__name__=\"h_created\", x=\"1\"} 1.5",
                "{__name__=\"h_bucket\", le=\"+Inf\", x=\"2\"} 0.0",
                "TYPE s summary",
                "{__name__=\"s\", quantile=\"0.5\"} 1.0 ct=4000",
                "{__name__=\"s_sum\"} 2.0 ct=4000",
                "{__name__=\"s_count\"} 3.0 ct=4000",
                "{__name__=\"s_created\"} 4.0",
                "TYPE gh gaugehistogram",
                "{__name__=\"gh_bucket\", le=\"+Inf\"} 1.0",
                "{__name__=\"gh_gcount\"} 1.0",
                "{__name__=\"gh_gsum\"} 1.0");
    }

    @Test
    void createdTimestamp_withoutAsking_costsNoLookahead() throws Exception {
        // Parsing alone must not depend on the lookahead: a bad line after the label set is reported
        // by next() where it is, not earlier.
        Parser p = new OpenMetricsParser(bytes("# TYPE c counter\nc_total 1\nc_created x\n# EOF\n"));
        assertThat(p.next()).isEqualTo(Entry.TYPE);
        assertThat(p.next()).isEqualTo(Entry.SERIES);
        assertThat(p.hasCreatedTimestamp()).isFalse(); // the lookahead stops quietly at the bad line
        assertThatThrownBy(p::next).isInstanceOf(ParseException.class)
                .hasMessage("line 3, column 11: invalid value \"x\": not a number");
    }

    @Test
    void exemplar_histogramBucket_withAndWithoutTimestamp() throws Exception {
        String body = """
                # TYPE h histogram
                h_bucket{le="0.5"} 1 # {trace_id="a",span_id="b"} 0.3
                h_bucket{le="+Inf"} 2 # {} 7 123.456
                # EOF
                """;
        Parser p = new OpenMetricsParser(bytes(body));
        Exemplar e = new Exemplar();
        p.next();
        p.next();
        assertThat(p.exemplar(e)).isTrue();
        assertThat(e.labels).isEqualTo(Labels.of("trace_id", "a", "span_id", "b"));
        assertThat(e.value).isEqualTo(0.3);
        assertThat(e.hasTimestamp).isFalse();
        p.next();
        assertThat(p.exemplar(e)).isTrue();
        assertThat(e.labels).isEqualTo(Labels.EMPTY);
        assertThat(e.value).isEqualTo(7);
        assertThat(e.hasTimestamp).isTrue();
        assertThat(e.timestamp).isEqualTo(123456);
        assertThat(p.next()).isNull();
        assertThat(p.next()).isNull();
    }

    @Test
    void labels_leAndQuantile_normalizedForHistogramAndSummaryOnly() throws Exception {
        String body = """
                # TYPE h histogram
                h_bucket{le="1"} 0
                h_bucket{le="1e+05"} 0
                h_bucket{le="+Inf"} 0
                # TYPE s summary
                s{quantile="1"} 0
                # TYPE g gaugehistogram
                g_bucket{le="1"} 0
                g_bucket{le="+Inf"} 0
                # EOF
                """;
        List<String> les = new ArrayList<>();
        Parser p = new OpenMetricsParser(bytes(body));
        LabelsBuilder lb = new LabelsBuilder();
        for (Entry e; (e = p.next()) != null; ) {
            if (e == Entry.SERIES) {
                p.labels(lb);
                Labels l = lb.build();
                les.add(l.has("le") ? l.get("le") : l.get("quantile"));
            }
        }
        assertThat(les).containsExactly("1.0", "100000.0", "+Inf", "1.0", "1", "+Inf");
    }

    @Test
    void seriesBytes_areNameAndLabelsAsWritten() throws Exception {
        Parser p = new OpenMetricsParser(bytes("a{b=\"c\"} 1 2\nd 3\n{\"e.f\",g=\"h\"} 4\n# EOF\n"));
        List<String> series = new ArrayList<>();
        while (p.next() != null) {
            series.add(new String(p.seriesBytes(), p.seriesOffset(), p.seriesLength(), StandardCharsets.UTF_8));
        }
        assertThat(series).containsExactly("a{b=\"c\"}", "d", "{\"e.f\",g=\"h\"}");
    }

    @Test
    void next_eofHandling() throws Exception {
        assertThat(om("# EOF")).isEmpty();
        assertThat(om("a 1\n# EOF")).containsExactly("{__name__=\"a\"} 1.0");
        assertThat(error(new OpenMetricsParser(bytes(""))))
                .isEqualTo("line 1, column 1: unexpected end of input, expected \"# EOF\" as the last line");
        assertThat(error(new OpenMetricsParser(bytes("a 1\n"))))
                .isEqualTo("line 2, column 1: unexpected end of input, expected \"# EOF\" as the last line");
        assertThat(error(new OpenMetricsParser(bytes("a 1"))))
                .isEqualTo("line 2, column 1: unexpected end of input, expected \"# EOF\" as the last line");
        assertThat(error(new OpenMetricsParser(bytes("# EOF\n\n")))).isEqualTo("line 2, column 1: unexpected content after \"# EOF\"");
        assertThat(error(new OpenMetricsParser(bytes("# EOF\n# EOF\n")))).isEqualTo("line 2, column 1: unexpected content after \"# EOF\"");
        assertThat(error(new OpenMetricsParser(bytes("# EOF \n")))).isEqualTo("line 1, column 6: expected end of line after \"# EOF\", got \" \"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a 1\\n# comment\\n# EOF|line 2, column 3: expected TYPE, HELP, UNIT or EOF after \"# \", got \"comment\"",
        "a 1\\nb 1\\na 2\\n# EOF|line 3, column 1: metric family \"a\" appears again: the lines of a family must be contiguous and a family must not be repeated",
        "# TYPE a counter\\na 1\\n# EOF|line 2, column 1: sample \"a\" is not valid in counter family \"a\", expected \"a_total\" or \"a_created\"",
        "# TYPE a gauge\\na{x=\"1\"} 1\\na{x=\"2\"} 1\\na{x=\"1\"} 1\\n# EOF|line 4, column 1: samples of label set {x=\"1\"} of \"a\" are not contiguous: they are interleaved with other label sets",
        "# TYPE a counter\\n# TYPE a_total gauge\\n# EOF|line 2, column 1: metric name \"a_total\" clashes with the earlier family \"a\"",
        "# TYPE h histogram\\nh_bucket{le=\"1\"} 1\\nh_bucket{le=\"+Inf\"} 2\\nh_count 3\\nh_sum 1\\n# EOF|line 4, column 9: _count 3 does not match the +Inf bucket 2",
        "# TYPE h histogram\\nh_bucket{le=\"1\"} 1\\n# EOF|line 2, column 1: histogram \"h\" has no le=\"+Inf\" bucket for this label set",
        "a{b=\"c\" } 1\\n# EOF|line 1, column 8: expected ',' or '}' after label value, got \" \"",
        "a{b=\"c\",b=\"d\"} 1\\n# EOF|line 1, column 9: duplicate label name \"b\"",
        "a 1 # {b=\"c\"} 1\\n# EOF|line 1, column 5: exemplars are only allowed on counter _total and histogram _bucket samples",
        "a 1\\r\\n# EOF|line 1, column 3: invalid value \"1\\r\": not a number",
        "{\"a\",\"b\"} 1\\n# EOF|line 1, column 6: metric name already set, got a second one \"\\\"b\\\"\"",
        "{a=\"b\"} 1\\n# EOF|line 1, column 1: metric name missing: a sample that starts with '{' must name its metric with a quoted string inside the braces",
        "a{\"\"=\"b\"} 1\\n# EOF|line 1, column 3: empty label name",
        "a 1 1 # {b=\"c\"} 1 1 1\\n# EOF|line 1, column 20: expected end of line after the exemplar timestamp, got \" \"",
        "# TYPE c counter\\nc_total{b=\"x\"} 1 # {b=\"c\",b=\"d\"} 1\\n# EOF|line 2, column 27: duplicate exemplar label name \"b\"",
    })
    void next_malformed_reportsLineColumnAndExpectation(String input, String message) {
        assertThat(error(new OpenMetricsParser(bytes(input.replace("\\n", "\n").replace("\\r", "\r"))))).isEqualTo(message);
    }

    @Test
    void next_manyLabelsInReverseOrder_areSortedAndChecked() throws Exception {
        StringBuilder sb = new StringBuilder("a{");
        for (int i = 5000; i > 0; i--) {
            sb.append("l").append(i).append("=\"v\"").append(i > 1 ? "," : "");
        }
        sb.append("} 1\n# EOF\n");
        assertThat(om(sb.toString())).hasSize(1);
        String dup = sb.toString().replace("l2500=", "l2501=");
        assertThat(error(new OpenMetricsParser(bytes(dup)))).contains("duplicate label name \"l2501\"");
    }

    @Test
    void next_afterAnError_throwsTheSameException() {
        Parser p = new OpenMetricsParser(bytes("a 1\nb x\n# EOF\n"));
        ParseException first = null;
        try {
            while (p.next() != null) {
                // to the error
            }
        } catch (ParseException e) {
            first = e;
        }
        final ParseException expected = first;
        assertThat(expected).isNotNull();
        assertThatThrownBy(p::next).isSameAs(expected);
    }

    @Test
    void constructor_slice_parsesOnlyTheSlice() throws Exception {
        byte[] buf = bytes("xx{a 1\n# EOF\nyy");
        assertThat(ParserTestSupport.render(new OpenMetricsParser(buf, 3, 10))).containsExactly("{__name__=\"a\"} 1.0");
        assertThat(ParserTestSupport.render(new OpenMetricsParser(buf, 3, 9))).containsExactly("{__name__=\"a\"} 1.0");
    }

    @Test
    void next_samplesOfOneLabelSet_allocateNothing() throws Exception {
        StringBuilder sb = new StringBuilder("# TYPE latency histogram\n# HELP latency Request latency.\n");
        for (int i = 0; i < 20_000; i++) {
            sb.append("latency_bucket{path=\"/api\",code=\"200\",le=\"").append(i).append(i % 2 == 0 ? ".5" : "")
                    .append("\"} ").append(i * 3).append('\n');
        }
        sb.append("latency_bucket{path=\"/api\",code=\"200\",le=\"+Inf\"} 60000\n");
        sb.append("latency_count{path=\"/api\",code=\"200\"} 60000\nlatency_sum{path=\"/api\",code=\"200\"} 1.5e3\n# EOF\n");
        byte[] body = bytes(sb.toString());
        Assumptions.assumeTrue(ParserTestSupport.allocatedBytes() >= 0, "thread allocation counting unsupported");
        for (int warm = 0; warm < 3; warm++) {
            drain(new OpenMetricsParser(body));
        }
        OpenMetricsParser p = new OpenMetricsParser(body);
        p.next();
        p.next();
        p.next(); // the first sample sizes the parser's buffers
        long before = ParserTestSupport.allocatedBytes();
        int n = drain(p);
        long allocated = ParserTestSupport.allocatedBytes() - before;
        assertThat(n).isEqualTo(20_002);
        assertThat(allocated).as("bytes allocated for %d samples", n).isLessThan(4096);
    }

    @Test
    void next_manyLabelSets_allocateOnlyInProportionToTheInput() throws Exception {
        StringBuilder sb = new StringBuilder("# TYPE http_requests counter\n");
        for (int i = 0; i < 20_000; i++) {
            sb.append("http_requests_total{code=\"").append(200 + i % 5).append("\",path=\"/api/v").append(i)
                    .append("\"} ").append(i * 7).append('\n');
        }
        sb.append("# EOF\n");
        byte[] body = bytes(sb.toString());
        Assumptions.assumeTrue(ParserTestSupport.allocatedBytes() >= 0, "thread allocation counting unsupported");
        drain(new OpenMetricsParser(body));
        long before = ParserTestSupport.allocatedBytes();
        int n = drain(new OpenMetricsParser(body));
        long allocated = ParserTestSupport.allocatedBytes() - before;
        assertThat(n).isEqualTo(20_001);
        // The set of label sets seen in the family grows geometrically; nothing is allocated per sample.
        assertThat(allocated).as("bytes allocated for a %d-byte body", body.length).isLessThan(2L * body.length);
    }

    private static int drain(Parser p) throws ParseException {
        int n = 0;
        while (p.next() != null) {
            n++;
        }
        return n;
    }
}
