package io.specula.tsdb.chunkenc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.histogram.CounterResetHint;
import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.model.histogram.Spans;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HistogramChunkTest {
    /** A histogram with absolute positive counts {@code abs} at indexes {@code idx} (schema 3). */
    static Histogram hist(long zeroCount, double sum, int[] idx, long... abs) {
        Histogram h = new Histogram();
        h.schema = 3;
        h.zeroThreshold = Math.scalb(1.0, -128);
        h.zeroCount = zeroCount;
        h.sum = sum;
        h.positiveSpans = spans(idx);
        h.positiveBuckets = new long[abs.length];
        long prev = 0;
        long count = zeroCount;
        for (int i = 0; i < abs.length; i++) {
            h.positiveBuckets[i] = abs[i] - prev;
            prev = abs[i];
            count += abs[i];
        }
        h.count = count;
        return h;
    }

    static int[] spans(int[] idx) {
        return HistogramCoding.spansOf(idx);
    }

    static List<Histogram> read(Chunk c) {
        List<Histogram> out = new ArrayList<>();
        SampleIterator it = c.iterator(null);
        int type;
        while ((type = it.next()) != ValueType.NONE) {
            assertThat(type).isEqualTo(ValueType.HISTOGRAM);
            out.add(it.atHistogram(null));
        }
        assertThat(it.err()).isNull();
        return out;
    }

    @Test
    void roundTrip_sameLayout() throws Exception {
        HistogramChunk c = HistogramChunk.create();
        HistogramAppender a = c.appender();
        List<Histogram> in = new ArrayList<>();
        Random rnd = new Random(1);
        long[] abs = {1, 2, 3, 4};
        long z = 0;
        double sum = 0;
        for (int i = 0; i < 120; i++) {
            for (int b = 0; b < abs.length; b++) {
                abs[b] += rnd.nextInt(i % 7 == 0 ? 1000 : 5);
            }
            z += rnd.nextInt(2);
            sum += rnd.nextGaussian() * 10;
            Histogram h = hist(z, sum, new int[] {-2, -1, 3, 4}, abs.clone());
            in.add(h);
            assertThat(a.append(null, 1_700_000_000_000L + i * 15_000L + rnd.nextInt(3), h, false)).isEqualTo(HistogramAppender.APPENDED);
        }
        List<Histogram> out = read(c);
        assertThat(out).hasSize(120);
        for (int i = 0; i < in.size(); i++) {
            assertThat(out.get(i).equals(in.get(i))).as("sample %d: %s vs %s", i, out.get(i), in.get(i)).isTrue();
        }
        assertThat(out.get(0).counterResetHint).isEqualTo(CounterResetHint.UNKNOWN);
        assertThat(out.get(1).counterResetHint).isEqualTo(CounterResetHint.NOT_COUNTER_RESET);
        // Reopening from the bytes continues the same stream.
        HistogramChunk reopened = HistogramChunk.fromData(Arrays.copyOf(c.bytes(), c.length()), c.length());
        HistogramAppender ra = reopened.appender();
        Histogram next = hist(z, sum, new int[] {-2, -1, 3, 4}, abs[0], abs[1], abs[2], abs[3] + 1);
        assertThat(ra.append(null, 1_700_000_000_000L + 121 * 15_000L, next, false)).isEqualTo(HistogramAppender.APPENDED);
        assertThat(read(reopened)).hasSize(121).last().matches(h -> h.equals(next));
    }

    @Test
    void newBuckets_recodeTheChunk() throws Exception {
        HistogramChunk c = HistogramChunk.create();
        HistogramAppender a = c.appender();
        a.append(null, 1000, hist(0, 1, new int[] {1, 2}, 1, 2), false);
        a.append(null, 2000, hist(0, 2, new int[] {1, 2}, 2, 3), false);
        Histogram wider = hist(0, 3, new int[] {0, 1, 2, 5}, 0, 2, 3, 1);
        assertThat(a.append(null, 3000, wider, false)).isEqualTo(HistogramAppender.RECODED);
        assertThat(a.chunk()).isNotSameAs(c);
        List<Histogram> out = read(a.chunk());
        assertThat(out).hasSize(3);
        assertThat(out.get(0).positiveSpans).containsExactly(0, 3, 2, 1);
        assertThat(out.get(0).compact(0).equals(hist(0, 1, new int[] {1, 2}, 1, 2))).isTrue();
        assertThat(out.get(2).equals(wider)).isTrue();
        // A bucket that vanished while empty is added back instead of cutting.
        Histogram missing = hist(0, 4, new int[] {1, 2, 5}, 3, 4, 2);
        assertThat(a.append(null, 4000, missing, false)).isEqualTo(HistogramAppender.APPENDED);
        assertThat(read(a.chunk()).get(3).compact(0).equals(missing)).isTrue();
        assertThatThrownBy(() -> a.append(null, 5000, hist(0, 4, new int[] {1, 2, 5, 9}, 3, 4, 2, 1), true))
                .hasMessage("histogram layout change with 1 positive and 0 negative forwards inserts");
    }

    @Test
    void counterReset_cutsAChunk() throws Exception {
        HistogramChunk c = HistogramChunk.create();
        HistogramAppender a = c.appender();
        a.append(null, 1000, hist(0, 10, new int[] {1}, 5), false);
        Histogram lower = hist(0, 1, new int[] {1}, 2);
        assertThat(a.append(null, 2000, lower, false)).isEqualTo(HistogramAppender.NEW_CHUNK);
        assertThat(c.numSamples()).isEqualTo(1);
        assertThat(a.chunk().counterResetHeader()).isEqualTo(HistogramChunk.HEADER_COUNTER_RESET);
        assertThat(a.append(null, 3000, hist(0, 2, new int[] {1}, 3), false)).isEqualTo(HistogramAppender.APPENDED);
        // Schema change: new chunk, header unknown.
        Histogram other = hist(0, 2, new int[] {1}, 3);
        other.schema = 2;
        assertThat(a.append(null, 4000, other, false)).isEqualTo(HistogramAppender.NEW_CHUNK);
        assertThat(a.chunk().counterResetHeader()).isEqualTo(HistogramChunk.HEADER_UNKNOWN);
        // A chunk cut by the caller learns its header from the previous appender.
        HistogramChunk next = HistogramChunk.create();
        HistogramAppender na = next.appender();
        Histogram continued = hist(0, 3, new int[] {1}, 4);
        continued.schema = 2;
        na.append(a, 5000, continued, false);
        assertThat(next.counterResetHeader()).isEqualTo(HistogramChunk.HEADER_NOT_COUNTER_RESET);
    }

    @Test
    void gaugeAndStale() throws Exception {
        HistogramChunk c = HistogramChunk.create();
        HistogramAppender a = c.appender();
        Histogram g1 = hist(3, 10, new int[] {1, 2}, 5, 5);
        g1.counterResetHint = CounterResetHint.GAUGE;
        Histogram g2 = hist(1, 4, new int[] {2, 3}, 1, 1);
        g2.counterResetHint = CounterResetHint.GAUGE;
        a.append(null, 1000, g1, false);
        assertThat(a.append(null, 2000, g2, false)).isEqualTo(HistogramAppender.RECODED);
        assertThat(a.chunk().counterResetHeader()).isEqualTo(HistogramChunk.HEADER_GAUGE);
        HistogramChunk gaugeChunk = a.chunk();
        Histogram stale = Histogram.staleMarker();
        assertThat(a.append(null, 3000, stale, false)).as("unhinted stale marker: a counter sample").isEqualTo(HistogramAppender.NEW_CHUNK);
        a = gaugeChunk.appender(); // back to the gauge chunk
        stale.counterResetHint = CounterResetHint.GAUGE;
        assertThat(a.append(null, 3000, stale, false)).isEqualTo(HistogramAppender.APPENDED);
        List<Histogram> out = read(a.chunk());
        assertThat(out.get(0).compact(0).equals(g1)).isTrue();
        assertThat(out.get(1).compact(0).equals(g2)).isTrue();
        assertThat(out.get(1).counterResetHint).isEqualTo(CounterResetHint.GAUGE);
        assertThat(out.get(2).isStale()).isTrue();
        assertThat(a.append(null, 4000, g2, false)).isEqualTo(HistogramAppender.NEW_CHUNK);
    }

    @Test
    void layoutFields_roundTrip() throws Exception {
        for (double zt : new double[] {0, Math.scalb(1.0, -128), 0.001, 1024, 2048}) {
            HistogramChunk c = HistogramChunk.create();
            Histogram h = hist(0, 1, new int[] {-5}, 1);
            h.zeroThreshold = zt;
            c.appender().append(null, -7, h, false);
            Histogram back = read(c).get(0);
            assertThat(back.zeroThreshold).isEqualTo(zt);
            assertThat(back.equals(h)).isTrue();
        }
        Histogram nhcb = new Histogram();
        nhcb.schema = -53;
        nhcb.customValues = new double[] {-1, 0, 0.1, 0.1234567, 33554.43, 1e9};
        nhcb.positiveSpans = Spans.of(0, 2, 2, 3);
        nhcb.positiveBuckets = new long[] {1, 1, 0, -2, 5};
        nhcb.count = 1 + 2 + 2 + 0 + 5;
        nhcb.sum = 3;
        HistogramChunk c = HistogramChunk.create();
        c.appender().append(null, 0, nhcb, false);
        Histogram back = read(c).get(0);
        assertThat(back.customValues).containsExactly(nhcb.customValues);
        assertThat(back.equals(nhcb)).isTrue();
    }

    @Test
    void floatChunk_roundTripRecodeAndReset() throws Exception {
        FloatHistogramChunk c = FloatHistogramChunk.create();
        FloatHistogramAppender a = c.appender();
        List<FloatHistogram> in = new ArrayList<>();
        double base = 0;
        for (int i = 0; i < 50; i++) {
            base += 0.25 + i;
            FloatHistogram f = hist(0, i * 1.5, new int[] {0, 1, 7}, 1, 2, 3).toFloat(null);
            f.mul(base);
            in.add(f);
            assertThat(a.append(null, i * 10_000L, f, false)).isEqualTo(HistogramAppender.APPENDED);
        }
        FloatHistogram wider = in.get(49).copy();
        wider.positiveSpans = Spans.of(0, 2, 5, 1, 1, 1);
        wider.positiveBuckets = new double[] {wider.positiveBuckets[0], wider.positiveBuckets[1], wider.positiveBuckets[2], 0.5};
        wider.count += 0.5;
        in.add(wider);
        assertThat(a.append(null, 500_000, wider, false)).isEqualTo(HistogramAppender.RECODED);
        List<FloatHistogram> out = new ArrayList<>();
        SampleIterator it = a.chunk().iterator(null);
        while (it.next() == ValueType.FLOAT_HISTOGRAM) {
            out.add(it.atFloatHistogram(null));
        }
        assertThat(it.err()).isNull();
        assertThat(out).hasSize(51);
        for (int i = 0; i < in.size(); i++) {
            assertThat(out.get(i).copy().compact(0).equals(in.get(i).copy().compact(0))).as("sample %d", i).isTrue();
        }
        FloatHistogram lower = in.get(0);
        assertThat(a.append(null, 510_000, lower, false)).isEqualTo(HistogramAppender.NEW_CHUNK);
        assertThat(a.chunk().counterResetHeader()).isEqualTo(HistogramChunk.HEADER_COUNTER_RESET);
        FloatHistogramChunk reopened = FloatHistogramChunk.fromData(Arrays.copyOf(a.chunk().bytes(), a.chunk().length()), a.chunk().length());
        FloatHistogramAppender ra = reopened.appender();
        assertThat(ra.append(null, 520_000, in.get(1), false)).isEqualTo(HistogramAppender.APPENDED);
        it = reopened.iterator(it);
        it.next();
        assertThat(it.next()).isEqualTo(ValueType.FLOAT_HISTOGRAM);
        assertThat(it.atFloatHistogram(null).equals(in.get(1))).isTrue();
    }

    @Test
    void corruptData_isAnIteratorError() throws Exception {
        HistogramChunk c = HistogramChunk.create();
        c.appender().append(null, 1000, hist(0, 1, new int[] {1, 2}, 1, 2), false);
        byte[] cut = Arrays.copyOf(c.bytes(), c.length() - 3);
        SampleIterator it = HistogramChunk.fromData(cut, cut.length).iterator(null);
        assertThat(it.next()).isEqualTo(ValueType.NONE);
        assertThat(it.err()).hasMessageContaining("chunk data ends");
    }
}
