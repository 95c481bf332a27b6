package io.specula.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Spans;
import org.junit.jupiter.api.Test;

/** Expected values from Prometheus's native_histograms.test (its comments explain them). */
class NativeHistogramsTest {
    private final NativeHistograms nh = new NativeHistograms();

    static FloatHistogram h(int schema, double sum, double count, double... buckets) {
        FloatHistogram h = new FloatHistogram();
        h.schema = schema;
        h.sum = sum;
        h.count = count;
        h.positiveSpans = buckets.length == 0 ? Spans.NONE : Spans.of(0, buckets.length);
        h.positiveBuckets = buckets;
        return h;
    }

    @Test
    void quantile_interpolatesExponentially() {
        FloatHistogram single = h(0, 5, 4, 1, 2, 1); // (0.5,1]:1 (1,2]:2 (2,4]:1
        assertThat(nh.quantile(0.5, single)).isCloseTo(1.414213562373095, within(1e-15));
        assertThat(nh.quantile(0, single)).isCloseTo(0.5, within(1e-15));
        assertThat(nh.quantile(1, single)).isEqualTo(4);
        assertThat(nh.quantile(-1, single)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(nh.quantile(Double.NaN, single)).isNaN();
        FloatHistogram negative = h(0, -5, 4);
        negative.negativeSpans = Spans.of(0, 3);
        negative.negativeBuckets = new double[] {1, 2, 1};
        assertThat(nh.quantile(0.5, negative)).isCloseTo(-1.414213562373095, within(1e-15));
        assertThat(nh.fraction(-2, -1, negative)).isEqualTo(0.5);
    }

    @Test
    void zeroBucket_isLinearAroundZero() {
        FloatHistogram z = h(0, 0.25, 1);
        z.zeroCount = 1;
        z.zeroThreshold = 0.5;
        assertThat(nh.quantile(0.5, z)).isZero();
        assertThat(nh.fraction(-0.5, 0.5, z)).isEqualTo(1);
        assertThat(nh.fraction(0, 8, h(0, 5, 4, 1, 2, 1))).isEqualTo(1);
        assertThat(nh.fraction(1, 2, h(0, 5, 4, 1, 2, 1))).isEqualTo(0.5);
        assertThat(nh.fraction(0, 8, h(0, 0, 0))).isNaN();
    }

    @Test
    void customBuckets_linearAndOpenEnds() {
        FloatHistogram c = h(-53, 10, 4, 1, 2, 1); // (-Inf,10]:1 (10,20]:2 (20,+Inf]:1
        c.customValues = new double[] {10, 20};
        assertThat(nh.quantile(0.5, c)).isEqualTo(15);
        assertThat(nh.quantile(0.1, c)).isEqualTo(4); // first bucket taken as (0, 10]
        assertThat(nh.quantile(0.99, c)).isEqualTo(20); // last bucket: its lower bound
        assertThat(nh.fraction(10, 15, c)).isEqualTo(0.25);
    }

    @Test
    void stddev_geometricBucketMeans() {
        FloatHistogram one = h(0, 1.5, 1, 0, 1); // one observation in (1,2]: at sqrt(2)
        double d = Math.sqrt(2) - 1.5;
        assertThat(nh.stdvar(one)).isCloseTo(d * d, within(1e-15));
        assertThat(nh.stddev(one)).isCloseTo(Math.abs(d), within(1e-15));
        assertThat(NativeHistograms.log2(8)).isEqualTo(3);
        assertThat(NativeHistograms.log2(0.25)).isEqualTo(-2);
    }
}
