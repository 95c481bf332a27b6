package io.specula.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.histogram.CounterResetHint;
import io.specula.model.histogram.FloatHistogram;
import org.junit.jupiter.api.Test;

class HistogramNotationTest {
    @Test
    void parse_allFields() throws ParseException {
        FloatHistogram h = HistogramNotation.parse("{{schema:1 count:9 sum:-3.5 z_bucket:1 z_bucket_w:0.001 offset:-2 buckets:[1 2 3] n_offset:1 n_buckets:[2] counter_reset_hint:gauge}}");
        assertThat(h.schema).isEqualTo(1);
        assertThat(h.count).isEqualTo(9);
        assertThat(h.sum).isEqualTo(-3.5);
        assertThat(h.zeroCount).isEqualTo(1);
        assertThat(h.zeroThreshold).isEqualTo(0.001);
        assertThat(h.positiveSpans).containsExactly(-2, 3);
        assertThat(h.positiveBuckets).containsExactly(1, 2, 3);
        assertThat(h.negativeSpans).containsExactly(1, 1);
        assertThat(h.counterResetHint).isEqualTo(CounterResetHint.GAUGE);
        h.validate();
        assertThat(HistogramNotation.parse("{{}}").count).isZero();
        assertThatThrownBy(() -> HistogramNotation.parse("{{colour:3}}")).hasMessageContaining("unknown histogram field \"colour\"");
    }

    @Test
    void format_isPrometheusTestExpression() throws ParseException {
        String s = "{{schema:-53 count:4 sum:10 custom_values:[5 10] buckets:[1 3]}}";
        assertThat(HistogramNotation.format(HistogramNotation.parse(s))).isEqualTo(s);
        assertThat(HistogramNotation.format(HistogramNotation.parse("{{count:3 sum:0 offset:1 buckets:[1 0 2] counter_reset_hint:reset}}")))
                .isEqualTo("{{count:3 counter_reset_hint:reset offset:1 buckets:[1 0 2]}}");
    }

    @Test
    void seriesSequence_incrementsHistograms() throws ParseException {
        SeriesDescription d = SeriesDescription.parse("m {{count:1 sum:2 buckets:[1]}}+{{count:2 sum:1 buckets:[2]}}x2 _ {{sum:1}}x1");
        assertThat(d.size()).isEqualTo(6);
        assertThat(d.histogram(2).count).isEqualTo(5);
        assertThat(d.histogram(2).positiveBuckets).containsExactly(5);
        assertThat(d.kind(3)).isEqualTo(SeriesDescription.Kind.OMITTED);
        assertThat(d.histogram(5).sum).isEqualTo(1);
    }
}
