package io.specula.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import io.specula.remote.prompb.Prompb;
import io.specula.remote.writev2.WriteV2;
import io.specula.tsdb.DB;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.storage.ValueType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteWriteHandlerTest {
    static final long NOW = 1_700_000_000_000L;
    static final String V2 = "application/x-protobuf;proto=io.prometheus.write.v2.Request";

    @TempDir
    Path tmp;
    DB db;
    RemoteWriteHandler h;

    @BeforeEach
    void open() throws Exception {
        db = DB.open(tmp, DB.Options.defaults());
        h = new RemoteWriteHandler(db, () -> NOW, 1 << 20);
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    static Prompb.TimeSeries series(String name, long... tv) {
        Prompb.TimeSeries.Builder b = Prompb.TimeSeries.newBuilder()
                .addLabels(Prompb.Label.newBuilder().setName("__name__").setValue(name))
                .addLabels(Prompb.Label.newBuilder().setName("job").setValue("j"));
        for (int i = 0; i < tv.length; i += 2) {
            b.addSamples(Prompb.Sample.newBuilder().setTimestamp(tv[i]).setValue(tv[i + 1]));
        }
        return b.build();
    }

    static byte[] v1(Prompb.TimeSeries... ts) {
        return SnappyBlock.encode(Prompb.WriteRequest.newBuilder().addAllTimeseries(List.of(ts)).build().toByteArray());
    }

    List<long[]> stored(String name) throws Exception {
        List<long[]> out = new ArrayList<>();
        try (Querier q = db.querier(Long.MIN_VALUE / 2, Long.MAX_VALUE / 2)) {
            SeriesSet ss = q.select(true, null, Matcher.equal("__name__", name));
            while (ss.next()) {
                SampleIterator it = ss.at().iterator(null);
                while (it.next() == ValueType.FLOAT) {
                    out.add(new long[] {it.atT(), (long) it.atV()});
                }
            }
        }
        return out;
    }

    static String text(HttpAnswer a) {
        return new String(a.body(), StandardCharsets.UTF_8);
    }

    @Test
    void v1_storesSamples_204() throws Exception {
        HttpAnswer a = h.handle("application/x-protobuf", "snappy", v1(series("up", NOW, 1, NOW + 1000, 2), series("x", NOW, 7)));
        assertThat(a.status()).as(text(a)).isEqualTo(204);
        assertThat(stored("up")).containsExactly(new long[] {NOW, 1}, new long[] {NOW + 1000, 2});
        assertThat(stored("x")).containsExactly(new long[] {NOW, 7});
    }

    @Test
    void v1_withoutHeaders_isAccepted() throws Exception {
        assertThat(h.handle(null, null, v1(series("up", NOW, 1))).status()).isEqualTo(204);
        assertThat(stored("up")).hasSize(1);
    }

    @Test
    void v1_outOfOrder_400_andNothingWritten() throws Exception {
        assertThat(h.handle(null, "snappy", v1(series("up", NOW, 1))).status()).isEqualTo(204);
        HttpAnswer a = h.handle(null, "snappy", v1(series("other", NOW, 5), series("up", NOW - 1000, 2)));
        assertThat(a.status()).isEqualTo(400);
        assertThat(text(a)).isEqualTo("out of order sample\n");
        assertThat(stored("other")).isEmpty();
    }

    @Test
    void v1_duplicateTimestamp_400() throws Exception {
        h.handle(null, "snappy", v1(series("up", NOW, 1)));
        HttpAnswer a = h.handle(null, "snappy", v1(series("up", NOW, 2)));
        assertThat(a.status()).isEqualTo(400);
        assertThat(text(a)).isEqualTo("duplicate sample for timestamp\n");
    }

    @Test
    void v1_farFuture_outOfBounds_400() throws Exception {
        HttpAnswer a = h.handle(null, "snappy", v1(series("up", NOW + 11 * 60_000, 1)));
        assertThat(a.status()).isEqualTo(400);
        assertThat(text(a)).isEqualTo("out of bounds\n");
    }

    @Test
    void v1_invalidLabels_droppedRestAccepted() throws Exception {
        Prompb.TimeSeries noName = Prompb.TimeSeries.newBuilder()
                .addLabels(Prompb.Label.newBuilder().setName("job").setValue("j"))
                .addSamples(Prompb.Sample.newBuilder().setTimestamp(NOW).setValue(1)).build();
        HttpAnswer a = h.handle(null, "snappy", v1(noName, series("ok", NOW, 3)));
        assertThat(a.status()).isEqualTo(204);
        assertThat(stored("ok")).hasSize(1);
        assertThat(h.invalidLabelSamples()).isEqualTo(1);
    }

    /** The head's appender without its histogram methods: a storage that keeps no native histograms. */
    static io.specula.tsdb.storage.Appendable noHistograms(DB db) {
        return () -> {
            io.specula.tsdb.storage.Appender in = db.appender();
            return new io.specula.tsdb.storage.Appender() {
                @Override
                public long append(long ref, Labels labels, long t, double v) throws io.specula.tsdb.storage.AppendException {
                    return in.append(ref, labels, t, v);
                }

                @Override
                public void commit() throws java.io.IOException {
                    in.commit();
                }

                @Override
                public void rollback() {
                    in.rollback();
                }
            };
        };
    }

    @Test
    void v1_histogram_500AsPrometheusWithoutTheFeature() throws Exception {
        Prompb.TimeSeries ts = series("h", NOW, 1).toBuilder()
                .addHistograms(Prompb.Histogram.newBuilder().setCountInt(0).setSum(0).setTimestamp(NOW)).build();
        HttpAnswer a = new RemoteWriteHandler(noHistograms(db), () -> NOW, 1 << 20).handle(null, "snappy", v1(ts));
        assertThat(a.status()).isEqualTo(500);
        assertThat(text(a)).isEqualTo("native histograms are disabled\n");
        assertThat(stored("h")).isEmpty();
    }

    @Test
    void v1_exemplarsAndMetadata_accepted() throws Exception {
        Prompb.TimeSeries ts = series("c_total", NOW, 1).toBuilder()
                .addExemplars(Prompb.Exemplar.newBuilder().setValue(1).setTimestamp(NOW)
                        .addLabels(Prompb.Label.newBuilder().setName("trace_id").setValue("abc"))).build();
        byte[] body = SnappyBlock.encode(Prompb.WriteRequest.newBuilder().addTimeseries(ts)
                .addMetadata(Prompb.MetricMetadata.newBuilder().setMetricFamilyName("c_total")
                        .setType(Prompb.MetricMetadata.MetricType.COUNTER).setHelp("help")).build().toByteArray());
        assertThat(h.handle(null, "snappy", body).status()).isEqualTo(204);
        assertThat(stored("c_total")).hasSize(1);
        assertThat(h.metadataReceived()).isEqualTo(1);
    }

    @Test
    void v1_and_v2_exemplarsStored_withExemplarStorage() throws Exception {
        db.close();
        db = DB.open(tmp, DB.Options.defaults(), new io.specula.tsdb.exemplar.CircularExemplarStorage(10));
        h = new RemoteWriteHandler(db, () -> NOW, 1 << 20);
        Prompb.TimeSeries ts = series("c_total", NOW, 1).toBuilder()
                .addExemplars(Prompb.Exemplar.newBuilder().setValue(0.5).setTimestamp(NOW)
                        .addLabels(Prompb.Label.newBuilder().setName("trace_id").setValue("abc"))).build();
        assertThat(h.handle(null, "snappy", v1(ts)).status()).isEqualTo(204);
        // v2: a newer and an older exemplar of one series in one request
        WriteV2.TimeSeries up = v2series(new int[] {1, 2, 3, 4}, NOW + 1000, 1).toBuilder()
                .addExemplars(WriteV2.Exemplar.newBuilder().setValue(2).setTimestamp(NOW + 1000).addLabelsRefs(6).addLabelsRefs(7))
                .addExemplars(WriteV2.Exemplar.newBuilder().setValue(3).setTimestamp(NOW - 1000)).build();
        HttpAnswer a = h.handle(V2, "snappy", v2(SYMS, up));
        assertThat(a.status()).as(text(a)).isEqualTo(204);
        // Both pass the check against the storage; the older one is dropped at commit (as in Prometheus, which counts it too).
        assertThat(a.headers()).containsEntry("X-Prometheus-Remote-Write-Exemplars-Written", "2");
        WriteV2.TimeSeries old = v2series(new int[] {1, 2, 3, 4}, NOW + 1500, 1).toBuilder()
                .addExemplars(WriteV2.Exemplar.newBuilder().setValue(3).setTimestamp(NOW)).build();
        a = h.handle(V2, "snappy", v2(SYMS, old));
        // Prometheus 3 reports an out-of-order 2.0 exemplar as a 400 and keeps the rest.
        assertThat(a.status()).isEqualTo(400);
        assertThat(text(a)).startsWith("out of order exemplar for series {__name__=\"up\"");
        assertThat(a.headers()).containsEntry("X-Prometheus-Remote-Write-Exemplars-Written", "0")
                .containsEntry("X-Prometheus-Remote-Write-Samples-Written", "1");
        var r = db.exemplars().select(Long.MIN_VALUE, Long.MAX_VALUE,
                List.<Matcher[]>of(new Matcher[] {Matcher.equal("job", "j")}));
        assertThat(r).hasSize(2);
        assertThat(r.get(0).seriesLabels().get("__name__")).isEqualTo("c_total");
        assertThat(r.get(0).exemplars().getFirst().labels().get("trace_id")).isEqualTo("abc");
        assertThat(r.get(1).exemplars()).hasSize(1);
        assertThat(r.get(1).exemplars().getFirst().labels().get("help")).isEqualTo("1");
        WriteV2.TimeSeries badRef = v2series(new int[] {1, 2, 3, 4}, NOW + 2000, 1).toBuilder()
                .addExemplars(WriteV2.Exemplar.newBuilder().setValue(2).setTimestamp(NOW + 2000).addLabelsRefs(60).addLabelsRefs(7))
                .build();
        assertThat(h.handle(V2, "snappy", v2(SYMS, badRef)).status()).isEqualTo(400);
    }

    @Test
    void malformedSnappy_400() {
        HttpAnswer a = h.handle(null, "snappy", new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 1, 2});
        assertThat(a.status()).isEqualTo(400);
        assertThat(text(a)).startsWith("snappy: ");
    }

    @Test
    void notProtobuf_400() {
        HttpAnswer a = h.handle(null, "snappy", SnappyBlock.encode(new byte[] {(byte) 0xff, 0x13, 0x00, 0x42, 0x07}));
        assertThat(a.status()).isEqualTo(400);
        assertThat(text(a)).startsWith("decoding prometheus.WriteRequest: ");
    }

    @Test
    void decodedSizeLimit_400() {
        byte[] big = new byte[2 << 20];
        HttpAnswer a = h.handle(null, "snappy", SnappyBlock.encode(big));
        assertThat(a.status()).isEqualTo(400);
        assertThat(text(a)).contains("exceeds the limit");
    }

    @Test
    void unknownProtoOrMediaOrEncoding_415() {
        byte[] body = v1(series("up", NOW, 1));
        assertThat(h.handle("application/x-protobuf;proto=io.prometheus.write.v3.Request", "snappy", body).status()).isEqualTo(415);
        assertThat(h.handle("application/json", "snappy", body).status()).isEqualTo(415);
        assertThat(h.handle("application/x-protobuf;proto", "snappy", body).status()).isEqualTo(415);
        HttpAnswer a = h.handle("application/x-protobuf", "gzip", body);
        assertThat(a.status()).isEqualTo(415);
        assertThat(text(a)).isEqualTo("gzip encoding (compression) is not accepted by this server; only snappy is acceptable\n");
    }

    @Test
    void acceptedMessages_v1Only_refusesV2With415() throws Exception {
        RemoteWriteHandler v1only = new RemoteWriteHandler(db, () -> NOW, 1 << 20, List.of("prometheus.WriteRequest"));
        HttpAnswer a = v1only.handle(V2, "snappy", v2(SYMS, v2series(new int[] {1, 2}, NOW, 1)));
        assertThat(a.status()).isEqualTo(415);
        assertThat(text(a)).isEqualTo("io.prometheus.write.v2.Request protobuf message is not accepted by this server; "
                + "accepted [prometheus.WriteRequest]\n");
        assertThat(v1only.handle(null, "snappy", v1(series("up", NOW, 1))).status()).isEqualTo(204);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RemoteWriteHandler(db, List.of("x.Request")))
                .hasMessageContaining("unknown remote write protobuf message x.Request");
    }

    static WriteV2.TimeSeries v2series(int[] refs, long... tv) {
        WriteV2.TimeSeries.Builder b = WriteV2.TimeSeries.newBuilder();
        for (int r : refs) {
            b.addLabelsRefs(r);
        }
        for (int i = 0; i < tv.length; i += 2) {
            b.addSamples(WriteV2.Sample.newBuilder().setTimestamp(tv[i]).setValue(tv[i + 1]));
        }
        return b.build();
    }

    static byte[] v2(List<String> symbols, WriteV2.TimeSeries... ts) {
        return SnappyBlock.encode(WriteV2.Request.newBuilder().addAllSymbols(symbols).addAllTimeseries(List.of(ts)).build().toByteArray());
    }

    static final List<String> SYMS = List.of("", "__name__", "up", "job", "j", "down", "help", "1");

    @Test
    void v2_storesSamples_withWrittenHeaders() throws Exception {
        WriteV2.TimeSeries up = v2series(new int[] {1, 2, 3, 4}, NOW, 1, NOW + 1000, 2).toBuilder()
                .setMetadata(WriteV2.Metadata.newBuilder().setType(WriteV2.Metadata.MetricType.METRIC_TYPE_GAUGE).setHelpRef(6))
                .addExemplars(WriteV2.Exemplar.newBuilder().setValue(1).setTimestamp(NOW)).build();
        HttpAnswer a = h.handle(V2, "snappy", v2(SYMS, up, v2series(new int[] {1, 5}, NOW, 3)));
        assertThat(a.status()).as(text(a)).isEqualTo(204);
        assertThat(a.headers()).containsEntry("X-Prometheus-Remote-Write-Samples-Written", "3")
                .containsEntry("X-Prometheus-Remote-Write-Histograms-Written", "0")
                .containsEntry("X-Prometheus-Remote-Write-Exemplars-Written", "1"); // taken (and dropped: no storage), as Prometheus counts it
        assertThat(stored("up")).containsExactly(new long[] {NOW, 1}, new long[] {NOW + 1000, 2});
        assertThat(stored("down")).hasSize(1);
        try (Querier q = db.querier(0, Long.MAX_VALUE / 2)) {
            SeriesSet ss = q.select(true, null, Matcher.equal("__name__", "up"));
            assertThat(ss.next()).isTrue();
            assertThat(ss.at().labels()).isEqualTo(Labels.of("__name__", "up", "job", "j"));
        }
    }

    @Test
    void v2_symbolOutOfRange_400_restWritten() throws Exception {
        HttpAnswer a = h.handle(V2, "snappy", v2(SYMS, v2series(new int[] {1, 99}, NOW, 1), v2series(new int[] {1, 2}, NOW, 5)));
        assertThat(a.status()).isEqualTo(400);
        assertThat(text(a)).contains("label reference 99 out of range (8 symbols)");
        assertThat(a.headers()).containsEntry("X-Prometheus-Remote-Write-Samples-Written", "1");
        assertThat(stored("up")).hasSize(1);
    }

    @Test
    void v2_oddRefs_andBadMetadataRef_400() {
        assertThat(text(h.handle(V2, "snappy", v2(SYMS, v2series(new int[] {1, 2, 3}, NOW, 1))))).contains("odd number of label references");
        WriteV2.TimeSeries ts = v2series(new int[] {1, 2}, NOW, 1).toBuilder()
                .setMetadata(WriteV2.Metadata.newBuilder().setUnitRef(1000)).build();
        HttpAnswer a = h.handle(V2, "snappy", v2(SYMS, ts));
        assertThat(a.status()).isEqualTo(400);
        assertThat(text(a)).contains("metadata reference out of range");
    }

    @Test
    void v2_firstSymbolNotEmpty_400() {
        HttpAnswer a = h.handle(V2, "snappy", v2(List.of("x", "__name__", "up"), v2series(new int[] {1, 2}, NOW, 1)));
        assertThat(a.status()).isEqualTo(400);
    }

    @Test
    void v2_outOfOrder_partialWrite_400WithSeries() throws Exception {
        h.handle(V2, "snappy", v2(SYMS, v2series(new int[] {1, 2}, NOW, 1)));
        HttpAnswer a = h.handle(V2, "snappy", v2(SYMS, v2series(new int[] {1, 2}, NOW - 5, 1, NOW + 5, 2)));
        assertThat(a.status()).isEqualTo(400);
        assertThat(text(a)).isEqualTo("out of order sample for series {__name__=\"up\"}\n");
        assertThat(a.headers()).containsEntry("X-Prometheus-Remote-Write-Samples-Written", "1");
        assertThat(stored("up")).containsExactly(new long[] {NOW, 1}, new long[] {NOW + 5, 2});
    }

    @Test
    void v2_histogram_500WithoutHistogramStorage() {
        WriteV2.TimeSeries ts = v2series(new int[] {1, 2}).toBuilder()
                .addHistograms(WriteV2.Histogram.newBuilder().setCountFloat(0).setTimestamp(NOW)).build();
        HttpAnswer a = new RemoteWriteHandler(noHistograms(db), () -> NOW, 1 << 20).handle(V2, "snappy", v2(SYMS, ts));
        assertThat(a.status()).isEqualTo(500);
        assertThat(text(a)).isEqualTo("native histograms are disabled\n");
    }
}
