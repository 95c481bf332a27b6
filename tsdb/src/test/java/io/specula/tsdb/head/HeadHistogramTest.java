package io.specula.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.model.histogram.HistogramException;
import io.specula.model.histogram.Spans;
import io.specula.model.labels.Labels;
import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import io.specula.model.value.StaleNaN;
import io.specula.tsdb.chunkenc.HistogramChunk;
import io.specula.tsdb.storage.AppendException;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.storage.ValueType;
import io.specula.tsdb.wal.WalReplay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadHistogramTest {
    private static final Labels H = Labels.of("__name__", "h_seconds");
    private static final Labels F = Labels.of("__name__", "f_seconds");

    /** A counter histogram after {@code i} scrapes: buckets grow, and a new bucket appears at i = 50. */
    static Histogram hist(int i) {
        Histogram h = new Histogram();
        h.schema = 2;
        h.zeroThreshold = 1e-128;
        h.zeroCount = i;
        if (i < 50) {
            h.positiveSpans = Spans.of(0, 2);
            h.positiveBuckets = new long[] {i, 1}; // i, i+1
            h.count = i + i + i + 1;
        } else {
            h.positiveSpans = Spans.of(0, 3);
            h.positiveBuckets = new long[] {i, 1, -i}; // i, i+1, 1
            h.count = i + i + i + 1 + 1;
        }
        h.sum = i * 1.5;
        return h;
    }

    /** One sample as read back: time, type, and the value as text. */
    record Sample(long t, int type, String value) {
    }

    static List<Sample> read(Head head, Labels l) throws Exception {
        List<Sample> out = new ArrayList<>();
        try (var q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            SeriesSet set = q.select(false, null, Matcher.of(MatchType.EQUAL, "__name__", l.get("__name__")));
            assertThat(set.next()).isTrue();
            SampleIterator it = set.at().iterator(null);
            int type;
            while ((type = it.next()) != ValueType.NONE) {
                String v = switch (type) {
                    case ValueType.FLOAT -> Double.toString(it.atV());
                    case ValueType.HISTOGRAM -> it.atHistogram(null).toString();
                    default -> it.atFloatHistogram(null).toString();
                };
                out.add(new Sample(it.atT(), type, v));
            }
            assertThat(it.err()).isNull();
        }
        return out;
    }

    private static List<Sample> expected(int n) {
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Sample(i * 15_000L, ValueType.HISTOGRAM, hist(i).toString()));
        }
        return out;
    }

    @Test
    void appendHistogram_readsBackEverySample_acrossCutsAndRecodes() throws Exception {
        Head head = new Head();
        Appender app = head.appender();
        long ref = 0;
        for (int i = 0; i < 300; i++) {
            ref = app.appendHistogram(ref, H, 0, i * 15_000L, hist(i), null);
        }
        app.commit();
        assertThat(read(head, H)).isEqualTo(expected(300));
    }

    /** A histogram with 20 buckets growing irregularly: about 20 bytes a sample in a chunk. */
    static Histogram wide(int i) {
        Histogram h = new Histogram();
        h.schema = 3;
        h.positiveSpans = Spans.of(0, 20);
        h.positiveBuckets = new long[20];
        long prev = 0, count = 0;
        for (int b = 0; b < 20; b++) {
            long abs = (long) i * (b + 1) + (((long) i * 7919 + b * 104729) % 97);
            h.positiveBuckets[b] = abs - prev;
            prev = abs;
            count += abs;
        }
        h.count = count;
        h.sum = i;
        return h;
    }

    @Test
    void appendHistogram_cutsChunksBySize() throws Exception {
        Head head = new Head();
        List<Sample> want = new ArrayList<>();
        for (int i = 0; i < 400; i++) { // within one 2 h chunk range at 15 s
            Appender app = head.appender();
            app.appendHistogram(0, H, 0, i * 15_000L, wide(i), null);
            app.commit();
            want.add(new Sample(i * 15_000L, ValueType.HISTOGRAM, wide(i).toString()));
        }
        MemSeries s = head.series.byRef(1);
        synchronized (s) {
            // Cut near 1 KiB: several chunks where the 120-sample rule of float chunks would give 4.
            assertThat(s.chunkCount()).isGreaterThan(4);
        }
        assertThat(read(head, H)).isEqualTo(want);
    }

    @Test
    void series_switchesBetweenFloatsAndHistograms() throws Exception {
        Head head = new Head();
        Appender app = head.appender();
        app.append(0, H, 1_000, 1);
        app.append(0, H, 2_000, 2);
        app.commit();
        app = head.appender();
        app.appendHistogram(0, H, 0, 3_000, hist(1), null);
        app.commit();
        app = head.appender();
        app.appendHistogram(0, H, 0, 4_000, null, hist(2).toFloat(null));
        app.commit();
        app = head.appender();
        app.append(0, H, 5_000, 5);
        app.commit();
        List<Sample> got = read(head, H);
        assertThat(got).extracting(Sample::type).containsExactly(ValueType.FLOAT, ValueType.FLOAT, ValueType.HISTOGRAM,
                ValueType.FLOAT_HISTOGRAM, ValueType.FLOAT);
        assertThat(got.get(2).value()).isEqualTo(hist(1).toString());
        assertThat(got.get(3).value()).isEqualTo(hist(2).toFloat(null).toString());
    }

    @Test
    void appendHistogram_refusesAsPrometheus() throws Exception {
        Head head = new Head();
        Appender app = head.appender();
        app.appendHistogram(0, H, 0, 10_000, hist(3), null);
        app.commit();

        Appender next = head.appender();
        assertThatThrownBy(() -> next.appendHistogram(0, H, 0, 5_000, hist(4), null))
                .isInstanceOf(AppendException.class).hasMessage("out of order sample");
        assertThatThrownBy(() -> next.appendHistogram(0, H, 0, 10_000, hist(4), null))
                .isInstanceOf(AppendException.class).hasMessage("duplicate sample for timestamp");
        // The same histogram again at the same time is a resend: accepted and ignored.
        next.appendHistogram(0, H, 0, 10_000, hist(3), null);
        // A float at a histogram's timestamp is a duplicate, not a resend.
        assertThatThrownBy(() -> next.append(0, H, 10_000, 1.0))
                .isInstanceOf(AppendException.class).hasMessage("duplicate sample for timestamp");
        Histogram bad = hist(5);
        bad.count = 1;
        assertThatThrownBy(() -> next.appendHistogram(0, H, 0, 20_000, bad, null))
                .isInstanceOf(HistogramException.class)
                .hasMessageContaining("observations found in buckets, but the Count field is 1");
        next.commit();
        assertThat(read(head, H)).hasSize(1);
    }

    @Test
    void floatStaleMarker_onHistogramSeries_becomesHistogramStaleMarker() throws Exception {
        Head head = new Head();
        Appender app = head.appender();
        app.appendHistogram(0, H, 0, 1_000, hist(1), null);
        app.appendHistogram(0, F, 0, 1_000, null, hist(1).toFloat(null));
        app.commit();
        app = head.appender();
        app.append(0, H, 2_000, StaleNaN.VALUE);
        app.append(0, F, 2_000, StaleNaN.VALUE);
        app.commit();
        List<Sample> h = read(head, H);
        assertThat(h).extracting(Sample::type).containsExactly(ValueType.HISTOGRAM, ValueType.HISTOGRAM);
        List<Sample> f = read(head, F);
        assertThat(f).extracting(Sample::type).containsExactly(ValueType.FLOAT_HISTOGRAM, ValueType.FLOAT_HISTOGRAM);
        try (var q = head.querier(2_000, 2_000)) {
            SeriesSet set = q.select(false, null, Matcher.of(MatchType.EQUAL, "__name__", "h_seconds"));
            assertThat(set.next()).isTrue();
            SampleIterator it = set.at().iterator(null);
            assertThat(it.next()).isEqualTo(ValueType.HISTOGRAM);
            assertThat(it.atHistogram(null).isStale()).isTrue();
        }
    }

    @Test
    void counterReset_startsAChunkWithTheResetHeader() throws Exception {
        Head head = new Head();
        Appender app = head.appender();
        for (int i = 10; i < 20; i++) {
            app.appendHistogram(0, H, 0, i * 1_000L, hist(i), null);
        }
        app.appendHistogram(0, H, 0, 20_000, hist(1), null); // reset
        app.appendHistogram(0, H, 0, 21_000, hist(2), null);
        app.commit();
        MemSeries s = head.series.byRef(1);
        synchronized (s) {
            assertThat(s.chunkCount()).isEqualTo(2);
            assertThat(((HistogramChunk) s.openChunk()).counterResetHeader()).isEqualTo(HistogramChunk.HEADER_COUNTER_RESET);
        }
        assertThat(read(head, H)).hasSize(12);
    }

    @Test
    void restart_replaysHistogramsFromWalAndChunkFiles(@TempDir Path dir) throws Exception {
        Labels nhcb = Labels.of("__name__", "nhcb");
        Histogram custom = new Histogram();
        custom.schema = -53;
        custom.customValues = new double[] {0.1, 1};
        custom.positiveSpans = Spans.of(0, 3);
        custom.positiveBuckets = new long[] {1, 1, 1}; // 1, 2, 3
        custom.count = 6;
        custom.sum = 2;
        try (Head head = Head.open(dir, HeadOptions.defaults())) {
            for (int i = 0; i < 300; i++) {
                Appender app = head.appender();
                app.appendHistogram(0, H, i % 7 == 0 ? i : 0, i * 15_000L, hist(i), null);
                app.appendHistogram(0, F, 0, i * 15_000L, null, hist(i).toFloat(null));
                if (i == 0) {
                    app.appendHistogram(0, nhcb, 0, 0, custom, null);
                }
                app.commit();
            }
        }
        assertThat(Files.list(dir.resolve(Head.CHUNKS_DIR)).count()).isPositive();
        try (Head head = Head.open(dir, HeadOptions.defaults())) {
            ReplayReport r = head.replayReport();
            assertThat(r.skippedRecords()).isZero();
            assertThat(r.mappedChunks()).as("histogram chunks m-mapped from chunks_head/").isPositive();
            assertThat(read(head, H)).isEqualTo(expected(300));
            List<Sample> f = read(head, F);
            assertThat(f).hasSize(300);
            assertThat(f.get(299).value()).isEqualTo(hist(299).toFloat(null).toString());
            assertThat(read(head, nhcb)).extracting(Sample::value).containsExactly(custom.toString());
            // Appending continues after the replayed samples, duplicates compared with the last histogram.
            Appender app = head.appender();
            app.appendHistogram(0, H, 0, 299 * 15_000L, hist(299), null);
            app.appendHistogram(0, H, 0, 300 * 15_000L, hist(300), null);
            app.commit();
            assertThat(read(head, H)).isEqualTo(expected(301));
        }
        // Every histogram record decodes; nothing is skipped.
        WalReplay.Stats stats = WalReplay.replay(dir.resolve(Head.WAL_DIR), null, new WalReplay.Handler() {
            @Override
            public boolean histograms(io.specula.tsdb.record.HistogramSamplesRecord r) {
                return true;
            }
        });
        assertThat(stats.skippedHistogramRecords()).isZero();
        assertThat(stats.histogramSamples()).isEqualTo(300 + 300 + 1 + 1); // the resend was not logged
    }

    @Test
    void restart_withReplayWorkers_andAfterCheckpoint(@TempDir Path dir) throws Exception {
        HeadOptions opts = HeadOptions.defaults().withReplayWorkers(2);
        try (Head head = Head.open(dir, opts)) {
            for (int i = 0; i < 600; i++) {
                Appender app = head.appender();
                app.appendHistogram(0, H, 0, i * 15_000L, hist(i), null);
                app.append(0, F, i * 15_000L, i);
                app.commit();
                if (i % 200 == 199) {
                    ((WalHeadLog) head.log).writer().nextSegment(); // segments a checkpoint can take
                }
            }
            head.truncate(300 * 15_000L); // checkpoints the older segments
        }
        try (Stream<Path> files = Files.list(dir.resolve(Head.WAL_DIR))) {
            assertThat(files.anyMatch(p -> p.getFileName().toString().startsWith("checkpoint."))).isTrue();
        }
        Files.walk(dir.resolve(Head.CHUNKS_DIR)).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        try (Head head = Head.open(dir, opts)) {
            assertThat(head.replayReport().skippedRecords()).isZero();
            List<Sample> got = read(head, H);
            assertThat(got).isEqualTo(expected(600).subList(300, 600));
        }
    }

    @Test
    void outOfOrderHistograms_goToOutOfOrderChunks_andComeBackFromTheWbl(@TempDir Path dir) throws Exception {
        HeadOptions opts = HeadOptions.defaults().withOutOfOrderTimeWindow(3_600_000);
        List<Sample> want = new ArrayList<>();
        try (Head head = Head.open(dir, opts)) {
            Appender app = head.appender();
            for (int i = 0; i < 40; i += 2) { // even steps in order
                app.appendHistogram(0, H, 0, i * 15_000L, hist(i), null);
                app.appendHistogram(0, F, 0, i * 15_000L, null, hist(i).toFloat(null));
            }
            app.commit();
            app = head.appender();
            for (int i = 1; i < 40; i += 2) { // odd steps afterwards: out of order
                app.appendHistogram(0, H, 0, i * 15_000L, hist(i), null);
                app.appendHistogram(0, F, 0, i * 15_000L, null, hist(i).toFloat(null));
            }
            app.commit();
            Appender late = head.appender();
            assertThatThrownBy(() -> late.appendHistogram(0, H, 0, 39 * 15_000L - 4_000_000, hist(1), null))
                    .isInstanceOf(AppendException.class).hasMessage("too old sample");
            late.rollback();
            assertThat(read(head, H)).isEqualTo(expected(40));
            List<Sample> f = read(head, F);
            assertThat(f).hasSize(40);
            assertThat(f.get(7).value()).isEqualTo(hist(7).toFloat(null).toString());
        }
        try (Stream<Path> files = Files.list(dir.resolve(Head.WBL_DIR))) {
            assertThat(files.count()).isPositive();
        }
        try (Head head = Head.open(dir, opts)) {
            assertThat(head.replayReport().skippedRecords()).isZero();
            assertThat(head.replayReport().outOfOrderSamples()).isEqualTo(38); // step 39 was in order
            assertThat(read(head, H)).isEqualTo(expected(40));
            assertThat(read(head, F)).extracting(Sample::type).containsOnly(ValueType.FLOAT_HISTOGRAM);
        }
    }
}
