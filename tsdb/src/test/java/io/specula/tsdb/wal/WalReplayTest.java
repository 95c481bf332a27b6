package io.specula.tsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.labels.Labels;
import io.specula.tsdb.encoding.ByteArrayDataOutput;
import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.record.SamplesRecord;
import io.specula.tsdb.record.SeriesRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalReplayTest {
    @TempDir
    Path dir;

    private static byte[] seriesRecord(long ref, String name) {
        SeriesRecord s = new SeriesRecord();
        s.add(ref, Labels.of("__name__", name));
        ByteArrayDataOutput out = new ByteArrayDataOutput();
        s.encode(out);
        return out.toByteArray();
    }

    private static byte[] samplesRecord(long ref, long t) {
        SamplesRecord s = new SamplesRecord();
        s.add(ref, t, 1);
        ByteArrayDataOutput out = new ByteArrayDataOutput();
        s.encode(out);
        return out.toByteArray();
    }

    @Test
    void replay_histogramAndUnknownRecords_skippedAndCounted_samplesV2Read() throws IOException {
        SamplesRecord v2 = new SamplesRecord();
        v2.add(1, 5, 20, 2);
        ByteArrayDataOutput v2Bytes = new ByteArrayDataOutput();
        v2.encode(v2Bytes);
        try (WalWriter w = WalWriter.open(dir)) {
            // An empty histogram record (7) and an empty float histogram record (8): valid, no samples.
            w.log(seriesRecord(1, "a"), new byte[] {7}, new byte[] {8}, v2Bytes.toByteArray(), new byte[] {99},
                    samplesRecord(1, 10));
        }
        List<Long> starts = new ArrayList<>();
        WalReplay.Stats stats = WalReplay.replay(dir, null, new WalReplay.Handler() {
            @Override
            public void samples(SamplesRecord r) {
                starts.add(r.st(0));
            }
        });
        assertThat(stats.records()).isEqualTo(6);
        assertThat(stats.series()).isEqualTo(1);
        assertThat(stats.samples()).isEqualTo(2);
        assertThat(stats.skippedHistogramRecords()).isEqualTo(2);
        assertThat(stats.skippedOtherRecords()).isEqualTo(1); // the unknown type
        assertThat(starts).containsExactly(5L, 0L);
    }

    @Test
    void replay_undecodableRecord_reportsItsSegmentAndOffset_repairCutsThere() throws IOException {
        long offset;
        try (WalWriter w = WalWriter.open(dir)) {
            w.log(seriesRecord(1, "a"), samplesRecord(1, 10));
            w.nextSegment();
            w.log(samplesRecord(1, 20));
            offset = w.segmentOffset();
            byte[] bad = samplesRecord(1, 30);
            w.log(bad, 0, bad.length - 2); // checksum fine, content truncated
            w.log(samplesRecord(1, 40));
        }
        CorruptionException e = null;
        try {
            WalReplay.replay(dir, null, new WalReplay.Handler() {});
        } catch (CorruptionException c) {
            e = c;
        }
        assertThat(e).isNotNull();
        assertThat(e.file()).isEqualTo(SegmentFiles.path(dir, 1).toString());
        assertThat(e.offset()).isEqualTo(offset);
        assertThat(e.getMessage()).contains("undecodable samples record");

        WalRepair.repair(dir, e);
        List<Long> ts = new ArrayList<>();
        WalReplay.replay(dir, null, new WalReplay.Handler() {
            @Override
            public void samples(SamplesRecord r) {
                ts.add(r.t(0));
            }
        });
        assertThat(ts).containsExactly(10L, 20L);
    }

    @Test
    void replay_handlerException_passesThroughUnwrapped() throws IOException {
        try (WalWriter w = WalWriter.open(dir)) {
            w.log(samplesRecord(1, 10));
        }
        CorruptionException own = new CorruptionException("elsewhere", 5, "handler's own");
        assertThatThrownBy(() -> WalReplay.replay(dir, null, new WalReplay.Handler() {
            @Override
            public void samples(SamplesRecord r) throws CorruptionException {
                throw own;
            }
        })).isSameAs(own);
    }

    @Test
    void replay_missingDirectory_noRecords() throws IOException {
        WalReplay.Stats stats = WalReplay.replay(dir.resolve("wal"), null, new WalReplay.Handler() {});
        assertThat(stats.records()).isZero();
        assertThat(stats.segments()).isZero();
    }

    @Test
    void next_afterCorruption_keepsThrowingIt() throws IOException {
        try (WalWriter w = WalWriter.open(dir)) {
            w.log(samplesRecord(1, 10));
        }
        Path seg = SegmentFiles.path(dir, 0);
        byte[] b = Files.readAllBytes(seg);
        b[10] ^= 1;
        Files.write(seg, b);
        try (WalReader r = WalReader.open(dir)) {
            CorruptionException first = null;
            try {
                r.next();
            } catch (CorruptionException e) {
                first = e;
            }
            assertThat(first).isNotNull();
            assertThatThrownBy(r::next).isSameAs(first);
        }
    }

    /** Entries of /proc/self/fd and lines of /proc/self/maps that point into {@code dir}. */
    private long openHandlesAndMappings() throws IOException {
        long n = 0;
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).startsWith(dir)) {
                        n++;
                    }
                } catch (IOException gone) {
                    // the descriptor of the listing itself
                }
            }
        }
        String realDir = dir.toRealPath().toString();
        n += Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.contains(realDir)).count();
        return n;
    }

    @Test
    void readersWritersAndCheckpoints_closed_leaveNoFileHandleOrMapping() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux /proc to count file handles");
        long before = openHandlesAndMappings();
        WalWriter.Options options = WalWriter.Options.defaults().withSegmentSize(WalFormat.PAGE_SIZE);
        for (int round = 0; round < 5; round++) {
            try (WalWriter w = WalWriter.open(dir, options)) {
                for (int i = 0; i < 50; i++) {
                    w.log(seriesRecord(i, "m" + i), samplesRecord(i, round * 100 + i));
                }
            }
            try (WalReader r = WalReader.openForReplay(dir)) {
                while (r.next()) {
                    // map and unmap every segment
                }
            }
            int last = SegmentFiles.last(dir);
            Checkpoint.create(dir, 0, last - 1, ref -> ref % 2 == 0, 0, options);
            SegmentFiles.deleteBefore(dir, last);
            Checkpoint.deleteBefore(dir, last - 1);
            // A reader abandoned half way through still releases its segment on close.
            WalReader half = WalReader.openForReplay(dir);
            half.next();
            half.close();
        }
        assertThat(openHandlesAndMappings()).isEqualTo(before);
    }
}
