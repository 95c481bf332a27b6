package io.specula.model.lint;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.model.textparse.MetricType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected texts are what promtool 2.42's {@code check metrics} prints for the same input. */
class LinterTest {

    private static MetricFamily family(String name, MetricType type, String help, MetricFamily.Sample... samples) {
        return new MetricFamily(name, type, help, null, List.of(samples));
    }

    private static MetricFamily.Sample s(String name, String... labels) {
        return new MetricFamily.Sample(name, Labels.of(labels), 1);
    }

    private static List<String> lint(MetricFamily... families) {
        List<String> out = new ArrayList<>();
        for (LintProblem p : Linter.lint(List.of(families))) {
            out.add(p.toString());
        }
        return out;
    }

    @Test
    void lint_cleanFamiliesHaveNoProblems() {
        assertThat(lint(
                family("http_requests_total", MetricType.COUNTER, "Requests.", s("http_requests_total", "code", "200")),
                family("temperature_celsius", MetricType.GAUGE, "", s("temperature_celsius")),
                family("rpc_duration_seconds", MetricType.HISTOGRAM, "Latency.",
                        s("rpc_duration_seconds_bucket", "le", "1"), s("rpc_duration_seconds_sum"),
                        s("rpc_duration_seconds_count")),
                family("rpc_size_bytes", MetricType.SUMMARY, "Sizes.",
                        s("rpc_size_bytes", "quantile", "0.5"), s("rpc_size_bytes_count")),
                family("up", MetricType.UNKNOWN, "Up.", s("up"))))
                .isEmpty();
    }

    @Test
    void lint_missingHelp() {
        assertThat(lint(family("up", MetricType.GAUGE, null, s("up")))).containsExactly("up no help text");
    }

    @Test
    void lint_familyWithoutSamplesIsSkipped() {
        assertThat(lint(family("fooBar_ms", MetricType.COUNTER, null))).isEmpty();
    }

    @Test
    void lint_counterWithoutTotal() {
        assertThat(lint(family("requests", MetricType.COUNTER, "h", s("requests"))))
                .containsExactly("requests counter metrics should have \"_total\" suffix");
    }

    @Test
    void lint_nonCounterWithTotal_butUntypedIsExempt() {
        assertThat(lint(
                family("queue_total", MetricType.GAUGE, "h", s("queue_total")),
                family("jobs_total", MetricType.UNKNOWN, "h", s("jobs_total"))))
                .containsExactly("queue_total non-counter metrics should not have \"_total\" suffix");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            request_duration_milliseconds | seconds | milliseconds
            cache_kilobytes               | bytes   | kilobytes
            uptime_hours                  | seconds | hours
            link_bits_total               | bytes   | bits
            distance_miles                | meters  | miles
            energy_calories               | joules  | calories
            mass_pounds                   | grams   | pounds
            temp_fahrenheit               | celsius | fahrenheit
            color_kelvins                 | kelvin  | kelvins
            disk_gibibytes                | bytes   | gibibytes
            wait_microseconds_total       | seconds | microseconds
            """)
    void lint_nonBaseUnit(String name, String base, String unit) {
        MetricType type = name.endsWith("_total") ? MetricType.COUNTER : MetricType.GAUGE;
        assertThat(lint(family(name, type, "h", s(name))))
                .containsExactly(name + " use base unit \"" + base + "\" instead of \"" + unit + "\"");
    }

    @Test
    void lint_baseUnitsAndLookalikesAreFine() {
        assertThat(lint(
                family("thermometers_count_value", MetricType.GAUGE, "h", s("thermometers_count_value")),
                family("size_bytes", MetricType.GAUGE, "h", s("size_bytes")),
                family("Milliseconds_x", MetricType.GAUGE, "h", s("Milliseconds_x"))))
                .isEmpty();
    }

    @Test
    void lint_histogramAndSummaryReservedSuffixesAndLabels() {
        assertThat(lint(
                family("x_count", MetricType.GAUGE, "h", s("x_count", "le", "1", "quantile", "2")),
                family("y_bucket", MetricType.SUMMARY, "h", s("y_bucket", "quantile", "0.5")),
                family("z_sum", MetricType.COUNTER, "h", s("z_sum")),
                family("u_bucket", MetricType.UNKNOWN, "h", s("u_bucket", "le", "1"))))
                .containsExactly(
                        "x_count non-histogram and non-summary metrics should not have \"_count\" suffix",
                        "x_count non-histogram metrics should not have \"le\" label",
                        "x_count non-summary metrics should not have \"quantile\" label",
                        "y_bucket non-histogram metrics should not have \"_bucket\" suffix",
                        "z_sum counter metrics should have \"_total\" suffix",
                        "z_sum non-histogram and non-summary metrics should not have \"_sum\" suffix");
    }

    @Test
    void lint_quantileOnHistogramIsReportedOncePerMetric() {
        assertThat(lint(family("h", MetricType.HISTOGRAM, "h",
                s("h_bucket", "le", "1", "quantile", "x"), s("h_bucket", "le", "+Inf", "quantile", "x"),
                s("h_sum", "quantile", "x"), s("h_count", "quantile", "x"))))
                .containsExactly("h non-summary metrics should not have \"quantile\" label");
    }

    @Test
    void lint_typeWordsInName() {
        assertThat(lint(family("bar_gauge_histogram", MetricType.COUNTER, null, s("bar_gauge_histogram"))))
                .containsExactly(
                        "bar_gauge_histogram counter metrics should have \"_total\" suffix",
                        "bar_gauge_histogram metric name should not include type 'gauge'",
                        "bar_gauge_histogram metric name should not include type 'gauge_histogram'",
                        "bar_gauge_histogram metric name should not include type 'histogram'",
                        "bar_gauge_histogram no help text");
        assertThat(lint(family("my_Counter_x", MetricType.UNKNOWN, "h", s("my_Counter_x"))))
                .containsExactly("my_Counter_x metric name should not include type 'counter'");
    }

    @Test
    void lint_colonInName() {
        assertThat(lint(family("job:rate5m", MetricType.GAUGE, "h", s("job:rate5m"))))
                .containsExactly("job:rate5m metric names should not contain ':'");
    }

    @Test
    void lint_camelCaseLabelReportedPerSampleOfAGauge() {
        assertThat(lint(family("fooBar", MetricType.GAUGE, "h",
                s("fooBar", "someLabel", "1"), s("fooBar", "someLabel", "2"), s("fooBar", "someLabel", "2"))))
                .containsExactly(
                        "fooBar label names should be written in 'snake_case' not 'camelCase'",
                        "fooBar label names should be written in 'snake_case' not 'camelCase'",
                        "fooBar label names should be written in 'snake_case' not 'camelCase'",
                        "fooBar metric names should be written in 'snake_case' not 'camelCase'");
    }

    @Test
    void lint_camelCaseLabelReportedPerHistogramMetric() {
        assertThat(lint(family("h", MetricType.HISTOGRAM, "h",
                s("h_bucket", "le", "1", "podName", "a"), s("h_bucket", "le", "+Inf", "podName", "a"),
                s("h_sum", "podName", "a"), s("h_count", "podName", "a"),
                s("h_count", "podName", "b"))))
                .containsExactly(
                        "h label names should be written in 'snake_case' not 'camelCase'",
                        "h label names should be written in 'snake_case' not 'camelCase'");
    }

    @Test
    void lint_abbreviatedUnitsReportedPerAbbreviation() {
        assertThat(lint(family("http_requests_ms_s", MetricType.UNKNOWN, null, s("http_requests_ms_s"))))
                .containsExactly(
                        "http_requests_ms_s metric names should not contain abbreviated units",
                        "http_requests_ms_s metric names should not contain abbreviated units",
                        "http_requests_ms_s no help text");
        assertThat(lint(family("disk_GB_free", MetricType.GAUGE, "h", s("disk_GB_free"))))
                .containsExactly("disk_GB_free metric names should not contain abbreviated units");
    }

    @Test
    void lint_sortsByMetricThenText() {
        assertThat(lint(
                family("b", MetricType.GAUGE, null, s("b")),
                family("a_total", MetricType.GAUGE, null, s("a_total"))))
                .containsExactly(
                        "a_total no help text",
                        "a_total non-counter metrics should not have \"_total\" suffix",
                        "b no help text");
    }

    @Test
    void compareUtf8_ordersByCodePointLikeGoBytes() {
        // U+FF21 sorts before U+1F600 in UTF-8 (and code points), after it in UTF-16 units.
        assertThat(LintProblem.compareUtf8("\uFF21", "\uD83D\uDE00")).isNegative();
        assertThat(LintProblem.compareUtf8("a", "ab")).isNegative();
        assertThat(LintProblem.compareUtf8("b", "ab")).isPositive();
    }
}
