package io.specula.model.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.exposition.ExpositionFormat;
import io.specula.model.labels.Labels;
import io.specula.model.textparse.MetricType;
import io.specula.model.textparse.ParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

class FamilyCollectorTest {

    private static List<MetricFamily> text(ScriptedParser p) throws ParseException {
        return FamilyCollector.collect(p, ExpositionFormat.PROMETHEUS_TEXT);
    }

    private static List<MetricFamily> om(ScriptedParser p) throws ParseException {
        return FamilyCollector.collect(p, ExpositionFormat.OPENMETRICS_TEXT);
    }

    private static List<String> names(List<MetricFamily> fs) {
        return fs.stream().map(f -> f.name() + ":" + f.type() + ":" + f.samples().size()).toList();
    }

    @Test
    void collect_text_groupsHistogramAndSummarySuffixesOnlyUnderTheirType() throws ParseException {
        List<MetricFamily> fs = text(new ScriptedParser()
                .help("h", "Latency.").type("h", MetricType.HISTOGRAM)
                .series("h_bucket", 1, "le", "1").series("h_bucket", 2, "le", "+Inf")
                .series("h_sum", 3).series("h_count", 2)
                .type("s", MetricType.SUMMARY)
                .series("s", 1, "quantile", "0.5").series("s_sum", 1).series("s_count", 1)
                .series("s_bucket", 1)
                .type("g", MetricType.GAUGE)
                .series("g_count", 1).series("g", 2));
        assertThat(names(fs)).containsExactly(
                "h:HISTOGRAM:4", "s:SUMMARY:3", "s_bucket:UNKNOWN:1", "g:GAUGE:1", "g_count:UNKNOWN:1");
        MetricFamily h = fs.getFirst();
        assertThat(h.help()).isEqualTo("Latency.");
        assertThat(h.samples().getFirst()).isEqualTo(new MetricFamily.Sample("h_bucket", Labels.of("le", "1"), 1));
    }

    @Test
    void collect_text_counterTotalIsNotASuffix() throws ParseException {
        List<MetricFamily> fs = text(new ScriptedParser()
                .type("requests", MetricType.COUNTER).series("requests_total", 1));
        assertThat(names(fs)).containsExactly("requests_total:UNKNOWN:1");
    }

    @Test
    void collect_text_nonAdjacentLinesJoinTheirFamily() throws ParseException {
        List<MetricFamily> fs = text(new ScriptedParser()
                .series("a", 1).series("b", 1).help("a", "late help").series("a", 2, "x", "y"));
        assertThat(names(fs)).containsExactly("a:UNKNOWN:2", "b:UNKNOWN:1");
        assertThat(fs.getFirst().help()).isEqualTo("late help");
    }

    @Test
    void collect_text_dropsFamiliesWithoutSamples() throws ParseException {
        List<MetricFamily> fs = text(new ScriptedParser()
                .help("meta_only", "x").type("meta_only", MetricType.GAUGE).comment("hello").series("up", 1));
        assertThat(names(fs)).containsExactly("up:UNKNOWN:1");
    }

    @Test
    void collect_text_secondHelpIsAnError() {
        assertThatThrownBy(() -> text(new ScriptedParser().help("a", "x").help("a", "y")))
                .isInstanceOf(ParseException.class)
                .hasMessage("line 2, column 1: second HELP line for metric name \"a\"");
    }

    @Test
    void collect_text_typeAfterSamplesIsAnError() {
        assertThatThrownBy(() -> text(new ScriptedParser().series("a", 1).type("a", MetricType.GAUGE)))
                .isInstanceOf(ParseException.class)
                .hasMessage("line 2, column 1: second TYPE line for metric name \"a\", or TYPE reported after samples");
    }

    @Test
    void collect_text_typeForSuffixOfHistogramHitsTheHistogram() {
        assertThatThrownBy(() -> text(new ScriptedParser()
                .type("h", MetricType.HISTOGRAM).type("h_count", MetricType.GAUGE)))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("second TYPE line for metric name \"h\"");
    }

    @Test
    void collect_openMetrics_namesCountersAndInfosAsTheDataModelDoes() throws ParseException {
        List<MetricFamily> fs = om(new ScriptedParser()
                .type("requests", MetricType.COUNTER).unit("requests", "")
                .help("requests", "Requests.")
                .series("requests_total", 5).series("requests_created", 1.6e9)
                .type("build", MetricType.INFO).series("build_info", 1, "version", "1")
                .type("q", MetricType.GAUGE_HISTOGRAM)
                .series("q_bucket", 1, "le", "+Inf").series("q_gcount", 1).series("q_gsum", 1)
                .type("lat_seconds", MetricType.HISTOGRAM).unit("lat_seconds", "seconds")
                .series("lat_seconds_bucket", 1, "le", "+Inf").series("lat_seconds_count", 1)
                .series("lat_seconds_sum", 1).series("lat_seconds_created", 1)
                .series("stray_total", 1));
        assertThat(names(fs)).containsExactly(
                "requests_total:COUNTER:1", "build_info:INFO:1", "q:GAUGE_HISTOGRAM:3",
                "lat_seconds:HISTOGRAM:3", "stray_total:UNKNOWN:1");
        assertThat(fs.getFirst().help()).isEqualTo("Requests.");
        assertThat(fs.get(3).unit()).isEqualTo("seconds");
    }
}
