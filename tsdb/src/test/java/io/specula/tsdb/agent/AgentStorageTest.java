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
}
