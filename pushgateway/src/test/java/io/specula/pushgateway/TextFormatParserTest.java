package io.specula.pushgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.exposition.proto.MetricFamily;
import io.specula.model.exposition.proto.MetricType;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextFormatParserTest {

    private static Map<String, MetricFamily> parse(String s) throws PushException {
        return TextFormatParser.parse(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void summaryAndHistogramLines_joinOneMetricPerLabelSet() throws PushException {
        Map<String, MetricFamily> f = parse("# TYPE s summary\ns{quantile=\"0.5\",a=\"1\"} 2\ns_sum{a=\"1\"} 3\ns_count{a=\"1\"} 4\n"
                + "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_count 2\nh_sum 0.5\n");
        assertThat(f.get("s").getMetricCount()).isEqualTo(1);
        assertThat(f.get("s").getMetric(0).getSummary().getSampleCount()).isEqualTo(4);
        assertThat(f.get("s").getMetric(0).getLabelList()).hasSize(1);
        assertThat(f.get("h").getMetric(0).getHistogram().getBucketCount()).isEqualTo(2);
        assertThat(f.get("h").getType()).isEqualTo(MetricType.HISTOGRAM);
    }

    @Test
    void untypedByDefault_emptyFamiliesDropped_helpUnescaped() throws PushException {
        Map<String, MetricFamily> f = parse("# HELP a x\\\\y\\nz\n# TYPE e counter\na 1\n");
        assertThat(f).containsOnlyKeys("a");
        assertThat(f.get("a").getType()).isEqualTo(MetricType.UNTYPED);
        assertThat(f.get("a").getHelp()).isEqualTo("x\\y\nz");
    }

    @Test
    void errors_withLineAndTheGoParsersText() {
        assertError("x 1", "text format parsing error in line 1: unexpected end of input stream");
        assertError("a 1\nx{ 1\n", "text format parsing error in line 2: invalid label name for metric \"x\"");
        assertError("x 1\n# TYPE x counter\n", "text format parsing error in line 2: second TYPE line for metric name \"x\", or TYPE reported after samples");
        assertError("x{a=\"b\",a=\"c\"} 1\n", "text format parsing error in line 1: duplicate label names for metric \"x\"");
        assertError("x{a 1\n", "text format parsing error in line 1: expected '=' after label name, found '1'");
        assertError("x abc\n", "text format parsing error in line 1: expected float as value, got \"abc\"");
        assertError("x 1 2 3\n", "text format parsing error in line 1: spurious string after timestamp: \" 3\"");
        assertError("# TYPE x foo\n", "text format parsing error in line 1: unknown metric type \"foo\"");
    }

    private static void assertError(String body, String message) {
        assertThatThrownBy(() -> parse(body)).isInstanceOf(PushException.class).hasMessage(message);
    }
}
