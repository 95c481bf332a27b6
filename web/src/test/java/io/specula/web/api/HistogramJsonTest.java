package io.specula.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Spans;
import io.specula.model.labels.Labels;
import io.specula.promql.engine.Matrix;
import io.specula.promql.engine.Sample;
import io.specula.promql.engine.Vector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Native histograms in query results, in the layout of Prometheus's docs/querying/api.md. */
class HistogramJsonTest {
    static FloatHistogram single() {
        FloatHistogram h = new FloatHistogram();
        h.count = 4;
        h.sum = 5;
        h.positiveSpans = Spans.of(0, 3);
        h.positiveBuckets = new double[] {1, 2, 1};
        return h;
    }

    @Test
    void vector_histogramMember() {
        FloatHistogram h = single();
        h.negativeSpans = Spans.of(0, 1);
        h.negativeBuckets = new double[] {0.5};
        h.zeroCount = 1;
        h.zeroThreshold = 0.001;
        h.count = 5.5;
        Json j = new Json();
        QueryApi.writeValue(j, new Vector(List.of(new Sample(Labels.of("__name__", "h"), 60_000, 0, h), new Sample(Labels.EMPTY, 60_000, 2.5))));
        assertThat(j.toString()).isEqualTo("[{\"metric\":{\"__name__\":\"h\"},\"histogram\":[60,{\"count\":\"5.5\",\"sum\":\"5\",\"buckets\":"
                + "[[1,\"-1\",\"-0.5\",\"0.5\"],[3,\"-0.001\",\"0.001\",\"1\"],[0,\"0.5\",\"1\",\"1\"],[0,\"1\",\"2\",\"2\"],[0,\"2\",\"4\",\"1\"]]}]},"
                + "{\"metric\":{},\"value\":[60,\"2.5\"]}]");
    }

    @Test
    void matrix_histogramsBesideValues() {
        FloatHistogram empty = new FloatHistogram();
        Json j = new Json();
        QueryApi.writeValue(j, new Matrix(List.of(
                new Matrix.Series(Labels.of("a", "1"), new long[] {0, 15_000, 30_000}, new double[] {7, 0, 0}, new FloatHistogram[] {null, single(), empty}))));
        assertThat(j.toString()).isEqualTo("[{\"metric\":{\"a\":\"1\"},\"values\":[[0,\"7\"]],\"histograms\":[[15,{\"count\":\"4\",\"sum\":\"5\",\"buckets\":"
                + "[[0,\"0.5\",\"1\",\"1\"],[0,\"1\",\"2\",\"2\"],[0,\"2\",\"4\",\"1\"]]}],[30,{\"count\":\"0\",\"sum\":\"0\"}]]}]");
    }

    @Test
    void vector_customBuckets_boundsFromMinusToPlusInfinity() {
        FloatHistogram h = new FloatHistogram();
        h.schema = -53;
        h.customValues = new double[] {5, 10};
        h.count = 4;
        h.sum = 20;
        h.positiveSpans = Spans.of(0, 3);
        h.positiveBuckets = new double[] {1, 2, 1};
        Json j = new Json();
        QueryApi.writeValue(j, new Vector(List.of(new Sample(Labels.EMPTY, 1_500, 0, h))));
        // NHCB: the first bucket reaches down to -Inf and includes it ("[-Inf,5]", rule 3, as
        // Prometheus's bucket iterator marks custom bucket 0), the others are "(lower,upper]" up to +Inf.
        assertThat(j.toString()).isEqualTo("[{\"metric\":{},\"histogram\":[1.5,{\"count\":\"4\",\"sum\":\"20\",\"buckets\":"
                + "[[3,\"-Inf\",\"5\",\"1\"],[0,\"5\",\"10\",\"2\"],[0,\"10\",\"+Inf\",\"1\"]]}]}]");
    }
}
