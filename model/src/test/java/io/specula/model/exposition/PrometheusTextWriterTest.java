package io.specula.model.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.model.textparse.Exemplar;
import io.specula.model.textparse.MetricType;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected bytes follow Prometheus's Go writer (expfmt's text_create.go) rule by rule. */
class PrometheusTextWriterTest extends ExpositionWriterContract {
    private final ExpositionBuffer buf = new ExpositionBuffer(16);
    private final ExpositionWriter w = ExpositionFormat.PROMETHEUS_TEXT.newWriter(buf);

    @Override
    ExpositionFormat format() {
        return ExpositionFormat.PROMETHEUS_TEXT;
    }

    private String out() throws IOException {
        w.finish();
        return buf.toString();
    }

    @Test
    void counter_helpTypeAndSamples() throws IOException {
        w.family("http_requests_total", MetricType.COUNTER, "The total number of HTTP requests.", null);
        w.sample("http_requests_total", Labels.of("method", "post", "code", "200"), 1027, 1395066363000L);
        w.sample("http_requests_total", Labels.of("method", "post", "code", "400"), 3, 1395066363000L);
        assertThat(out()).isEqualTo("""
                # HELP http_requests_total The total number of HTTP requests.
                # TYPE http_requests_total counter
                http_requests_total{code="200",method="post"} 1027 1395066363000
                http_requests_total{code="400",method="post"} 3 1395066363000
                """);
    }

    @Test
    void family_typeNames() throws IOException {
        w.family("a", MetricType.GAUGE, null, null);
        w.family("b", MetricType.UNKNOWN, null, null);
        w.family("c", null, null, null);
        w.family("d", MetricType.SUMMARY, null, null);
        w.family("e", MetricType.HISTOGRAM, null, null);
        // Types the text format lacks map to the nearest it has.
        w.family("f", MetricType.GAUGE_HISTOGRAM, null, null);
        w.family("g_info", MetricType.INFO, null, null);
        w.family("h", MetricType.STATESET, null, null);
        assertThat(out()).isEqualTo("""
                # TYPE a gauge
                # TYPE b untyped
                # TYPE c untyped
                # TYPE d summary
                # TYPE e histogram
                # TYPE f histogram
                # TYPE g_info gauge
                # TYPE h gauge
                """);
    }

    @Test
    void help_escapesBackslashAndNewlineButNotQuote() throws IOException {
        w.family("x", MetricType.GAUGE, "a \\ b\nc \"d\" ünï", null);
        w.family("y", MetricType.GAUGE, "", null);
        assertThat(out()).isEqualTo("# HELP x a \\\\ b\\nc \"d\" ünï\n# TYPE x gauge\n# HELP y \n# TYPE y gauge\n");
    }

    @Test
    void labelValue_escapesBackslashQuoteAndNewline() throws IOException {
        w.sample("x", Labels.of("a", "\\", "b", "\"q\"", "c", "line1\nline2", "d", "tab\there", "e", "日本"), 1);
        assertThat(out()).isEqualTo("x{a=\"\\\\\",b=\"\\\"q\\\"\",c=\"line1\\nline2\",d=\"tab\there\",e=\"日本\"} 1\n");
    }

    @Test
    void sample_withoutLabelsHasNoBraces() throws IOException {
        w.sample("up", Labels.EMPTY, 1);
        w.sample("up", Labels.of("__name__", "ignored"), 0);
        assertThat(out()).isEqualTo("up 1\nup 0\n");
    }

    @Test
    void sample_nameLabelIsIgnored() throws IOException {
        w.sample("up", Labels.of("__name__", "other", "job", "node"), 1);
        assertThat(out()).isEqualTo("up{job=\"node\"} 1\n");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0                       | 0
            -0.0                    | 0
            1                       | 1
            -1                      | -1
            42                      | 42
            123456                  | 123456
            1000000                 | 1e+06
            1e21                    | 1e+21
            1e-7                    | 1e-07
            1.5e-5                  | 1.5e-05
            0.25                    | 0.25
            3.14e42                 | 3.14e+42
            -1.23e-45               | -1.23e-45
            4.9E-324                | 5e-324
            1.7976931348623157E308  | 1.7976931348623157e+308
            NaN                     | NaN
            Infinity                | +Inf
            -Infinity               | -Inf
            """)
    void sample_valueLayout(String value, String expected) throws IOException {
        w.sample("v", Labels.EMPTY, Double.parseDouble(value));
        assertThat(out()).isEqualTo("v " + expected + "\n");
    }

    @Test
    void sample_timestampIsIntegerMillis() throws IOException {
        w.sample("t", Labels.EMPTY, 1, 0);
        w.sample("t", Labels.EMPTY, 1, -1500);
        w.sample("t", Labels.EMPTY, 1, 1700000000123L);
        assertThat(out()).isEqualTo("t 1 0\nt 1 -1500\nt 1 1700000000123\n");
    }

    @Test
    void histogram_boundLabelGoesLastWithFloatLayout() throws IOException {
        w.family("rpc_duration_seconds", MetricType.HISTOGRAM, "RPC latency.", null);
        Labels l = Labels.of("service", "a", "zone", "z");
        w.sample("rpc_duration_seconds_bucket", l, "le", 0.05, 24054);
        w.sample("rpc_duration_seconds_bucket", l, "le", 1, 33444);
        w.sample("rpc_duration_seconds_bucket", l, "le", 1e6, 2000000);
        w.sample("rpc_duration_seconds_bucket", l, "le", Double.POSITIVE_INFINITY, 2000001);
        w.sample("rpc_duration_seconds_sum", l, 53423.5);
        w.sample("rpc_duration_seconds_count", l, 2000001);
        assertThat(out()).isEqualTo("""
                # HELP rpc_duration_seconds RPC latency.
                # TYPE rpc_duration_seconds histogram
                rpc_duration_seconds_bucket{service="a",zone="z",le="0.05"} 24054
                rpc_duration_seconds_bucket{service="a",zone="z",le="1"} 33444
                rpc_duration_seconds_bucket{service="a",zone="z",le="1e+06"} 2e+06
                rpc_duration_seconds_bucket{service="a",zone="z",le="+Inf"} 2.000001e+06
                rpc_duration_seconds_sum{service="a",zone="z"} 53423.5
                rpc_duration_seconds_count{service="a",zone="z"} 2.000001e+06
                """);
    }

    @Test
    void summary_quantileWithoutOtherLabels() throws IOException {
        w.family("rpc_seconds", MetricType.SUMMARY, null, null);
        w.sample("rpc_seconds", Labels.EMPTY, "quantile", 0.99, 0.000123, 10, null);
        w.sample("rpc_seconds_count", Labels.EMPTY, 7);
        assertThat(out()).isEqualTo("""
                # TYPE rpc_seconds summary
                rpc_seconds{quantile="0.99"} 0.000123 10
                rpc_seconds_count 7
                """);
    }

    @Test
    void utf8Names_areQuotedAsPrometheus3Does() throws IOException {
        w.family("my.metric", MetricType.GAUGE, "dots", null);
        w.sample("my.metric", Labels.EMPTY, 1);
        w.sample("my.metric", Labels.of("label.name", "v", "ok", "w"), 2);
        w.sample("legacy", Labels.of("café", "x"), 3);
        w.sample("quote\"back\\slash", Labels.EMPTY, 4);
        assertThat(out()).isEqualTo("""
                # HELP "my.metric" dots
                # TYPE "my.metric" gauge
                {"my.metric"} 1
                {"my.metric","label.name"="v",ok="w"} 2
                legacy{"café"="x"} 3
                {"quote\\"back\\\\slash"} 4
                """);
    }

    @Test
    void colonsInMetricNamesStayBare_butLabelNamesWithColonsAreQuoted() throws IOException {
        w.sample("job:rate5m", Labels.of("a:b", "x"), 1);
        assertThat(out()).isEqualTo("job:rate5m{\"a:b\"=\"x\"} 1\n");
    }

    @Test
    void exemplarsAndUnits_areDropped() throws IOException {
        Exemplar e = new Exemplar();
        e.labels = Labels.of("trace_id", "abc");
        e.value = 1;
        w.family("size_bytes", MetricType.GAUGE, null, "bytes");
        w.sample("size_bytes", Labels.EMPTY, 5, ExpositionWriter.NO_TIMESTAMP, e);
        assertThat(out()).isEqualTo("# TYPE size_bytes gauge\nsize_bytes 5\n");
    }



    @Test
    void contentType_isTextVersion004() {
        assertThat(w.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(ExpositionFormat.PROMETHEUS_TEXT.contentType()).isEqualTo(ExpositionFormat.TEXT_CONTENT_TYPE);
        assertThat(ExpositionFormat.PROMETHEUS_TEXT.contentTypeAllowingUtf8Names())
                .isEqualTo("text/plain; version=0.0.4; charset=utf-8; escaping=allow-utf-8");
    }



    @Test
    void unpairedSurrogate_becomesReplacementCharacter() throws IOException {
        w.sample("x", Labels.of("a", "\uD800z"), 1);
        assertThat(out()).isEqualTo("x{a=\"\uFFFDz\"} 1\n");
    }
}
