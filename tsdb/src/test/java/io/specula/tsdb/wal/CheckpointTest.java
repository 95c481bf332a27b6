package io.specula.tsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.labels.Labels;
import io.specula.model.labels.SymbolTable;
import io.specula.tsdb.encoding.ByteArrayDataOutput;
import io.specula.tsdb.record.ExemplarsRecord;
import io.specula.tsdb.record.MetadataRecord;
import io.specula.tsdb.record.SamplesRecord;
import io.specula.tsdb.record.SeriesRecord;
import io.specula.tsdb.record.TombstonesRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointTest {
    private static final int SERIES = 100;

    @TempDir
    Path dir;

    /** Everything a replay delivered, flattened for assertions. */
    static final class Collected implements WalReplay.Handler {
        final Map<Long, Labels> series = new TreeMap<>();
        final List<long[]> samples = new ArrayList<>(); // ref, t, value bits
        final List<long[]> tombstones = new ArrayList<>();
        final List<long[]> exemplars = new ArrayList<>();
        final Map<Long, String> help = new TreeMap<>();
        final List<String> order = new ArrayList<>();
        final List<long[]> histograms = new ArrayList<>(); // ref, t
        int segmentsDone;

        @Override
        public boolean histograms(io.specula.tsdb.record.HistogramSamplesRecord r) {
            for (int i = 0; i < r.size(); i++) {
                histograms.add(new long[] {r.ref(i), r.t(i)});
            }
            return true;
        }

        @Override
        public void series(SeriesRecord r) {
            for (int i = 0; i < r.size(); i++) {
                series.put(r.ref(i), r.labels(i));
            }
            order.add("series");
        }

        @Override
        public void samples(SamplesRecord r) {
            for (int i = 0; i < r.size(); i++) {
                samples.add(new long[] {r.ref(i), r.t(i), Double.doubleToRawLongBits(r.v(i))});
            }
            order.add("samples");
        }

        @Override
        public void tombstones(TombstonesRecord r) {
            for (int i = 0; i < r.size(); i++) {
                tombstones.add(new long[] {r.ref(i), r.mint(i), r.maxt(i)});
            }
        }

        @Override
        public void exemplars(ExemplarsRecord r) {
            for (int i = 0; i < r.size(); i++) {
                exemplars.add(new long[] {r.ref(i), r.t(i)});
            }
        }

        @Override
        public void metadata(MetadataRecord r) {
            for (int i = 0; i < r.size(); i++) {
                help.put(r.ref(i), r.help(i));
            }
        }

        @Override
        public void segmentDone(Path file, int done, int total) {
            segmentsDone = done;
        }
    }

    /** Series 1..100, then per "scrape" t = 0, 100, …: one sample per series; extras along the way. */
    private void writeWal(WalWriter w, int fromT, int toT) throws IOException {
        ByteArrayDataOutput out = new ByteArrayDataOutput();
        if (fromT == 0) {
            SeriesRecord s = new SeriesRecord();
            for (int ref = 1; ref <= SERIES; ref++) {
                s.add(ref, Labels.of("__name__", "m", "i", Integer.toString(ref)));
            }
            s.encode(out);
            w.log(out);
            MetadataRecord m = new MetadataRecord();
            for (int ref = 1; ref <= SERIES; ref++) {
                m.add(ref, MetadataRecord.TYPE_GAUGE, "", "old help");
            }
            out.reset();
            m.encode(out);
            w.log(out);
        }
        SamplesRecord samples = new SamplesRecord();
        for (int t = fromT; t < toT; t += 100) {
            samples.clear();
            for (int ref = 1; ref <= SERIES; ref++) {
                samples.add(ref, t, ref + t / 100.0);
            }
            out.reset();
            samples.encode(out);
            w.log(out);
            if (t % 1000 == 0) {
                TombstonesRecord ts = new TombstonesRecord();
                ts.add(t / 100 + 1, t, t + 50);
                out.reset();
                ts.encode(out);
                ExemplarsRecord ex = new ExemplarsRecord();
                ex.add(2, t, 1, Labels.of("trace_id", "t" + t));
                ByteArrayDataOutput out2 = new ByteArrayDataOutput();
                ex.encode(out2);
                w.log(out, out2);
            }
            if (t % 700 == 0) {
                w.nextSegment();
            }
        }
        MetadataRecord m = new MetadataRecord();
        m.add(4, MetadataRecord.TYPE_GAUGE, "", "new help " + toT);
        out.reset();
        m.encode(out);
        w.log(out);
        // A native-histogram record (type 7) of series 2 at toT, and an unknown record type.
        io.specula.model.histogram.Histogram h = new io.specula.model.histogram.Histogram();
        h.count = 3;
        h.zeroCount = 3;
        h.sum = 1;
        io.specula.tsdb.encoding.ByteArrayDataOutput[] bufs = {new ByteArrayDataOutput(), new ByteArrayDataOutput(),
                new ByteArrayDataOutput(), new ByteArrayDataOutput()};
        io.specula.tsdb.record.HistogramSamplesRecord.encodeBatch(bufs, new long[] {2}, null, new long[] {toT},
                new io.specula.model.histogram.Histogram[] {h}, new io.specula.model.histogram.FloatHistogram[1], 1);
        w.log(bufs[0]);
        w.log(new byte[] {99, 0, 0}, 0, 3);
    }

    @ParameterizedTest(name = "snappy {0}")
    @ValueSource(booleans = {false, true})
    void create_keepsRequestedSeriesAndRecentData(boolean snappy) throws IOException {
        WalWriter.Options options = WalWriter.Options.defaults().withSegmentSize(4 * WalFormat.PAGE_SIZE).withSnappy(snappy);
        int last;
        try (WalWriter w = WalWriter.open(dir, options)) {
            writeWal(w, 0, 5000);
            last = w.nextSegment() - 1;
        }
        Checkpoint.Stats stats = Checkpoint.create(dir, 0, last, ref -> ref % 2 == 0, 2500, options);
        assertThat(stats.totalSeries()).isEqualTo(SERIES);
        assertThat(stats.droppedSeries()).isEqualTo(SERIES / 2);
        assertThat(stats.totalSamples()).isEqualTo(50L * SERIES + 1); // the histogram sample too
        assertThat(stats.droppedSamples()).isEqualTo(25L * SERIES);
        assertThat(stats.totalTombstones()).isEqualTo(5);
        assertThat(stats.droppedTombstones()).isEqualTo(3); // maxt 50, 1050, 2050 < 2500
        assertThat(stats.droppedExemplars()).isEqualTo(3);
        assertThat(stats.totalMetadata()).isEqualTo(SERIES + 1);
        assertThat(stats.droppedMetadata()).isEqualTo(SERIES + 1 - SERIES / 2);
        assertThat(stats.droppedOtherRecords()).isEqualTo(1);

        Path cp = dir.resolve("checkpoint." + WalFormat.segmentName(last));
        assertThat(Checkpoint.last(dir)).contains(new Checkpoint.Ref(cp, last));
        try (var ds = Files.list(dir)) {
            assertThat(ds.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }

        Collected c = new Collected();
        try (WalReader r = WalReader.open(cp)) {
            WalReplay.Stats rs = WalReplay.replay(r, new SymbolTable(), c);
            assertThat(rs.skippedHistogramRecords()).isZero();
            assertThat(rs.skippedOtherRecords()).isZero();
        }
        assertThat(c.histograms).extracting(h -> h[1]).containsExactly(5000L); // histograms are kept
        assertThat(c.series).hasSize(SERIES / 2).allSatisfy((ref, l) -> {
            assertThat(ref % 2).isZero();
            assertThat(l.get("i")).isEqualTo(Long.toString(ref));
        });
        assertThat(c.samples).hasSize(25 * SERIES).allSatisfy(s -> assertThat(s[1]).isGreaterThanOrEqualTo(2500));
        assertThat(c.tombstones).extracting(t -> t[2]).containsExactly(3050L, 4050L);
        assertThat(c.exemplars).extracting(e -> e[1]).containsExactly(3000L, 4000L);
        assertThat(c.help).hasSize(SERIES / 2).containsEntry(4L, "new help 5000").containsEntry(2L, "old help");
    }

    @Test
    void create_samplesV2_keepsStartTimesOfKeptSamples() throws IOException {
        WalWriter.Options options = WalWriter.Options.defaults();
        int last;
        try (WalWriter w = WalWriter.open(dir, options)) {
            ByteArrayDataOutput out = new ByteArrayDataOutput();
            SeriesRecord series = new SeriesRecord();
            series.add(1, Labels.of("__name__", "c_total"));
            series.encode(out);
            w.log(out);
            SamplesRecord samples = new SamplesRecord();
            for (int t = 0; t < 1000; t += 100) {
                samples.add(1, t % 300 == 0 ? 0 : t - 100 + 1, t, t);
            }
            out.reset();
            samples.encode(out);
            w.log(out);
            last = w.nextSegment() - 1;
        }
        Checkpoint.create(dir, 0, last, ref -> true, 500, options);
        List<long[]> kept = new ArrayList<>();
        try (WalReader r = WalReader.open(dir.resolve("checkpoint." + WalFormat.segmentName(last)))) {
            WalReplay.replay(r, null, new WalReplay.Handler() {
                @Override
                public void samples(SamplesRecord rec) {
                    for (int i = 0; i < rec.size(); i++) {
                        kept.add(new long[] {rec.t(i), rec.st(i)});
                    }
                }
            });
        }
        assertThat(kept).extracting(k -> k[0]).containsExactly(500L, 600L, 700L, 800L, 900L);
        assertThat(kept).extracting(k -> k[1]).containsExactly(401L, 0L, 601L, 701L, 0L);
    }

    @Test
    void replay_checkpointThenLaterSegments_inOrderAfterTruncation() throws IOException {
        WalWriter.Options options = WalWriter.Options.defaults().withSegmentSize(4 * WalFormat.PAGE_SIZE);
        int first;
        try (WalWriter w = WalWriter.open(dir, options)) {
            writeWal(w, 0, 3000);
            first = w.nextSegment() - 1;
            writeWal(w, 3000, 5000);
        }
        Checkpoint.create(dir, 0, first, ref -> ref <= 10, 2000, options);
        assertThat(SegmentFiles.deleteBefore(dir, first + 1)).isEqualTo(first + 1);

        Collected c = new Collected();
        WalReplay.Stats stats = WalReplay.replay(dir, null, c);
        assertThat(c.order.getFirst()).isEqualTo("series"); // the checkpoint's series come first
        assertThat(c.series).hasSize(10);
        // As in Prometheus, samples are filtered by time only (replay drops those of unknown
        // series): ten scrapes from 2000 in the checkpoint, then twenty after it.
        assertThat(c.samples).hasSize(10 * SERIES + 20 * SERIES);
        assertThat(c.samples.stream().mapToLong(s -> s[1])).isSorted();
        assertThat(stats.skippedHistogramRecords()).isZero();
        assertThat(c.histograms).extracting(h -> h[1]).containsExactly(3000L, 5000L); // checkpointed, then after it
        assertThat(stats.segments()).isEqualTo(c.segmentsDone);

        // A second checkpoint folds the first one in, then the first one can go.
        int last;
        try (WalWriter w = WalWriter.open(dir, options)) {
            last = w.segmentIndex() - 1;
        }
        Checkpoint.Stats second = Checkpoint.create(dir, 0, last, ref -> ref <= 5, 4000, options);
        assertThat(second.totalSeries()).isEqualTo(10); // only the first checkpoint's series records
        assertThat(Checkpoint.deleteBefore(dir, last)).isEqualTo(1);
        assertThat(Checkpoint.list(dir)).extracting(Checkpoint.Ref::index).containsExactly(last);
        SegmentFiles.deleteBefore(dir, last + 1);

        Collected c2 = new Collected();
        WalReplay.replay(dir, null, c2);
        assertThat(c2.series.keySet()).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(c2.samples).hasSize(10 * SERIES).allSatisfy(s -> assertThat(s[1]).isGreaterThanOrEqualTo(4000));
    }

    @Test
    void create_leftoverTemporaryDirectory_isDeleted() throws IOException {
        try (WalWriter w = WalWriter.open(dir)) {
            writeWal(w, 0, 500);
        }
        Path stale = Files.createDirectories(dir.resolve("checkpoint.00000007.tmp"));
        Files.write(stale.resolve("00000000"), new byte[] {1, 2, 3});
        Checkpoint.create(dir, 0, 0, ref -> true, 0, WalWriter.Options.defaults());
        assertThat(stale).doesNotExist();
        assertThat(Checkpoint.last(dir)).map(Checkpoint.Ref::index).contains(0);
    }

    @Test
    void create_gapAfterLastCheckpoint_refused() throws IOException {
        try (WalWriter w = WalWriter.open(dir)) {
            writeWal(w, 0, 800);
        }
        Checkpoint.create(dir, 0, 0, ref -> true, 0, WalWriter.Options.defaults());
        assertThatThrownBy(() -> Checkpoint.create(dir, 3, 4, ref -> true, 0, WalWriter.Options.defaults()))
                .hasMessageContaining("gap");
    }

    @Test
    void create_corruptSegment_failsAndLeavesNoCheckpoint() throws IOException {
        try (WalWriter w = WalWriter.open(dir)) {
            writeWal(w, 0, 500);
        }
        Path seg = SegmentFiles.path(dir, 0);
        byte[] b = Files.readAllBytes(seg);
        b[100] ^= 0x55;
        Files.write(seg, b);
        assertThatThrownBy(() -> Checkpoint.create(dir, 0, 0, ref -> true, 0, WalWriter.Options.defaults()))
                .hasMessageContaining("checksum");
        assertThat(Checkpoint.list(dir)).isEmpty();
        try (var ds = Files.list(dir)) {
            assertThat(ds.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("checkpoint"));
        }
    }

    @Test
    void openForReplay_missingSegmentAfterCheckpoint_refused() throws IOException {
        try (WalWriter w = WalWriter.open(dir)) {
            writeWal(w, 0, 1500); // cuts at 0, 700, 1400
        }
        Checkpoint.create(dir, 0, 0, ref -> true, 0, WalWriter.Options.defaults());
        SegmentFiles.deleteBefore(dir, 2); // deletes segment 1 too, which the checkpoint does not cover
        assertThatThrownBy(() -> WalReader.openForReplay(dir)).hasMessageContaining("00000001").hasMessageContaining("missing");
    }
}
