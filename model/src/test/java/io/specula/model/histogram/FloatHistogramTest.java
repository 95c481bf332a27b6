package io.specula.model.histogram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FloatHistogramTest {
    static FloatHistogram fh(int schema, double zt, double zc, int[] pSpans, double... pBuckets) {
        FloatHistogram h = new FloatHistogram();
        h.schema = schema;
        h.zeroThreshold = zt;
        h.zeroCount = zc;
        h.positiveSpans = pSpans;
        h.positiveBuckets = pBuckets;
        double c = zc;
        for (double b : pBuckets) {
            c += b;
        }
        h.count = c;
        return h;
    }

    @Test
    void boundsTable_matchesPowersOfTwo() {
        assertThat(Schemas.fractionCount()).isEqualTo(256);
        for (int i = 0; i < 256; i++) {
            double exact = Math.pow(2, i / 256.0) / 2;
            assertThat(Math.abs(Schemas.fraction(i) - exact)).as("fraction %d", i).isLessThanOrEqualTo(4 * Math.ulp(exact)); // Prometheus's table is a few ulps off in places
            if (i > 0) {
                assertThat(Schemas.fraction(i)).isGreaterThan(Schemas.fraction(i - 1));
            }
        }
    }

    @Test
    void exponentialBound_edges() {
        assertThat(Schemas.exponentialBound(0, 0)).isEqualTo(1);
        assertThat(Schemas.exponentialBound(1, 0)).isEqualTo(2);
        assertThat(Schemas.exponentialBound(-1, 0)).isEqualTo(0.5);
        assertThat(Schemas.exponentialBound(1, 1)).isEqualTo(1.414213562373095);
        assertThat(Schemas.exponentialBound(1, -1)).isEqualTo(4);
        assertThat(Schemas.exponentialBound(1024, 0)).isEqualTo(Double.MAX_VALUE);
        assertThat(Schemas.exponentialBound(1025, 0)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Schemas.bound(2, Schemas.CUSTOM_BUCKETS, new double[] {1, 2})).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void bucketIndex_isInverseOfBound() {
        assertThat(Schemas.bucketIndex(1.0, 0)).isEqualTo(0);
        assertThat(Schemas.bucketIndex(1.5, 0)).isEqualTo(1);
        assertThat(Schemas.bucketIndex(2.0, 0)).isEqualTo(1);
        assertThat(Schemas.bucketIndex(2.0001, 0)).isEqualTo(2);
        for (int schema = -4; schema <= 8; schema++) {
            for (int k = -40; k <= 40; k++) {
                double b = Schemas.exponentialBound(k, schema);
                assertThat(Schemas.bucketIndex(b, schema)).as("schema %d bound %d", schema, k).isEqualTo(k);
                assertThat(Schemas.bucketIndex(Math.nextUp(b), schema)).isEqualTo(k + 1);
            }
        }
    }

    @Test
    void toString_goLayout() {
        FloatHistogram h = fh(0, 0.001, 2, Spans.of(0, 2, 1, 1), 1, 2, 3);
        h.negativeSpans = Spans.of(0, 1);
        h.negativeBuckets = new double[] {4};
        h.count += 4;
        h.sum = 10;
        assertThat(h).hasToString("{count:12, sum:10, [-1,-0.5):4, [-0.001,0.001]:2, (0.5,1]:1, (1,2]:2, (4,8]:3}");
    }

    @Test
    void add_reducesToTheLowerSchema() {
        FloatHistogram a = fh(1, 0, 0, Spans.of(1, 1), 2);
        FloatHistogram b = fh(0, 0, 0, Spans.of(1, 1), 3);
        assertThat(a.add(b)).isZero();
        assertThat(a.schema).isZero();
        assertThat(a.positiveSpans).containsExactly(1, 1);
        assertThat(a.positiveBuckets).containsExactly(5);
        assertThat(a.count).isEqualTo(5);
    }

    @Test
    void add_mergesLayouts() {
        FloatHistogram a = fh(0, 0, 0, Spans.of(0, 1, 2, 1), 1, 2); // idx 0, 3
        FloatHistogram b = fh(0, 0, 0, Spans.of(1, 3), 1, 1, 1); // idx 1..3
        a.add(b);
        assertThat(a.positiveSpans).containsExactly(0, 4);
        assertThat(a.positiveBuckets).containsExactly(1, 1, 1, 3);
        a.sub(b);
        assertThat(a.positiveBuckets).containsExactly(1, 0, 0, 2);
        assertThat(a.compact(0).positiveSpans).containsExactly(0, 1, 2, 1);
    }

    @Test
    void add_widensTheZeroBucket() {
        FloatHistogram a = fh(0, 0.001, 1, Spans.of(0, 1, 1, 1), 2, 7); // (0.5,1] and (2,4]
        FloatHistogram b = fh(0, 1, 3, Spans.NONE);
        a.add(b);
        assertThat(a.zeroThreshold).isEqualTo(1);
        assertThat(a.zeroCount).isEqualTo(6);
        assertThat(a.positiveSpans).containsExactly(2, 1);
        assertThat(a.positiveBuckets).containsExactly(7);
        assertThat(a.count).isEqualTo(13);
    }

    @Test
    void add_customBoundsIntersect() {
        FloatHistogram a = fh(-53, 0, 0, Spans.of(0, 4), 1, 1, 1, 1);
        a.customValues = new double[] {1, 2, 3};
        FloatHistogram b = fh(-53, 0, 0, Spans.of(0, 4), 1, 1, 1, 1);
        b.customValues = new double[] {2, 3, 4};
        assertThat(a.add(b)).isEqualTo(FloatHistogram.CUSTOM_BOUNDS_RECONCILED);
        assertThat(a.customValues).containsExactly(2, 3);
        assertThat(a.positiveBuckets).containsExactly(3, 2, 3);
        FloatHistogram exp = fh(0, 0, 0, Spans.NONE);
        assertThatThrownBy(() -> exp.add(b)).isInstanceOf(HistogramException.class)
                .hasMessage("cannot apply this operation on histograms with a mix of exponential and custom bucket schemas");
    }

    @Test
    void add_counterResetHints() {
        FloatHistogram a = fh(0, 0, 0, Spans.NONE);
        FloatHistogram b = fh(0, 0, 0, Spans.NONE);
        a.counterResetHint = CounterResetHint.COUNTER_RESET;
        b.counterResetHint = CounterResetHint.NOT_COUNTER_RESET;
        assertThat(a.add(b)).isEqualTo(FloatHistogram.COUNTER_RESET_COLLISION);
        assertThat(a.counterResetHint).isEqualTo(CounterResetHint.UNKNOWN);
        b.counterResetHint = CounterResetHint.GAUGE;
        a.add(b);
        assertThat(a.counterResetHint).isEqualTo(CounterResetHint.GAUGE);
    }

    @Test
    void compact_keepsSmallGaps() {
        FloatHistogram h = fh(0, 0, 0, Spans.of(0, 3, 2, 2), 0, 1, 0, 2, 0); // idx 0..2, 5..6
        FloatHistogram c = h.copy().compact(0);
        assertThat(c.positiveSpans).containsExactly(1, 1, 3, 1);
        assertThat(c.positiveBuckets).containsExactly(1, 2);
        FloatHistogram d = h.copy().compact(3);
        assertThat(d.positiveSpans).containsExactly(1, 5);
        assertThat(d.positiveBuckets).containsExactly(1, 0, 0, 0, 2);
        assertThat(fh(0, 0, 0, Spans.of(0, 2), 0, 0).compact(0).positiveSpans).isEmpty();
    }

    @Test
    void detectReset_perBucket() {
        FloatHistogram prev = fh(0, 0, 0, Spans.of(2, 2), 5, 1);
        assertThat(fh(0, 0, 0, Spans.of(2, 2), 6, 1).detectReset(prev)).isFalse();
        assertThat(fh(0, 0, 0, Spans.of(2, 3), 4, 2, 2).detectReset(prev)).isTrue();
        assertThat(fh(0, 0, 0, Spans.of(3, 1), 10).detectReset(prev)).isTrue(); // bucket 2 vanished
        assertThat(fh(1, 0, 0, Spans.of(4, 1), 10).detectReset(prev)).isTrue(); // higher resolution
        assertThat(fh(-1, 0, 0, Spans.of(1, 2), 5, 1).detectReset(prev)).isFalse(); // lower resolution
        assertThat(fh(-1, 0, 0, Spans.of(1, 1), 6).detectReset(prev)).isTrue(); // (4,16] lost its 1
        FloatHistogram hinted = fh(0, 0, 0, Spans.of(2, 2), 6, 1);
        hinted.counterResetHint = CounterResetHint.COUNTER_RESET;
        assertThat(hinted.detectReset(prev)).isTrue();
    }

    @Test
    void validate_prometheusMessages() {
        FloatHistogram h = fh(0, 0, 0, Spans.of(0, 2), 1, 2);
        h.validate();
        h.count = 4;
        h.validate(); // the count is not checked for float histograms, as in Prometheus
        h.positiveSpans = Spans.of(0, 3);
        assertThatThrownBy(h::validate).hasMessage(
                "positive side: spans need 3 buckets, have 2 buckets: histogram spans specify different number of buckets than provided");
        h.schema = 9;
        assertThatThrownBy(h::validate).hasMessage(
                "histogram has an invalid schema, which must be between -4 and 8 for exponential buckets, or -53 for custom buckets, got schema 9");
    }

    @Test
    void allBuckets_inBoundOrder() {
        FloatHistogram h = fh(0, 0.5, 1, Spans.of(1, 1), 2);
        h.negativeSpans = Spans.of(0, 2);
        h.negativeBuckets = new double[] {3, 4};
        BucketIterator it = h.allBuckets(null);
        StringBuilder sb = new StringBuilder();
        while (it.next()) {
            sb.append(it.lower).append('/').append(it.upper).append('=').append(it.count).append(' ');
        }
        assertThat(sb.toString()).isEqualTo("-2.0/-1.0=4.0 -1.0/-0.5=3.0 -0.5/0.5=1.0 1.0/2.0=2.0 ");
    }

    @Test
    void copyInto_reusesArrays() {
        FloatHistogram a = fh(0, 0, 0, Spans.of(0, 2), 1, 2);
        FloatHistogram dst = fh(0, 0, 0, Spans.of(5, 2), 7, 7);
        double[] buckets = dst.positiveBuckets;
        a.copyInto(dst);
        assertThat(dst.positiveBuckets).isSameAs(buckets).containsExactly(1, 2);
        assertThat(dst.equals(a)).isTrue();
        dst.positiveBuckets[0] = 9;
        assertThat(a.positiveBuckets[0]).isEqualTo(1);
    }
}
