package io.specula.tsdb.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.histogram.CounterResetHint;
import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.model.histogram.Spans;
import io.specula.tsdb.encoding.ByteArrayDataOutput;
import io.specula.tsdb.encoding.CorruptionException;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HistogramSamplesRecordTest {
    static Histogram exp(long base) {
        Histogram h = new Histogram();
        h.schema = 1;
        h.zeroThreshold = 0.001;
        h.zeroCount = 2;
        h.positiveSpans = Spans.of(0, 2, 1, 1);
        h.positiveBuckets = new long[] {base, 1, -1}; // absolute base, base+1, base
        h.negativeSpans = Spans.of(-1, 1);
        h.negativeBuckets = new long[] {3};
        h.count = 2 + base + base + 1 + base + 3;
        h.sum = 12.5;
        return h;
    }

    static Histogram custom(long c) {
        Histogram h = new Histogram();
        h.schema = -53;
        h.positiveSpans = Spans.of(0, 2);
        h.positiveBuckets = new long[] {c, 0};
        h.customValues = new double[] {0.5, 1};
        h.count = 2 * c;
        h.sum = c;
        h.counterResetHint = CounterResetHint.NOT_COUNTER_RESET;
        return h;
    }

    private static ByteArrayDataOutput[] bufs() {
        ByteArrayDataOutput[] b = new ByteArrayDataOutput[HistogramSamplesRecord.MAX_BATCH_RECORDS];
        for (int i = 0; i < b.length; i++) {
            b[i] = new ByteArrayDataOutput(64);
        }
        return b;
    }

    @Test
    void encodeBatch_histogramRecord_hasPrometheusLayout() {
        Histogram h = new Histogram();
        h.schema = 0;
        h.count = 1;
        h.sum = 1;
        h.positiveSpans = Spans.of(0, 1);
        h.positiveBuckets = new long[] {1};
        ByteArrayDataOutput[] out = bufs();
        int k = HistogramSamplesRecord.encodeBatch(out, new long[] {5}, null, new long[] {1000}, new Histogram[] {h},
                new FloatHistogram[1], 1);
        assertThat(k).isEqualTo(1);
        String hex = HexFormat.of().formatHex(out[0].toByteArray());
        assertThat(hex).isEqualTo("07"
                + "0000000000000005" + "00000000000003e8" // base ref, base t
                + "00" + "00" // ref and t deltas
                + "00" + "00" + "0000000000000000" // hint, schema 0, zero threshold
                + "00" + "01" + "3ff0000000000000" // zero count, count, sum 1.0
                + "01" + "00" + "01" // one positive span: offset 0 (zig-zag), length 1
                + "00" // no negative spans
                + "01" + "02" // one positive bucket: delta 1 (zig-zag)
                + "00"); // no negative buckets
    }

    @Test
    void encodeBatch_splitsCustomBuckets_asPrometheus() throws Exception {
        long[] refs = {1, 2, 3, 4};
        long[] ts = {10, 11, 12, 13};
        Histogram[] hs = {custom(1), exp(4), null, null};
        FloatHistogram[] fhs = {null, null, exp(5).toFloat(null), custom(6).toFloat(null)};
        ByteArrayDataOutput[] out = bufs();
        int k = HistogramSamplesRecord.encodeBatch(out, refs, null, ts, hs, fhs, 4);
        assertThat(k).isEqualTo(4);
        int[] types = new int[k];
        for (int i = 0; i < k; i++) {
            types[i] = out[i].array()[0];
        }
        assertThat(types).containsExactly(7, 9, 8, 10);
        // The exponential record's base is the batch's first integer histogram, the custom one.
        byte[] seven = out[0].toByteArray();
        assertThat(Arrays.copyOfRange(seven, 1, 9)).isEqualTo(new byte[] {0, 0, 0, 0, 0, 0, 0, 1});

        HistogramSamplesRecord r = new HistogramSamplesRecord();
        r.decode(seven, seven.length);
        assertThat(r.size()).isEqualTo(1);
        assertThat(r.ref(0)).isEqualTo(2);
        assertThat(r.t(0)).isEqualTo(11);
        assertThat(r.histogram(0)).isEqualTo(exp(4));
        assertThat(r.isFloat()).isFalse();

        byte[] nine = out[1].toByteArray();
        r.decode(nine, nine.length);
        assertThat(r.histogram(0)).isEqualTo(custom(1));
        assertThat(r.ref(0)).isEqualTo(1);

        byte[] eight = out[2].toByteArray();
        r.decode(eight, eight.length);
        assertThat(r.isFloat()).isTrue();
        assertThat(r.floatHistogram(0)).isEqualTo(exp(5).toFloat(null));
        assertThat(r.t(0)).isEqualTo(12);

        byte[] ten = out[3].toByteArray();
        r.decode(ten, ten.length);
        assertThat(r.floatHistogram(0)).isEqualTo(custom(6).toFloat(null));
        assertThat(r.ref(0)).isEqualTo(4);
        assertThat(r.hasStartTimes()).isFalse();
    }

    @Test
    void encodeBatch_onlyCustom_writesNoExponentialRecord() {
        ByteArrayDataOutput[] out = bufs();
        int k = HistogramSamplesRecord.encodeBatch(out, new long[] {1}, null, new long[] {1}, new Histogram[] {custom(2)},
                new FloatHistogram[1], 1);
        assertThat(k).isEqualTo(1);
        assertThat(out[0].array()[0]).isEqualTo((byte) 9);
    }

    @Test
    void startTimes_roundTripThroughV2Records() throws Exception {
        long[] refs = {7, 3, 9, 9};
        long[] sts = {100, 100, 0, 250};
        long[] ts = {1000, 1001, 1002, 1003};
        Histogram[] hs = {exp(1), custom(2), exp(3), null};
        FloatHistogram[] fhs = {null, null, null, exp(4).toFloat(null)};
        ByteArrayDataOutput[] out = bufs();
        int k = HistogramSamplesRecord.encodeBatch(out, refs, sts, ts, hs, fhs, 4);
        assertThat(k).isEqualTo(2);
        assertThat(out[0].array()[0]).isEqualTo((byte) 12);
        assertThat(out[1].array()[0]).isEqualTo((byte) 13);

        HistogramSamplesRecord r = new HistogramSamplesRecord();
        byte[] twelve = out[0].toByteArray();
        r.decode(twelve, twelve.length);
        assertThat(r.size()).isEqualTo(3);
        assertThat(r.hasStartTimes()).isTrue();
        for (int i = 0; i < 3; i++) {
            assertThat(r.ref(i)).isEqualTo(refs[i]);
            assertThat(r.t(i)).isEqualTo(ts[i]);
            assertThat(r.st(i)).isEqualTo(sts[i]);
            assertThat(r.histogram(i)).isEqualTo(hs[i]);
        }
        byte[] thirteen = out[1].toByteArray();
        r.decode(thirteen, thirteen.length);
        assertThat(r.size()).isEqualTo(1);
        assertThat(r.st(0)).isEqualTo(250);
        assertThat(r.floatHistogram(0)).isEqualTo(fhs[3]);

        // Re-encoding a decoded record gives the same bytes (what a checkpoint does).
        r.decode(twelve, twelve.length);
        ByteArrayDataOutput[] again = bufs();
        assertThat(r.encode(again)).isEqualTo(1);
        assertThat(again[0].toByteArray()).isEqualTo(twelve);
    }

    @Test
    void removeBefore_keepsNewerSamples() throws Exception {
        ByteArrayDataOutput[] out = bufs();
        HistogramSamplesRecord.encodeBatch(out, new long[] {1, 2, 3}, null, new long[] {5, 50, 500},
                new Histogram[] {exp(1), exp(2), exp(3)}, new FloatHistogram[3], 3);
        HistogramSamplesRecord r = new HistogramSamplesRecord();
        byte[] rec = out[0].toByteArray();
        r.decode(rec, rec.length);
        r.removeBefore(50);
        assertThat(r.size()).isEqualTo(2);
        assertThat(r.histogram(0)).isEqualTo(exp(2));
        assertThat(r.histogram(1)).isEqualTo(exp(3));
        assertThat(r.ref(1)).isEqualTo(3);
    }

    @Test
    void decode_unknownSchema_isSkipped_reservedIsReduced() throws Exception {
        Histogram unknown = exp(1);
        unknown.schema = 60;
        Histogram reserved = exp(1);
        reserved.schema = 10;
        ByteArrayDataOutput[] out = bufs();
        HistogramSamplesRecord.encodeBatch(out, new long[] {1, 2}, null, new long[] {1, 2},
                new Histogram[] {unknown, reserved}, new FloatHistogram[2], 2);
        HistogramSamplesRecord r = new HistogramSamplesRecord();
        byte[] rec = out[0].toByteArray();
        r.decode(rec, rec.length);
        assertThat(r.skipped()).isEqualTo(1);
        assertThat(r.size()).isEqualTo(1);
        assertThat(r.histogram(0).schema).isEqualTo(8);
        assertThat(r.histogram(0).count).isEqualTo(reserved.count);
    }

    @Test
    void decode_corruptCount_isACorruptionNotAnAllocation() {
        byte[] rec = HexFormat.of().parseHex("07" + "0000000000000001" + "0000000000000001" + "0000" + "00" + "00"
                + "0000000000000000" + "00" + "00" + "0000000000000000" + "ffffffff0f");
        assertThatThrownBy(() -> new HistogramSamplesRecord().decode(rec, rec.length))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining("exceeds the record");
    }
}
