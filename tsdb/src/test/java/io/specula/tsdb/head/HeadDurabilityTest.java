package io.specula.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import io.specula.tsdb.chunkenc.ChunkAppender;
import io.specula.tsdb.chunkenc.XorChunk;
import io.specula.tsdb.chunks.HeadChunkRepair;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.storage.ValueType;
import io.specula.tsdb.wal.Checkpoint;
import io.specula.tsdb.wal.SegmentFiles;
import io.specula.tsdb.wal.WalWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadDurabilityTest {
    private static final Matcher ALL = Matcher.of(MatchType.REGEX, "__name__", ".+");
    private static final long STEP = 15_000;

    @TempDir
    Path tmp;

    /** Small files, so that tests cross segment and chunk file boundaries. */
    static HeadOptions smallFiles() {
        return HeadOptions.defaults()
                .withWal(WalWriter.Options.defaults().withSegmentSize(64 * 1024))
                .withChunkFileSize(64 * 1024);
    }

    static Labels series(int i) {
        return Labels.of("__name__", "m" + (i % 3), "job", "j" + (i % 4), "i", Integer.toString(i));
    }

    static Map<Labels, List<long[]>> dump(Head head) {
        try (Querier q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            return HeadTest.dump(q, ALL);
        }
    }

    /** Appends {@code steps} scrapes of {@code n} series from step {@code from}; random-walk values, some stale markers. */
    static void append(Head head, int n, int from, int steps, Random rnd) throws IOException {
        long[] refs = new long[n];
        for (int k = from; k < from + steps; k++) {
            Appender app = head.appender();
            for (int i = 0; i < n; i++) {
                double v = switch (i % 3) {
                    case 0 -> k * 10 + rnd.nextInt(3);
                    case 1 -> rnd.nextGaussian();
                    default -> k % 50 == 0 ? Double.longBitsToDouble(0x7FF0000000000002L) : 7;
                };
                try {
                    refs[i] = app.append(refs[i], series(i), k * STEP, v);
                } catch (io.specula.tsdb.storage.AppendException e) {
                    throw new AssertionError(e);
                }
            }
            app.commit();
        }
    }

    static void assertSameData(Map<Labels, List<long[]>> got, Map<Labels, List<long[]>> want) {
        assertThat(got.keySet()).containsExactlyElementsOf(want.keySet());
        for (Labels l : want.keySet()) {
            assertThat(got.get(l)).as("%s", l).usingRecursiveComparison().isEqualTo(want.get(l));
        }
    }

    /** A copy of a live data directory: what a crash at this moment would leave (the WAL is flushed at commit). */
    static Path crashCopy(Path dir, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(dir.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }

    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void reopen_returnsIdenticalDataAndRefs_andNumberingContinues() throws Exception {
        Path dir = tmp.resolve("data");
        Map<Labels, List<long[]>> before;
        long[] refs = new long[60];
        try (Head head = Head.open(dir, smallFiles())) {
            append(head, 60, 0, 700, new Random(1)); // ~3h: several cut chunks per series
            before = dump(head);
            for (int i = 0; i < refs.length; i++) {
                refs[i] = head.series.byLabels(series(i)).ref;
            }
            assertThat(count(dir.resolve(Head.CHUNKS_DIR))).isGreaterThan(1);
        }
        List<ReplayProgress> progress = new ArrayList<>();
        int lastSegment = SegmentFiles.last(dir.resolve(Head.WAL_DIR));
        try (Head head = Head.open(dir, smallFiles().withProgress(progress::add))) {
            assertThat(((WalHeadLog) head.log).writer().segmentIndex()).as("appends go to a new segment").isEqualTo(lastSegment + 1);
            ReplayReport r = head.replayReport();
            assertThat(r.repaired()).isFalse();
            assertThat(r.mappedChunks()).isGreaterThan(60 * 4);
            assertThat(r.coveredSamples()).isGreaterThan(0); // samples the mapped chunks already held
            assertThat(r.series()).isEqualTo(60);
            assertSameData(dump(head), before);
            for (int i = 0; i < refs.length; i++) {
                assertThat(head.series.byLabels(series(i)).ref).isEqualTo(refs[i]);
            }
            assertThat(progress.getLast().phase()).isEqualTo(ReplayProgress.Phase.WAL);
            assertThat(progress.getLast().percent()).isEqualTo(100);
            assertThat(progress.getLast().total()).isEqualTo(r.walSegments()).isGreaterThan(1);

            Appender app = head.appender();
            long fresh = app.append(0, Labels.of("__name__", "new"), 700 * STEP, 1);
            app.append(refs[0], series(0), 700 * STEP, 1); // remembered refs still work
            app.commit();
            assertThat(fresh).isEqualTo(60 + 1);
            before = dump(head);
        }
        try (Head head = Head.open(dir, smallFiles())) {
            assertSameData(dump(head), before);
        }
    }

    @Test
    void reopen_withOneOrManyReplayWorkers_loadsTheSame() throws Exception {
        Path dir = tmp.resolve("data");
        Map<Labels, List<long[]>> before;
        try (Head head = Head.open(dir, smallFiles())) {
            append(head, 200, 0, 300, new Random(3));
            before = dump(head);
        }
        long[] counts = null;
        for (int workers : new int[] {1, 2, 5}) {
            // The directory changes on each open (a new WAL segment); copies keep the runs comparable.
            Path copy = tmp.resolve("copy-" + workers);
            copyTree(dir, copy);
            try (Head head = Head.open(copy, smallFiles().withReplayWorkers(workers))) {
                assertSameData(dump(head), before);
                ReplayReport r = head.replayReport();
                long[] c = {r.samples(), r.coveredSamples(), head.minTime(), head.maxTime(), r.series()};
                if (counts != null) {
                    assertThat(c).as("workers=%d", workers).containsExactly(counts);
                }
                counts = c;
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
    }

    @Test
    void truncate_checkpointsWal_deletesOldFiles_andReopenMatches() throws Exception {
        Path dir = tmp.resolve("data");
        long mint = 400 * STEP;
        Map<Labels, List<long[]>> before;
        try (Head head = Head.open(dir, smallFiles())) {
            append(head, 40, 0, 600, new Random(2));
            append(head, 5, 600, 300, new Random(3)); // series 5..39 stop: truncation collects them
            Path firstChunkFile = files(dir.resolve(Head.CHUNKS_DIR)).getFirst();
            int firstSegment = SegmentFiles.list(dir.resolve(Head.WAL_DIR))[0];
            assertThat(head.truncate(mint)).isEqualTo(0); // they still have samples after mint
            assertThat(head.truncate(650 * STEP)).isEqualTo(35);
            assertThat(head.numSeries()).isEqualTo(5);
            assertThat(Checkpoint.last(dir.resolve(Head.WAL_DIR))).isPresent();
            assertThat(SegmentFiles.list(dir.resolve(Head.WAL_DIR))[0]).isGreaterThan(firstSegment);
            assertThat(firstChunkFile).doesNotExist();
            before = dump(head);
            assertThat(before).hasSize(5);
            assertThat(before.values()).allMatch(s -> s.getFirst()[0] >= 600 * STEP);
        }
        try (Head head = Head.open(dir, smallFiles().withMinValidTime(650 * STEP))) {
            assertThat(head.replayReport().repaired()).isFalse();
            assertThat(head.numSeries()).isEqualTo(5);
            assertSameData(dump(head), before);
            // A second truncation folds the previous checkpoint into the next one.
            append(head, 5, 900, 200, new Random(4));
            head.truncate(1000 * STEP);
            before = dump(head);
            assertThat(Checkpoint.list(dir.resolve(Head.WAL_DIR))).hasSize(1);
        }
        try (Head head = Head.open(dir, smallFiles().withMinValidTime(1000 * STEP))) {
            assertSameData(dump(head), before);
        }
    }

    @Test
    void tornWalTail_isCutOff_andHeadOpensWithEverythingBefore() throws Exception {
        Path dir = tmp.resolve("data");
        Map<Labels, List<long[]>> committed;
        try (Head head = Head.open(dir, smallFiles())) {
            append(head, 10, 0, 50, new Random(5));
            committed = dump(head);
            append(head, 10, 50, 1, new Random(6)); // the batch the "crash" tears
            Path crashed = crashCopy(dir, tmp.resolve("crashed"));
            Path wal = crashed.resolve(Head.WAL_DIR);
            Path last = SegmentFiles.path(wal, SegmentFiles.last(wal));
            try (RandomAccessFile f = new RandomAccessFile(last.toFile(), "rw")) {
                f.setLength(f.length() - 20); // inside the last samples record
            }
            for (int attempt = 0; attempt < 2; attempt++) { // the repair is durable: the second start is clean
                try (Head reopened = Head.open(crashed, smallFiles())) {
                    ReplayReport r = reopened.replayReport();
                    assertThat(r.walRepair() != null).isEqualTo(attempt == 0);
                    if (attempt == 0) {
                        assertThat(r.walRepair().droppedBytes()).isGreaterThan(0);
                    }
                    assertSameData(dump(reopened), committed);
                }
            }
        }
    }

    @Test
    void corruptWalRecord_isCutOff_withLaterSegmentsDeleted() throws Exception {
        Path dir = tmp.resolve("data");
        try (Head head = Head.open(dir, smallFiles())) {
            append(head, 30, 0, 600, new Random(7)); // several segments
            Path crashed = crashCopy(dir, tmp.resolve("crashed"));
            Path wal = crashed.resolve(Head.WAL_DIR);
            int[] segs = SegmentFiles.list(wal);
            assertThat(segs.length).isGreaterThan(2);
            Path middle = SegmentFiles.path(wal, segs[1]);
            try (RandomAccessFile f = new RandomAccessFile(middle.toFile(), "rw")) {
                f.seek(1000);
                int b = f.read();
                f.seek(1000);
                f.write(b ^ 0x5A);
            }
            try (Head reopened = Head.open(crashed, smallFiles())) {
                ReplayReport r = reopened.replayReport();
                assertThat(r.walRepair()).isNotNull();
                assertThat(r.walRepair().segment()).isEqualTo(segs[1]);
                assertThat(r.walRepair().deletedSegments()).isNotEmpty();
                // Whatever survived is a prefix of what was appended: every series ends at the same step.
                Map<Labels, List<long[]>> got = dump(reopened);
                assertThat(got).isNotEmpty();
                assertThat(got.values().stream().map(s -> s.getLast()[0]).distinct()).hasSize(1);
            }
        }
    }

    @Test
    void tornHeadChunkTail_isCutOff_andTheWalFillsIn() throws Exception {
        Path dir = tmp.resolve("data");
        try (Head head = Head.open(dir, smallFiles())) {
            append(head, 30, 0, 500, new Random(8));
            Map<Labels, List<long[]>> committed = dump(head);
            head.chunks.disk().truncateBefore(Long.MIN_VALUE); // completes the current file: its bytes are all on disk
            Path crashed = crashCopy(dir, tmp.resolve("crashed"));
            Path chunksDir = crashed.resolve(Head.CHUNKS_DIR);
            List<Path> files = files(chunksDir);
            Path lastFull = files.get(files.size() - 2); // the last one is the new, empty current file
            try (RandomAccessFile f = new RandomAccessFile(lastFull.toFile(), "rw")) {
                f.setLength(f.length() - 3);
            }
            try (Head reopened = Head.open(crashed, smallFiles())) {
                ReplayReport r = reopened.replayReport();
                assertThat(r.chunkRepairs()).hasSize(1);
                assertThat(r.chunkRepairs().getFirst().action()).isEqualTo(HeadChunkRepair.Action.TRUNCATED);
                assertThat(r.walRepair()).isNull();
                assertSameData(dump(reopened), committed);
            }
        }
    }

    @Test
    void querier_pinsChunkFiles_againstTruncation() throws Exception {
        Path dir = tmp.resolve("data");
        try (Head head = Head.open(dir, smallFiles())) {
            append(head, 30, 0, 600, new Random(9));
            Map<Labels, List<long[]>> all = dump(head);
            Querier q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE);
            SeriesSet set = q.select(true, null, ALL);
            long filesBefore = count(dir.resolve(Head.CHUNKS_DIR));
            head.truncate(599 * STEP); // every cut chunk ends before: all their files may go
            assertThat(head.chunks.disk().fileCount()).isEqualTo(filesBefore + 1); // the new current file; none deleted yet
            int n = 0;
            SampleIterator it = null;
            while (set.next()) {
                it = set.at().iterator(it);
                List<long[]> got = new ArrayList<>();
                while (it.next() == ValueType.FLOAT) {
                    got.add(new long[] {it.atT(), Double.doubleToRawLongBits(it.atV())});
                }
                assertThat(it.err()).isNull();
                assertThat(got).usingRecursiveComparison().isEqualTo(all.get(set.at().labels()));
                n++;
            }
            assertThat(n).isEqualTo(30);
            q.close();
            assertThat(head.chunks.disk().fileCount()).isEqualTo(1);
            assertThat(count(dir.resolve(Head.CHUNKS_DIR))).isEqualTo(1);
        }
    }

    @Test
    void churn_withTruncation_keepsSeriesAndFilesBounded() throws Exception {
        Path dir = tmp.resolve("data");
        long range = Head.DEFAULT_CHUNK_RANGE;
        long scrape = 60_000;
        try (Head head = Head.open(dir, smallFiles())) {
            for (int gen = 0; gen < 12; gen++) { // every 2h, 100 new pods replace the last ones
                for (long t = gen * range; t < (gen + 1) * range; t += scrape) {
                    Appender app = head.appender();
                    for (int i = 0; i < 100; i++) {
                        app.append(0, Labels.of("__name__", "pod_up", "pod", "p" + gen + "-" + i), t, 1);
                    }
                    app.commit();
                }
                head.truncate(gen * range);
                assertThat(head.numSeries()).isEqualTo(100);
                assertThat(head.chunks.disk().fileCount()).isLessThanOrEqualTo(6);
                assertThat(count(dir.resolve(Head.WAL_DIR))).isLessThanOrEqualTo(8);
            }
            assertThat(head.chunkWriteFailures()).isZero();
            assertThat(head.postings.values("pod")).hasSize(100); // the index forgets churned series too
        }
        try (Head head = Head.open(dir, smallFiles().withMinValidTime(11 * range))) {
            assertThat(head.numSeries()).isEqualTo(100);
            assertThat(dump(head).keySet()).allMatch(l -> l.get("pod").startsWith("p11-"));
        }
    }

    @Test
    void seriesCreatedByAnUncommittedAppender_isLoggedByTheFirstCommitThatUsesIt() throws Exception {
        Path dir = tmp.resolve("data");
        try (Head head = Head.open(dir, smallFiles())) {
            Appender creator = head.appender();
            creator.append(0, series(1), 1000, 1); // creates the series; its record is not logged yet
            Appender other = head.appender();
            other.append(0, series(1), 2000, 2); // finds it by labels
            other.commit();
            creator.rollback();
            Path crashed = crashCopy(dir, tmp.resolve("crashed"));
            try (Head reopened = Head.open(crashed, smallFiles())) {
                assertThat(reopened.replayReport().unknownSeriesSamples()).isZero();
                assertThat(dump(reopened).get(series(1))).usingRecursiveComparison()
                        .isEqualTo(List.of(new long[] {2000, Double.doubleToRawLongBits(2)}));
            }
        }
    }

    @Test
    void duplicateAtLastTimestamp_ofASeriesEndingInAChunkFromDisk_isJudgedByTheStoredValue() throws Exception {
        HeadChunks chunks = new HeadChunks(null);
        XorChunk c = XorChunk.create();
        ChunkAppender app = c.appender();
        app.append(1000, 5);
        app.append(2000, 6);
        MemSeries s = new MemSeries(1, series(1));
        synchronized (s) {
            s.addMapped(chunks.put(1, 1000, 2000, c), 1000, 2000); // as after a restart: the value is not in memory
            assertThat(s.check(2000, 6, chunks)).isEqualTo(MemSeries.AppendCheck.DUPLICATE_SAME_VALUE);
            assertThat(s.check(2000, 5, chunks)).isEqualTo(MemSeries.AppendCheck.DUPLICATE);
            assertThat(s.check(1500, 5, chunks)).isEqualTo(MemSeries.AppendCheck.OUT_OF_ORDER);
            assertThat(s.check(2001, 5, chunks)).isEqualTo(MemSeries.AppendCheck.OK);
        }
    }
}
