package io.specula.model.histogram;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HistogramTest {
    static Histogram h(int schema, int[] spans, long... deltas) {
        Histogram h = new Histogram();
        h.schema = schema;
        h.positiveSpans = spans;
        h.positiveBuckets = deltas;
        long cur = 0;
        long c = 0;
        for (long d : deltas) {
            cur += d;
            c += cur;
        }
        h.count = c;
        return h;
    }

    @Test
    void compact_onDeltas() {
        Histogram x = h(0, Spans.of(0, 4), 0, 1, -1, 2); // absolute 0,1,0,2
        x.compact(0);
        assertThat(x.positiveSpans).containsExactly(1, 1, 1, 1);
        assertThat(x.positiveBuckets).containsExactly(1, 1);
        x.compact(1);
        assertThat(x.positiveSpans).containsExactly(1, 3);
        assertThat(x.positiveBuckets).containsExactly(1, -1, 2);
    }

    @Test
    void reduceResolution_mergesBuckets() {
        Histogram x = h(2, Spans.of(0, 5, 3, 1), 1, 1, 1, 1, 1, 0); // abs 1,2,3,4,5 at 0..4 and 5 at 8
        x.reduceResolution(0);
        // schema 2 -> 0: idx 0 -> 0; 1..4 -> 1; 8 -> 2
        assertThat(x.schema).isZero();
        assertThat(x.positiveSpans).containsExactly(0, 3);
        assertThat(x.toFloat(null).positiveBuckets).containsExactly(1, 14, 5);
    }

    @Test
    void toFloat_andString() {
        Histogram x = h(0, Spans.of(0, 2), 2, 1);
        x.sum = 4.5;
        assertThat(x.toFloat(null).positiveBuckets).containsExactly(2, 3);
        assertThat(x).hasToString("{count:5, sum:4.5, (0.5,1]:2, (1,2]:3}");
        x.validate();
        assertThat(Histogram.staleMarker().isStale()).isTrue();
    }
}
