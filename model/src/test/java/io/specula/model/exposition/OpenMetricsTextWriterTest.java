package io.specula.model.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.labels.Labels;
import io.specula.model.textparse.Exemplar;
import io.specula.model.textparse.MetricType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected bytes follow Prometheus's Go writer (expfmt's openmetrics_create.go) rule by rule. */
class OpenMetricsTextWriterTest extends ExpositionWriterContract {
    private final ExpositionBuffer buf = new ExpositionBuffer(16);
    private final ExpositionWriter w = ExpositionFormat.OPENMETRICS_TEXT.newWriter(buf);

    @Override
    ExpositionFormat format() {
        return ExpositionFormat.OPENMETRICS_TEXT;
    }

    private String out() throws IOException {
        w.finish();
        return buf.toString();
    }

    private static Exemplar exemplar(double value, Long tsMillis, String... labels) {
        Exemplar e = new Exemplar();
        e.labels = Labels.of(labels);
        e.value = value;
        if (tsMillis != null) {
            e.hasTimestamp = true;
            e.timestamp = tsMillis;
        }
        return e;
    }

    @Test
    void counter_dropsTotalFromMetadataAndWritesFloatValues() throws IOException {
        w.family("http_requests_total", MetricType.COUNTER, "Requests \"served\".", null);
        w.sample("http_requests_total", Labels.of("code", "200"), 1027);
        w.sample("http_requests_total", Labels.of("code", "500"), 0);
        w.sample("http_requests_created", Labels.of("code", "200"), 1.6e9);
        assertThat(out()).isEqualTo("""
                # HELP http_requests Requests \\"served\\".
                # TYPE http_requests counter
                http_requests_total{code="200"} 1027.0
                http_requests_total{code="500"} 0.0
                http_requests_created{code="200"} 1.6e+09
                # EOF
                """);
    }

    @Test
    void counterWithoutTotal_isDeclaredUnknown() throws IOException {
        w.family("requests", MetricType.COUNTER, null, null);
        w.sample("requests", Labels.EMPTY, 1);
        assertThat(out()).isEqualTo("# TYPE requests unknown\nrequests 1.0\n# EOF\n");
    }

    @Test
    void family_typeNames() throws IOException {
        w.family("a", MetricType.GAUGE, null, null);
        w.family("b", MetricType.UNKNOWN, null, null);
        w.family("c", null, null, null);
        w.family("d", MetricType.SUMMARY, null, null);
        w.family("e", MetricType.HISTOGRAM, null, null);
        w.family("f", MetricType.GAUGE_HISTOGRAM, null, null);
        w.family("g_info", MetricType.INFO, null, null);
        w.family("h", MetricType.STATESET, null, null);
        w.family("i", MetricType.INFO, null, null);
        assertThat(out()).isEqualTo("""
                # TYPE a gauge
                # TYPE b unknown
                # TYPE c unknown
                # TYPE d summary
                # TYPE e histogram
                # TYPE f gaugehistogram
                # TYPE g info
                # TYPE h stateset
                # TYPE i unknown
                # EOF
                """);
    }

    @Test
    void unit_writtenAfterTypeWhenNameEndsInIt() throws IOException {
        w.family("request_duration_seconds", MetricType.GAUGE, "h", "seconds");
        w.family("bytes_sent_bytes_total", MetricType.COUNTER, null, "bytes");
        w.family("plain", MetricType.GAUGE, null, "");
        assertThat(out()).isEqualTo("""
                # HELP request_duration_seconds h
                # TYPE request_duration_seconds gauge
                # UNIT request_duration_seconds seconds
                # TYPE bytes_sent_bytes counter
                # UNIT bytes_sent_bytes bytes
                # TYPE plain gauge
                # EOF
                """);
    }

    @Test
    void unit_notSuffixOfName_isRejectedBeforeWriting() {
        assertThatThrownBy(() -> w.family("latency", MetricType.GAUGE, "x", "seconds"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("_seconds");
        assertThat(buf.size()).isZero();
    }

    @Test
    void unit_onInfoOrStateset_isRejected() {
        assertThatThrownBy(() -> w.family("build_seconds_info", MetricType.INFO, null, "seconds"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no unit on info");
        assertThatThrownBy(() -> w.family("mode_seconds", MetricType.STATESET, null, "seconds"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no unit on stateset");
        assertThat(buf.size()).isZero();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0                       | 0.0
            -0.0                    | 0.0
            1                       | 1.0
            -1                      | -1.0
            42                      | 42.0
            123456                  | 123456.0
            1000000                 | 1e+06
            1e21                    | 1e+21
            1e-7                    | 1e-07
            0.25                    | 0.25
            3.14e42                 | 3.14e+42
            -1.23e-45               | -1.23e-45
            4.9E-324                | 5e-324
            1.7976931348623157E308  | 1.7976931348623157e+308
            NaN                     | NaN
            Infinity                | +Inf
            -Infinity               | -Inf
            """)
    void gauge_valueLayout(String value, String expected) throws IOException {
        w.family("v", MetricType.GAUGE, null, null);
        w.sample("v", Labels.EMPTY, Double.parseDouble(value));
        assertThat(out()).isEqualTo("# TYPE v gauge\nv " + expected + "\n# EOF\n");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0             | 0.0
            1000          | 1.0
            1500          | 1.5
            -1500         | -1.5
            1520879607789 | 1.520879607789e+09
            1700000000000 | 1.7e+09
            123           | 0.123
            1234567890    | 1.23456789e+06
            """)
    void sample_timestampIsSecondsFloat(long millis, String expected) throws IOException {
        w.sample("t", Labels.EMPTY, 1, millis);
        assertThat(out()).isEqualTo("t 1.0 " + expected + "\n# EOF\n");
    }

    @Test
    void histogram_countsAreIntegersAndBoundsFloats() throws IOException {
        w.family("rpc_seconds", MetricType.HISTOGRAM, null, "seconds");
        Labels l = Labels.of("svc", "a");
        w.sample("rpc_seconds_bucket", l, "le", 0.5, 1000000, ExpositionWriter.NO_TIMESTAMP,
                exemplar(0.42, 1520879607789L, "trace_id", "KOO5S4vxi0o"));
        w.sample("rpc_seconds_bucket", l, "le", 1, 1000001);
        w.sample("rpc_seconds_bucket", l, "le", Double.POSITIVE_INFINITY, 1000002);
        w.sample("rpc_seconds_sum", l, 17);
        w.sample("rpc_seconds_count", l, 1000002);
        w.sample("rpc_seconds_created", l, 1520430000.123);
        assertThat(out()).isEqualTo("""
                # TYPE rpc_seconds histogram
                # UNIT rpc_seconds seconds
                rpc_seconds_bucket{svc="a",le="0.5"} 1000000 # {trace_id="KOO5S4vxi0o"} 0.42 1.520879607789e+09
                rpc_seconds_bucket{svc="a",le="1.0"} 1000001
                rpc_seconds_bucket{svc="a",le="+Inf"} 1000002
                rpc_seconds_sum{svc="a"} 17.0
                rpc_seconds_count{svc="a"} 1000002
                rpc_seconds_created{svc="a"} 1.520430000123e+09
                # EOF
                """);
    }

    @Test
    void histogram_nonIntegralOrNegativeCounts_fallBackToFloats() throws IOException {
        w.family("h", MetricType.HISTOGRAM, null, null);
        w.sample("h_count", Labels.EMPTY, 2.5);
        w.sample("h_count", Labels.EMPTY, -1);
        w.sample("h_count", Labels.EMPTY, Double.NaN);
        w.sample("h_count", Labels.EMPTY, 18446744073709549568.0); // largest double below 2^64
        assertThat(out()).isEqualTo("# TYPE h histogram\nh_count 2.5\nh_count -1.0\nh_count NaN\nh_count 18446744073709549568\n# EOF\n");
    }

    @Test
    void summary_quantilesAndIntegerCount() throws IOException {
        w.family("rpc", MetricType.SUMMARY, null, null);
        w.sample("rpc", Labels.EMPTY, "quantile", 0.5, 0.05);
        w.sample("rpc", Labels.EMPTY, "quantile", 1, 1);
        w.sample("rpc_sum", Labels.EMPTY, 3);
        w.sample("rpc_count", Labels.EMPTY, 3);
        assertThat(out()).isEqualTo("""
                # TYPE rpc summary
                rpc{quantile="0.5"} 0.05
                rpc{quantile="1.0"} 1.0
                rpc_sum 3.0
                rpc_count 3
                # EOF
                """);
    }

    @Test
    void gaugeHistogram_gcountIsInteger() throws IOException {
        w.family("queue", MetricType.GAUGE_HISTOGRAM, null, null);
        w.sample("queue_bucket", Labels.EMPTY, "le", Double.POSITIVE_INFINITY, 4);
        w.sample("queue_gcount", Labels.EMPTY, 4);
        w.sample("queue_gsum", Labels.EMPTY, 4);
        assertThat(out()).isEqualTo("""
                # TYPE queue gaugehistogram
                queue_bucket{le="+Inf"} 4
                queue_gcount 4
                queue_gsum 4.0
                # EOF
                """);
    }

    @Test
    void countSuffix_onlyCountsWithinTheCurrentFamily() throws IOException {
        w.family("a", MetricType.GAUGE, null, null);
        w.sample("a_count", Labels.EMPTY, 3);
        w.family("h", MetricType.HISTOGRAM, null, null);
        w.sample("other_count", Labels.EMPTY, 3);
        assertThat(out()).isEqualTo("# TYPE a gauge\na_count 3.0\n# TYPE h histogram\nother_count 3.0\n# EOF\n");
    }

    @Test
    void infoAndStateset_samples() throws IOException {
        w.family("build_info", MetricType.INFO, "Build.", null);
        w.sample("build_info", Labels.of("version", "1.0"), 1);
        w.family("feature", MetricType.STATESET, null, null);
        w.sample("feature", Labels.of("feature", "a"), 1);
        w.sample("feature", Labels.of("feature", "b"), 0);
        assertThat(out()).isEqualTo("""
                # HELP build Build.
                # TYPE build info
                build_info{version="1.0"} 1.0
                # TYPE feature stateset
                feature{feature="a"} 1.0
                feature{feature="b"} 0.0
                # EOF
                """);
    }

    @Test
    void exemplar_withoutTimestampAndWithoutLabels() throws IOException {
        w.family("c_total", MetricType.COUNTER, null, null);
        w.sample("c_total", Labels.EMPTY, 1, ExpositionWriter.NO_TIMESTAMP, exemplar(1, null, "id", "x\"y"));
        w.sample("c_total", Labels.EMPTY, 2, 5000, exemplar(1, 1000L));
        assertThat(out()).isEqualTo("""
                # TYPE c counter
                c_total 1.0 # {id="x\\"y"} 1.0
                c_total 2.0 5.0
                # EOF
                """);
    }

    @Test
    void utf8Names_areQuoted() throws IOException {
        w.family("my.requests_total", MetricType.COUNTER, "h", null);
        w.sample("my.requests_total", Labels.of("http.method", "GET"), 1, ExpositionWriter.NO_TIMESTAMP,
                exemplar(1, null, "trace.id", "t"));
        assertThat(out()).isEqualTo("""
                # HELP "my.requests" h
                # TYPE "my.requests" counter
                {"my.requests_total","http.method"="GET"} 1.0 # {"trace.id"="t"} 1.0
                # EOF
                """);
    }

    @Test
    void help_escapesQuoteBackslashAndNewline() throws IOException {
        w.family("x", MetricType.GAUGE, "a\\b\n\"c\"", null);
        assertThat(out()).isEqualTo("# HELP x a\\\\b\\n\\\"c\\\"\n# TYPE x gauge\n# EOF\n");
    }

    @Test
    void finish_writesEofOnceAndFlushesStream() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        ExpositionWriter s = ExpositionFormat.OPENMETRICS_TEXT.newWriter(sink);
        s.sample("x", Labels.EMPTY, 1);
        assertThat(sink.size()).isZero();
        s.finish();
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("x 1.0\n# EOF\n");
        assertThatThrownBy(s::finish).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void contentType_isOpenMetrics100() {
        assertThat(w.contentType()).isEqualTo("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(ExpositionFormat.OPENMETRICS_TEXT.contentType()).isEqualTo(ExpositionFormat.OPENMETRICS_CONTENT_TYPE);
        assertThat(ExpositionFormat.OPENMETRICS_TEXT.contentTypeAllowingUtf8Names())
                .isEqualTo("application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=allow-utf-8");
    }
}
