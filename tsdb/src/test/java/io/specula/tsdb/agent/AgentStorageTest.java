package io.specula.tsdb.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.labels.Labels;
import io.specula.tsdb.record.RecordType;
import io.specula.tsdb.record.SamplesRecord;
import io.specula.tsdb.record.SeriesRecord;
import io.specula.tsdb.storage.AppendException;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.wal.WalReader;
import io.specula.tsdb.wal.WalWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentStorageTest {
    @TempDir
    Path dir;

    static final Labels A = Labels.of("__name__", "up", "job", "a");
    static final Labels B = Labels.of("__name__", "up", "job", "b");

    /** Every series and sample in the WAL (checkpoint first), as "ref labels" and "ref t v" lines. */
    List<String> walContents() throws Exception {
        List<String> out = new ArrayList<>();
        SeriesRecord sr = new SeriesRecord();
        SamplesRecord sm = new SamplesRecord();
        try (WalReader r = WalReader.openForReplay(dir.resolve("wal"))) {
            while (r.next()) {
                RecordType type = RecordType.of(r.record(), r.recordLength());
                if (type == RecordType.SERIES) {
                    sr.decode(r.record(), r.recordLength());
                    for (int i = 0; i < sr.size(); i++) {
                        out.add(sr.ref(i) + " " + sr.labels(i));
                    }
                } else if (type == RecordType.SAMPLES) {
                    sm.decode(r.record(), r.recordLength());
                    for (int i = 0; i < sm.size(); i++) {
                        out.add(sm.ref(i) + " " + sm.t(i) + " " + sm.v(i));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void commit_writesSeriesThenSamples_inTheTsdbWalFormat_andNoBlocks() throws Exception {
        try (AgentStorage s = AgentStorage.open(dir, WalWriter.Options.defaults())) {
            Appender app = s.appender();
            long ra = app.append(0, A, 1000, 1);
            app.append(0, B, 1000, 2);
            app.commit();
            app = s.appender();
            assertThat(app.append(ra, A, 2000, 3)).isEqualTo(ra);
            app.commit();
            assertThat(s.numSeries()).isEqualTo(2);
            assertThat(s.samplesAppended()).isEqualTo(3);
        }
        assertThat(walContents()).containsExactly("1 " + A, "2 " + B, "1 1000 1.0", "2 1000 2.0", "1 2000 3.0");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("wal");
        }
    }

    @Test
    void append_outOfOrderPerSeries_isRefused_rollbackWritesNothing() throws Exception {
        try (AgentStorage s = AgentStorage.open(dir, WalWriter.Options.defaults())) {
            Appender app = s.appender();
            app.append(0, A, 2000, 1);
            app.commit();
            Appender late = s.appender();
            assertThatThrownBy(() -> late.append(0, A, 1000, 1)).isInstanceOf(AppendException.class).hasMessage("out of order sample");
            Appender dropped = s.appender();
            dropped.append(0, B, 3000, 1);
            dropped.rollback();
        }
        assertThat(walContents()).containsExactly("1 " + A, "1 2000 1.0");
    }

    @Test
    void reopen_keepsReferences() throws Exception {
        try (AgentStorage s = AgentStorage.open(dir, WalWriter.Options.defaults())) {
            Appender app = s.appender();
            app.append(0, A, 1000, 1);
            app.append(0, B, 1000, 1);
            app.commit();
        }
        try (AgentStorage s = AgentStorage.open(dir, WalWriter.Options.defaults())) {
            Appender app = s.appender();
            assertThat(app.append(0, B, 2000, 1)).isEqualTo(2);
            assertThat(app.append(0, Labels.of("__name__", "new"), 2000, 1)).isEqualTo(3);
            app.commit();
        }
    }

    @Test
    void truncate_checkpointsLiveSeries_andDeletesOldSegments() throws Exception {
        try (AgentStorage s = AgentStorage.open(dir, WalWriter.Options.defaults())) {
            Appender app = s.appender();
            app.append(0, A, 1000, 1);
            app.append(0, B, 5000, 1);
            app.commit();
            assertThat(s.truncate(3000)).isEqualTo(1);
            assertThat(s.numSeries()).isEqualTo(1);
            app = s.appender();
            app.append(0, B, 6000, 2);
            app.commit();
        }
        // A and its sample are gone; B's series survives in the checkpoint, its old sample too (>= mint).
        assertThat(walContents()).containsExactly("2 " + B, "2 5000 1.0", "2 6000 2.0");
        try (Stream<Path> files = Files.list(dir.resolve("wal"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("00000001", "checkpoint.00000000");
        }
    }

    @Test
    void histogramsAndExemplars_loggedAsTsdbRecords_repeatsOnce_orderKeptAcrossRestart() throws Exception {
        io.specula.model.histogram.Histogram h = new io.specula.model.histogram.Histogram();
        h.schema = 0;
        h.count = 3;
        h.sum = 4.5;
        h.positiveSpans = new int[] {0, 2};
        h.positiveBuckets = new long[] {1, 1};
        Labels hl = Labels.of("__name__", "lat", "job", "a");
        Labels ex = Labels.of("trace_id", "t1");
        try (AgentStorage s = AgentStorage.open(dir, WalWriter.Options.defaults())) {
            for (long t = 1000; t <= 3000; t += 1000) {
                Appender app = s.appender();
                long ref = app.appendHistogram(0, hl, 0, t, h, null);
                app.appendExemplar(ref, hl, ex, false, t, 1.5); // a scrape repeats the exemplar without a time
                app.commit();
            }
        }
        int histograms = 0;
        List<String> exemplars = new ArrayList<>();
        io.specula.tsdb.record.HistogramSamplesRecord hr = new io.specula.tsdb.record.HistogramSamplesRecord();
        io.specula.tsdb.record.ExemplarsRecord er = new io.specula.tsdb.record.ExemplarsRecord();
        try (WalReader r = WalReader.openForReplay(dir.resolve("wal"))) {
            while (r.next()) {
                RecordType type = RecordType.of(r.record(), r.recordLength());
                if (io.specula.tsdb.record.HistogramSamplesRecord.isHistogramRecord(r.record(), r.recordLength())) {
                    hr.decode(r.record(), r.recordLength());
                    for (int i = 0; i < hr.size(); i++) {
                        assertThat(hr.histogram(i).count).isEqualTo(3);
                        assertThat(hr.histogram(i).positiveBuckets).containsExactly(1, 1);
                        histograms++;
                    }
                } else if (type == RecordType.EXEMPLARS) {
                    er.decode(r.record(), r.recordLength());
                    for (int i = 0; i < er.size(); i++) {
                        exemplars.add(er.t(i) + " " + er.v(i) + " " + er.labels(i));
                    }
                }
            }
        }
        assertThat(histograms).isEqualTo(3);
        assertThat(exemplars).containsExactly("1000 1.5 {trace_id=\"t1\"}");
        try (AgentStorage s = AgentStorage.open(dir, WalWriter.Options.defaults())) {
            Appender app = s.appender();
            assertThatThrownBy(() -> app.appendHistogram(0, hl, 0, 2000, h, null)).isInstanceOf(AppendException.class)
                    .hasMessageContaining("out of order");
            app.rollback();
        }
    }
}
