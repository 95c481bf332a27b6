package io.specula.promql.parser;

import io.specula.model.value.StaleNaN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.labels.Labels;
import org.junit.jupiter.api.Test;

class SeriesDescriptionTest {
    private static double[] values(SeriesDescription d) {
        double[] v = new double[d.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = d.value(i);
        }
        return v;
    }

    @Test
    void parse_expandsSequences() throws ParseException {
        SeriesDescription d = SeriesDescription.parse("http_requests{job=\"api\", instance=\"0\"} 0+10x5 1-2x4 1x3 -2+4x3");
        assertThat(d.labels()).isEqualTo(Labels.of("__name__", "http_requests", "job", "api", "instance", "0"));
        assertThat(values(d)).containsExactly(0, 10, 20, 30, 40, 50, 1, -1, -3, -5, -7, 1, 1, 1, 1, -2, 2, 6, 10);
    }

    @Test
    void parse_omittedStaleAndSpecialValues() throws ParseException {
        SeriesDescription d = SeriesDescription.parse("foo 1 _x3 stale _ Inf -Inf NaN 1.5e3 0755");
        assertThat(d.size()).isEqualTo(11);
        assertThat(d.kind(1)).isEqualTo(SeriesDescription.Kind.OMITTED);
        assertThat(d.kind(3)).isEqualTo(SeriesDescription.Kind.OMITTED);
        assertThat(d.kind(4)).isEqualTo(SeriesDescription.Kind.STALE);
        assertThat(Double.doubleToRawLongBits(d.value(4))).isEqualTo(StaleNaN.BITS);
        assertThat(d.kind(5)).isEqualTo(SeriesDescription.Kind.OMITTED);
        assertThat(d.value(6)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(d.value(7)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(d.value(8)).isNaN();
        assertThat(d.value(9)).isEqualTo(1500);
        assertThat(d.value(10)).isEqualTo(493);
    }

    @Test
    void parse_keepsHistogramsAsRawText() throws ParseException {
        SeriesDescription d = SeriesDescription.parse(
                "h {{schema:0 sum:5 count:4 buckets:[1 2 1]}}x2 1 {{}}+{{count:1}}x1");
        assertThat(d.size()).isEqualTo(6);
        assertThat(d.kind(0)).isEqualTo(SeriesDescription.Kind.HISTOGRAM);
        assertThat(d.histogramText(2)).isEqualTo("{{schema:0 sum:5 count:4 buckets:[1 2 1]}}x2");
        assertThat(d.kind(3)).isEqualTo(SeriesDescription.Kind.VALUE);
        assertThat(d.histogramText(5)).isEqualTo("{{}}+{{count:1}}x1");
        assertThat(d.hasHistograms()).isTrue();
    }

    @Test
    void parse_utf8NamesAndExpectedResultLines() throws ParseException {
        SeriesDescription d = SeriesDescription.parse("{\"my.metric\", \"a.b\"=\"c\"} 3");
        assertThat(d.labels()).isEqualTo(Labels.of("__name__", "my.metric", "a.b", "c"));
        assertThat(SeriesDescription.parse("{} 5").labels()).isEqualTo(Labels.EMPTY);
        assertThat(values(SeriesDescription.parseValues("1 2 _ 3"))).hasSize(4);
    }

    @Test
    void parse_startTimestampLines() throws ParseException {
        SeriesDescription d = SeriesDescription.parse("m{a=\"b\"}@st -30s _ -1m-1mx2 0");
        assertThat(d.isStartTimestamps()).isTrue();
        assertThat(values(d)).hasSize(6);
        assertThat(d.value(0)).isEqualTo(-30_000);
        assertThat(d.value(2)).isEqualTo(-60_000);
        assertThat(d.value(4)).isEqualTo(-180_000);
    }

    @Test
    void parse_rejectsMalformedItems() {
        assertThatThrownBy(() -> SeriesDescription.parse("foo 1+2")).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> SeriesDescription.parse("foo abc")).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> SeriesDescription.parse("foo 1x")).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> SeriesDescription.parse("foo{a=\"b\" 1")).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> SeriesDescription.parse("foo {{schema:0")).isInstanceOf(ParseException.class);
    }
}
