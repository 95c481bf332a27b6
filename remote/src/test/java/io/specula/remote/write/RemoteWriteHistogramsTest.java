package io.specula.remote.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.specula.model.config.PromDuration;
import io.specula.model.histogram.CounterResetHint;
import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.model.histogram.Spans;
import io.specula.model.labels.LabelNames.NameValidation;
import io.specula.model.labels.Labels;
import io.specula.remote.HistogramProto;
import io.specula.remote.prompb.Prompb;
import io.specula.testsupport.Await;
import io.specula.tsdb.exemplar.CircularExemplarStorage;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.head.HeadOptions;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.wal.WalWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sender's native histograms and exemplars against a scripted receiver: what the head wrote
 * to its WAL (integer, float and custom-bucket histograms, start timestamps, exemplars) arrives
 * equal, in order per series, over 1.0 and 2.0; nothing but floats without the config switches.
 */
class RemoteWriteHistogramsTest {
    @TempDir
    Path tmp;
    Head head;
    ScriptedReceiver rx;
    RemoteWriteStorage storage;
    PrometheusRegistry registry = new PrometheusRegistry();
    long now = System.currentTimeMillis() + 60_000;

    @BeforeEach
    void open() throws Exception {
        head = Head.open(tmp.resolve("data"), HeadOptions.defaults().withWal(WalWriter.Options.defaults().withSegmentSize(32 * 1024)),
                new CircularExemplarStorage(1000));
        rx = new ScriptedReceiver();
    }

    @AfterEach
    void close() throws Exception {
        if (storage != null) {
            storage.close();
        }
        head.close();
        rx.close();
    }

    void start(boolean v2, boolean histograms, boolean exemplars) throws Exception {
        RemoteWriteConfig c = new RemoteWriteConfig();
        c.url = rx.url();
        c.queueConfig = new RemoteWriteConfig.QueueConfig();
        c.queueConfig.batchSendDeadline = PromDuration.ofMillis(50);
        c.queueConfig.maxSamplesPerSend = 7;
        c.queueConfig.maxShards = 3;
        c.queueConfig.minShards = 3;
        c.sendNativeHistograms = histograms;
        c.sendExemplars = exemplars;
        if (v2) {
            c.protobufMessage = "io.prometheus.write.v2.Request";
        }
        c.validate(NameValidation.UTF8);
        storage = new RemoteWriteStorage(tmp.resolve("data/wal"), tmp.resolve("data/remote_write"), registry, 1L << 30);
        storage.applyConfig(List.of(c), Labels.of());
    }

    static Histogram intHist(int i) {
        Histogram h = new Histogram();
        h.schema = 1;
        h.zeroThreshold = 0.001;
        h.zeroCount = i;
        h.positiveSpans = Spans.of(-2, 2, 3, 1);
        h.positiveBuckets = new long[] {i + 1, 2, -1};
        h.negativeSpans = Spans.of(0, 1);
        h.negativeBuckets = new long[] {3};
        h.count = h.zeroCount + (i + 1) + (i + 3) + (i + 2) + 3;
        h.sum = 10.5 * i - 3;
        h.counterResetHint = i == 0 ? CounterResetHint.COUNTER_RESET : CounterResetHint.NOT_COUNTER_RESET;
        return h;
    }

    static FloatHistogram floatHist(int i) {
        FloatHistogram h = new FloatHistogram();
        h.schema = -1;
        h.zeroThreshold = 0;
        h.zeroCount = 0.5;
        h.positiveSpans = Spans.of(1, 2);
        h.positiveBuckets = new double[] {1.25 * i, 2.5};
        h.count = 0.5 + 1.25 * i + 2.5;
        h.sum = -1.5 * i;
        h.counterResetHint = CounterResetHint.GAUGE;
        return h;
    }

    static Histogram customHist(int i) {
        Histogram h = new Histogram();
        h.schema = -53;
        h.positiveSpans = Spans.of(0, 3);
        h.positiveBuckets = new long[] {i, 1, 1};
        h.customValues = new double[] {0.1, 1, 10};
        h.count = 3L * i + 3;
        h.sum = 4.25 * i;
        return h;
    }

    /** Per series, what the head got, as text in append order (floats, histograms, exemplars). */
    Map<String, List<String>> appendAll(int n) throws Exception {
        Map<String, List<String>> want = new LinkedHashMap<>();
        Labels fl = Labels.of("__name__", "f"), ih = Labels.of("__name__", "ih"), fh = Labels.of("__name__", "fh"),
                ch = Labels.of("__name__", "ch"), st = Labels.of("__name__", "st");
        for (int i = 0; i < n; i++) {
            long t = now + 1000L * i;
            Appender a = head.appender();
            long ref = a.append(0, fl, t, i);
            a.appendExemplar(ref, fl, Labels.of("trace_id", "t" + i), t, i + 0.5);
            a.appendHistogram(0, ih, 0, t, intHist(i), null);
            a.appendHistogram(0, fh, 0, t, null, floatHist(i));
            a.appendHistogram(0, ch, 0, t, customHist(i), null);
            a.commit();
            a = head.appender();
            a.appendHistogram(0, st, now - 5000, t, intHist(i), null); // with a start timestamp: record 12
            a.commit();
            want.computeIfAbsent("__name__=f", k -> new ArrayList<>()).add("s " + t + " " + (double) i);
            want.computeIfAbsent("__name__=f", k -> new ArrayList<>()).add("e " + t + " " + (i + 0.5) + " trace_id=t" + i);
            want.computeIfAbsent("__name__=ih", k -> new ArrayList<>()).add("h " + t + " " + intHist(i));
            want.computeIfAbsent("__name__=fh", k -> new ArrayList<>()).add("h " + t + " " + floatHist(i));
            want.computeIfAbsent("__name__=ch", k -> new ArrayList<>()).add("h " + t + " " + customHist(i));
            want.computeIfAbsent("__name__=st", k -> new ArrayList<>()).add("h " + t + " " + intHist(i));
        }
        return want;
    }

    /** What the receiver accepted, per series, in arrival order, as {@link #appendAll} writes it. */
    Map<String, List<String>> received(boolean withExemplars) {
        // Floats and the rest arrive in separate lists; within one request their order is the
        // sender's. Merge by timestamp, float before exemplar (the head's WAL order for one commit).
        Map<String, List<String>> got = new LinkedHashMap<>();
        for (ScriptedReceiver.Sample s : rx.accepted()) {
            got.computeIfAbsent(s.series(), k -> new ArrayList<>()).add("s " + s.t() + " " + s.v());
        }
        for (ScriptedReceiver.Other o : rx.others) {
            List<String> l = got.computeIfAbsent(o.series(), k -> new ArrayList<>());
            if (o.msg() instanceof Prompb.Exemplar e) {
                StringBuilder sb = new StringBuilder();
                for (Prompb.Label x : e.getLabelsList()) {
                    sb.append(x.getName()).append('=').append(x.getValue());
                }
                String line = "e " + e.getTimestamp() + " " + e.getValue() + " " + sb;
                int at = l.indexOf("s " + e.getTimestamp() + " " + (e.getValue() - 0.5));
                l.add(at < 0 ? l.size() : at + 1, line);
            } else {
                Prompb.Histogram h = (Prompb.Histogram) o.msg();
                l.add("h " + h.getTimestamp() + " " + toModel(h));
                if (o.series().equals("__name__=st")) {
                    assertThat(o.created()).isEqualTo(rx.requests.getFirst().header("Content-Type").contains("v2") ? now - 5000 : 0);
                }
            }
        }
        return got;
    }

    /** The receiver's decoding: what a Specula receiving this message would store. */
    static Object toModel(Prompb.Histogram p) {
        try {
            return HistogramProto.isFloat(p) ? HistogramProto.toFloatHistogram(p) : HistogramProto.toHistogram(p);
        } catch (io.specula.remote.BadMessageException e) {
            throw new AssertionError("the sender wrote a histogram the receiver refuses: " + e.getMessage(), e);
        }
    }

    double metric(String name) {
        return registry.scrape().stream().filter(s -> s.getMetadata().getPrometheusName().equals(name))
                .flatMap(s -> s.getDataPoints().stream())
                .mapToDouble(d -> ((io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot) d).getValue())
                .sum();
    }

    void checkAllDelivered(boolean v2) throws Exception {
        start(v2, true, true);
        Map<String, List<String>> want = appendAll(20);
        try {
            Await.until(Duration.ofSeconds(20), () -> rx.accepted().size() >= 20 && rx.others.size() >= 20 * 5);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": floats " + rx.accepted().size() + ", others " + rx.others.size()
                    + " by series " + rx.others.stream().collect(java.util.stream.Collectors.groupingBy(o -> o.series() + "/" + o.msg().getClass().getSimpleName(), java.util.stream.Collectors.counting())) + ", statuses " + rx.requests.stream().map(ScriptedReceiver.Req::status).toList() + ", histograms in "
                    + metric("prometheus_remote_storage_histograms_in") + ", dropped " + metric("prometheus_remote_storage_histograms_dropped")
                    + ", exemplars in " + metric("prometheus_remote_storage_exemplars_in") + ", histograms sent " + metric("prometheus_remote_storage_histograms") + ", decode failures "
                    + metric("prometheus_wal_watcher_record_decode_failures") + ", skipped " + metric("specula_wal_watcher_records_skipped"));
        }
        Thread.sleep(200);
        assertThat(received(true)).isEqualTo(want);
        assertThat(metric("prometheus_remote_storage_histograms")).isEqualTo(80);
        assertThat(metric("prometheus_remote_storage_exemplars")).isEqualTo(20);
        assertThat(metric("prometheus_remote_storage_samples")).isEqualTo(20);
        assertThat(metric("prometheus_remote_storage_histograms_in")).isEqualTo(80);
        assertThat(metric("prometheus_remote_storage_exemplars_in")).isEqualTo(20);
    }

    @Test
    void encoder_customBucketsAndStartTime_roundTrip() throws Exception {
        WriteEncoder e = new WriteEncoder();
        Series[] ss = {new Series(1, Labels.of("__name__", "ch"), 0), new Series(2, Labels.of("__name__", "st"), 0)};
        Object[] xs = {new HistSample(customHist(2), null, 0), new HistSample(intHist(3), null, 77)};
        e.encodeV1(ss, new long[] {5, 6}, new double[2], xs, 2);
        Prompb.WriteRequest r = Prompb.WriteRequest.parseFrom(java.util.Arrays.copyOf(e.buffer(), e.length()));
        assertThat(toModel(r.getTimeseries(0).getHistograms(0))).hasToString(customHist(2).toString());
        assertThat(toModel(r.getTimeseries(1).getHistograms(0))).hasToString(intHist(3).toString());
        e.encodeV2(ss, new long[] {5, 6}, new double[2], xs, 2);
        io.specula.remote.writev2.WriteV2.Request r2 = io.specula.remote.writev2.WriteV2.Request.parseFrom(
                java.util.Arrays.copyOf(e.buffer(), e.length()));
        assertThat(r2.getTimeseries(1).getCreatedTimestamp()).isEqualTo(77);
        assertThat(toModel(Prompb.Histogram.parseFrom(r2.getTimeseries(0).getHistograms(0).toByteString())))
                .hasToString(customHist(2).toString());
    }

    @Test
    void v1_sendsIntegerFloatAndCustomBucketHistograms_andExemplars_inOrderPerSeries() throws Exception {
        checkAllDelivered(false);
    }

    @Test
    void v2_sendsHistogramsWithCreatedTimestamp_andExemplarsBySymbol() throws Exception {
        checkAllDelivered(true);
    }

    @Test
    void withoutSendSwitches_onlyFloatsAreSent_andTheRestCountedAsSkipped() throws Exception {
        start(false, false, false);
        appendAll(10);
        Await.until(Duration.ofSeconds(20), () -> rx.accepted().size() >= 10);
        Thread.sleep(300);
        assertThat(rx.accepted()).hasSize(10);
        assertThat(rx.others).isEmpty();
        assertThat(metric("specula_wal_watcher_records_skipped")).isGreaterThanOrEqualTo(10 + 10);
    }
}
