package io.specula.remote;

import static io.specula.remote.RemoteWriteHandlerTest.NOW;
import static io.specula.remote.RemoteWriteHandlerTest.V2;
import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import io.specula.remote.prompb.Prompb;
import io.specula.remote.writev2.WriteV2;
import io.specula.tsdb.DB;
import io.specula.tsdb.exemplar.CircularExemplarStorage;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.storage.ValueType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The receiver's native histograms (1.0 and 2.0, integer, float and custom buckets) and their exemplars. */
class RemoteWriteReceiveHistogramsTest {
    @TempDir
    Path tmp;
    DB db;
    RemoteWriteHandler h;

    @BeforeEach
    void open() throws Exception {
        db = DB.open(tmp, DB.Options.defaults(), new CircularExemplarStorage(100));
        h = new RemoteWriteHandler(db, () -> NOW, 1 << 20);
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    static Prompb.BucketSpan span(int offset, int length) {
        return Prompb.BucketSpan.newBuilder().setOffset(offset).setLength(length).build();
    }

    static WriteV2.BucketSpan span2(int offset, int length) {
        return WriteV2.BucketSpan.newBuilder().setOffset(offset).setLength(length).build();
    }

    /** Exponential schema 1: count 9 = zero 1 + positive {2, 3} (deltas 2, 1) at 0..1 and 1 at 4 + negative 2. */
    static Prompb.Histogram intHistogram(long t) {
        return Prompb.Histogram.newBuilder().setCountInt(9).setSum(12.5).setSchema(1).setZeroThreshold(0.001)
                .setZeroCountInt(1).addPositiveSpans(span(0, 2)).addPositiveSpans(span(2, 1))
                .addPositiveDeltas(2).addPositiveDeltas(1).addPositiveDeltas(-2)
                .addNegativeSpans(span(-1, 1)).addNegativeDeltas(2).setTimestamp(t).build();
    }

    List<Object> stored(String name) throws Exception {
        List<Object> out = new ArrayList<>();
        try (Querier q = db.querier(Long.MIN_VALUE / 2, Long.MAX_VALUE / 2)) {
            SeriesSet ss = q.select(true, null, Matcher.equal("__name__", name));
            while (ss.next()) {
                SampleIterator it = ss.at().iterator(null);
                for (int vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
                    out.add(it.atT());
                    out.add(vt == ValueType.HISTOGRAM ? it.atHistogram(null).toString() : vt == ValueType.FLOAT_HISTOGRAM
                            ? it.atFloatHistogram(null).toString() : Double.toString(it.atV()));
                }
            }
        }
        return out;
    }

    static Prompb.TimeSeries v1series(String name, Prompb.Histogram... hs) {
        return Prompb.TimeSeries.newBuilder()
                .addLabels(Prompb.Label.newBuilder().setName("__name__").setValue(name))
                .addAllHistograms(List.of(hs)).build();
    }

    @Test
    void v1_integerHistogram_storedAsSent_withExemplar() throws Exception {
        Prompb.TimeSeries ts = v1series("lat", intHistogram(NOW), intHistogram(NOW + 1000).toBuilder().setCountInt(10).setZeroCountInt(2).build())
                .toBuilder().addExemplars(Prompb.Exemplar.newBuilder().setValue(0.3).setTimestamp(NOW + 1000)
                        .addLabels(Prompb.Label.newBuilder().setName("trace_id").setValue("t1"))).build();
        HttpAnswer a = h.handle(null, "snappy", RemoteWriteHandlerTest.v1(ts));
        assertThat(a.status()).as(RemoteWriteHandlerTest.text(a)).isEqualTo(204);

        Histogram want = HistogramProto.toHistogram(intHistogram(NOW));
        assertThat(want.count).isEqualTo(9);
        assertThat(want.positiveSpans).containsExactly(0, 2, 2, 1);
        assertThat(want.negativeSpans).containsExactly(-1, 1);
        assertThat(stored("lat")).hasSize(4).startsWith(NOW, want.toString());
        assertThat(stored("lat").get(3).toString()).startsWith("{count:10, sum:12.5");
        List<CircularExemplarStorage.Result> ex = db.exemplars().select(0, Long.MAX_VALUE,
                List.<Matcher[]>of(new Matcher[] {Matcher.equal("__name__", "lat")}));
        assertThat(ex).singleElement().satisfies(r -> assertThat(r.exemplars())
                .containsExactly(new CircularExemplarStorage.Exemplar(Labels.of("trace_id", "t1"), 0.3, NOW + 1000)));
    }

    @Test
    void v2_floatAndCustomBucketHistograms_countedInHeader() throws Exception {
        List<String> syms = List.of("", "__name__", "fh", "nhcb", "trace_id", "x");
        WriteV2.Histogram fh = WriteV2.Histogram.newBuilder().setCountFloat(4.5).setSum(3).setSchema(0)
                .setZeroCountFloat(0.5).setZeroThreshold(1e-128).addPositiveSpans(span2(1, 2))
                .addPositiveCounts(1.5).addPositiveCounts(2.5).setTimestamp(NOW)
                .setResetHint(WriteV2.Histogram.ResetHint.RESET_HINT_GAUGE).build();
        // Custom buckets (-53): bounds 0.1, 1, 10 and +Inf; integer counts 1, 0, 3, 2 as deltas.
        WriteV2.Histogram nhcb = WriteV2.Histogram.newBuilder().setCountInt(6).setSum(40).setSchema(-53)
                .addPositiveSpans(span2(0, 4)).addPositiveDeltas(1).addPositiveDeltas(-1).addPositiveDeltas(3).addPositiveDeltas(-1)
                .addCustomValues(0.1).addCustomValues(1).addCustomValues(10).setTimestamp(NOW).build();
        WriteV2.Histogram nhcbFloat = nhcb.toBuilder().clearCountInt().setCountFloat(6).clearPositiveDeltas()
                .addPositiveCounts(1).addPositiveCounts(0).addPositiveCounts(3).addPositiveCounts(2).setTimestamp(NOW + 1000).build();
        WriteV2.TimeSeries a = WriteV2.TimeSeries.newBuilder().addLabelsRefs(1).addLabelsRefs(2).addHistograms(fh)
                .addExemplars(WriteV2.Exemplar.newBuilder().addLabelsRefs(4).addLabelsRefs(5).setValue(2).setTimestamp(NOW)).build();
        WriteV2.TimeSeries b = WriteV2.TimeSeries.newBuilder().addLabelsRefs(1).addLabelsRefs(3).addHistograms(nhcb).addHistograms(nhcbFloat).build();
        HttpAnswer ans = h.handle(V2, "snappy", RemoteWriteHandlerTest.v2(syms, a, b));
        assertThat(ans.status()).as(RemoteWriteHandlerTest.text(ans)).isEqualTo(204);
        assertThat(ans.headers()).containsEntry("X-Prometheus-Remote-Write-Histograms-Written", "3")
                .containsEntry("X-Prometheus-Remote-Write-Samples-Written", "0")
                .containsEntry("X-Prometheus-Remote-Write-Exemplars-Written", "1");

        FloatHistogram wantF = HistogramProto.toFloatHistogram(HistogramProto.fromV2(fh));
        assertThat(wantF.counterResetHint).isEqualTo(3);
        assertThat(stored("fh")).containsExactly(NOW, wantF.toString());
        List<Object> got = stored("nhcb");
        assertThat(got).hasSize(4);
        assertThat(got.get(1)).isEqualTo("{count:6, sum:40, [-Inf,0.1]:1, (1,10]:3, (10,+Inf]:2}");
        assertThat(got.get(3)).isEqualTo(got.get(1)); // the float form of the same histogram reads the same
        assertThat(db.exemplars().select(0, Long.MAX_VALUE, List.<Matcher[]>of(new Matcher[] {Matcher.equal("__name__", "fh")})))
                .singleElement().satisfies(r -> assertThat(r.exemplars()).hasSize(1));
    }

    @Test
    void v2_badSpans_400_restWritten() throws Exception {
        List<String> syms = List.of("", "__name__", "good", "bad");
        WriteV2.Histogram ok = WriteV2.Histogram.newBuilder().setCountInt(3).setSum(1).addPositiveSpans(span2(0, 1))
                .addPositiveDeltas(3).setTimestamp(NOW).build();
        WriteV2.Histogram badSpan = ok.toBuilder().clearPositiveSpans().addPositiveSpans(span2(0, 2)).build(); // 2 buckets spanned, 1 given
        HttpAnswer a = h.handle(V2, "snappy", RemoteWriteHandlerTest.v2(syms,
                WriteV2.TimeSeries.newBuilder().addLabelsRefs(1).addLabelsRefs(3).addHistograms(badSpan).build(),
                WriteV2.TimeSeries.newBuilder().addLabelsRefs(1).addLabelsRefs(2).addHistograms(ok).build()));
        assertThat(a.status()).isEqualTo(400);
        assertThat(RemoteWriteHandlerTest.text(a)).contains("histogram spans specify different number of buckets than provided")
                .contains("for series {__name__=\"bad\"}");
        assertThat(a.headers()).containsEntry("X-Prometheus-Remote-Write-Histograms-Written", "1");
        assertThat(stored("good")).hasSize(2);
        assertThat(stored("bad")).isEmpty();
    }

    @Test
    void v2_customBucketsWithoutBounds_400() {
        WriteV2.Histogram h2 = WriteV2.Histogram.newBuilder().setCountInt(1).setSchema(-53).addPositiveSpans(span2(0, 2))
                .addPositiveDeltas(1).addPositiveDeltas(-1).setTimestamp(NOW).build();
        HttpAnswer a = h.handle(V2, "snappy", RemoteWriteHandlerTest.v2(List.of("", "__name__", "c"),
                WriteV2.TimeSeries.newBuilder().addLabelsRefs(1).addLabelsRefs(2).addHistograms(h2).build()));
        assertThat(a.status()).isEqualTo(400);
        assertThat(RemoteWriteHandlerTest.text(a)).contains("custom bounds");
    }

    @Test
    void v1_badSpan_400_nothingWritten() throws Exception {
        Prompb.Histogram bad = intHistogram(NOW).toBuilder().addNegativeDeltas(1).build(); // one bucket more than the spans
        HttpAnswer a = h.handle(null, "snappy", RemoteWriteHandlerTest.v1(RemoteWriteHandlerTest.series("up", NOW, 1), v1series("lat", bad)));
        assertThat(a.status()).isEqualTo(400);
        assertThat(RemoteWriteHandlerTest.text(a)).contains("histogram spans specify different number of buckets than provided");
        assertThat(stored("up")).isEmpty();
    }

    @Test
    void outOfOrderAndFutureHistograms_400() throws Exception {
        assertThat(h.handle(null, "snappy", RemoteWriteHandlerTest.v1(v1series("lat", intHistogram(NOW)))).status()).isEqualTo(204);
        HttpAnswer a = h.handle(null, "snappy", RemoteWriteHandlerTest.v1(v1series("lat", intHistogram(NOW - 1000))));
        assertThat(a.status()).isEqualTo(400);
        assertThat(RemoteWriteHandlerTest.text(a)).isEqualTo("out of order sample\n");
        HttpAnswer b = h.handle(V2, "snappy", RemoteWriteHandlerTest.v2(List.of("", "__name__", "lat"), WriteV2.TimeSeries.newBuilder()
                .addLabelsRefs(1).addLabelsRefs(2).addHistograms(WriteV2.Histogram.newBuilder().setTimestamp(NOW + 11 * 60_000)).build()));
        assertThat(b.status()).isEqualTo(400);
        assertThat(RemoteWriteHandlerTest.text(b)).isEqualTo("out of bounds for series {__name__=\"lat\"}\n");
        assertThat(b.headers()).containsEntry("X-Prometheus-Remote-Write-Histograms-Written", "0");
    }

    @Test
    void v2_outOfOrderExemplar_400AsPrometheus3_restWritten() throws Exception {
        List<String> syms = List.of("", "__name__", "c", "trace_id", "t");
        WriteV2.Exemplar first = WriteV2.Exemplar.newBuilder().addLabelsRefs(3).addLabelsRefs(4).setValue(1).setTimestamp(NOW).build();
        WriteV2.TimeSeries ts = WriteV2.TimeSeries.newBuilder().addLabelsRefs(1).addLabelsRefs(2)
                .addSamples(WriteV2.Sample.newBuilder().setValue(1).setTimestamp(NOW)).addExemplars(first).build();
        assertThat(h.handle(V2, "snappy", RemoteWriteHandlerTest.v2(syms, ts)).status()).isEqualTo(204);
        WriteV2.TimeSeries older = ts.toBuilder().setSamples(0, WriteV2.Sample.newBuilder().setValue(2).setTimestamp(NOW + 1000))
                .setExemplars(0, first.toBuilder().setValue(5).setTimestamp(NOW - 1000)).build();
        HttpAnswer a = h.handle(V2, "snappy", RemoteWriteHandlerTest.v2(syms, older));
        assertThat(a.status()).isEqualTo(400);
        assertThat(RemoteWriteHandlerTest.text(a)).isEqualTo("out of order exemplar for series {__name__=\"c\"}\n");
        assertThat(a.headers()).containsEntry("X-Prometheus-Remote-Write-Samples-Written", "1")
                .containsEntry("X-Prometheus-Remote-Write-Exemplars-Written", "0");
        assertThat(stored("c")).containsExactly(NOW, "1.0", NOW + 1000, "2.0");
    }

    @Test
    void hugeSpanLength_400() {
        Prompb.Histogram bad = Prompb.Histogram.newBuilder().addPositiveSpans(span(0, -1)).setTimestamp(NOW).build();
        HttpAnswer a = h.handle(null, "snappy", RemoteWriteHandlerTest.v1(v1series("lat", bad)));
        assertThat(a.status()).isEqualTo(400);
        assertThat(RemoteWriteHandlerTest.text(a)).contains("histogram span length 4294967295 is too large");
    }
}
