package io.specula.tsdb.block;

import io.specula.tsdb.fileutil.FileUtil;
import static io.specula.tsdb.block.TestSamples.all;
import static io.specula.tsdb.block.TestSamples.collect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.labels.Labels;
import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SelectHints;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.storage.ValueType;
import io.specula.tsdb.tombstones.TombstonesFormat;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlockTest {
    private static final long H2 = 2 * 3600_000L;
    private static final long T0 = 1_700_000_000_000L / H2 * H2;

    @TempDir
    Path tmp;

    private Block writeAndOpen(Map<Labels, List<String>> data, long mint, long maxt) throws Exception {
        Head head = TestSamples.head(data);
        Ulid id = Ulid.random(T0, new Random(1));
        BlockMeta meta = BlockWriter.write(tmp, id, mint, maxt, head.querier(Long.MIN_VALUE, Long.MAX_VALUE).select(true, null), null);
        assertThat(meta).isNotNull();
        return Block.open(tmp.resolve(id.toString()));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void write_thenQuery_returnsExactlyTheSamplesInRange(long seed) throws Exception {
        Map<Labels, List<String>> data = TestSamples.generate(new Random(seed), 40, T0 - 600_000, H2 + 1_200_000);
        Map<Labels, List<String>> expected = TestSamples.range(data, T0, T0 + H2);
        try (Block b = writeAndOpen(data, T0, T0 + H2); Querier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            assertThat(all(q)).isEqualTo(expected);
            BlockMeta m = b.meta();
            assertThat(m.minTime()).isEqualTo(T0);
            assertThat(m.maxTime()).isEqualTo(T0 + H2);
            assertThat(m.stats().numSamples()).isEqualTo(TestSamples.count(expected));
            assertThat(m.stats().numSeries()).isEqualTo(expected.size());
            long chunks = expected.values().stream().mapToLong(s -> (s.size() + 119) / 120).sum();
            assertThat(m.stats().numChunks()).isEqualTo(chunks);
            assertThat(m.compaction().level()).isEqualTo(1);
            assertThat(m.compaction().sources()).containsExactly(m.ulid());
            assertThat(BlockMetaFormat.read(b.dir())).isEqualTo(m);
            assertThat(b.sizeBytes()).isPositive();
            b.verify();
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp-for-creation"));
        }
    }

    @Test
    void write_noSamplesInRange_writesNothing() throws Exception {
        Map<Labels, List<String>> data = TestSamples.generate(new Random(4), 3, T0, 1000);
        Head head = TestSamples.head(data);
        BlockMeta meta = BlockWriter.write(tmp, Ulid.random(T0, new Random(1)), T0 + H2, T0 + 2 * H2,
                head.querier(Long.MIN_VALUE, Long.MAX_VALUE).select(true, null), null);
        assertThat(meta).isNull();
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void select_matchersHintsAndSeek() throws Exception {
        Map<Labels, List<String>> data = TestSamples.generate(new Random(5), 30, T0, H2);
        try (Block b = writeAndOpen(data, T0, T0 + H2); Querier q = b.querier(T0 + 1000, T0 + 3_600_000)) {
            Map<Labels, List<String>> want = new TreeMap<>();
            TestSamples.range(data, T0 + 1000, T0 + 3_600_001).forEach((l, s) -> {
                if (l.get("job").equals("é") && !l.get("__name__").equals("m1")) {
                    want.put(l, s);
                }
            });
            assertThat(collect(q.select(false, null, Matcher.of(MatchType.EQUAL, "job", "é"), Matcher.of(MatchType.NOT_EQUAL, "__name__", "m1"))))
                    .isEqualTo(want);
            assertThat(q.labelValues("job")).containsExactly("a", "é");
            assertThat(q.labelNames()).containsExactly("__name__", "instance", "job");
            assertThat(q.labelValues("__name__", Matcher.of(MatchType.EQUAL, "instance", "i4"))).containsExactly("m1");

            SelectHints hints = new SelectHints(T0 + 1_800_000, T0 + 1_900_000, 0, null, 0);
            assertThat(collect(q.select(true, hints))).isEqualTo(TestSamples.range(data, T0 + 1_800_000, T0 + 1_900_001));

            // seek to every recorded timestamp of one long series lands exactly there
            Labels l = want.keySet().iterator().next();
            List<String> samples = TestSamples.range(data, T0 + 1000, T0 + 3_600_001).get(l);
            SeriesSet set = q.select(true, null, Matcher.of(MatchType.EQUAL, "instance", l.get("instance")));
            assertThat(set.next()).isTrue();
            SampleIterator it = set.at().iterator(null);
            for (int i = 0; i < samples.size(); i += 7) {
                assertThat(it.seek(TestSamples.time(samples.get(i)))).isEqualTo(ValueType.FLOAT);
                assertThat(TestSamples.sample(it.atT(), it.atV())).isEqualTo(samples.get(i));
            }
            assertThat(it.seek(Long.MAX_VALUE)).isEqualTo(ValueType.NONE);
        }
    }

    @Test
    void delete_hidesIntervalsAndPersistsTombstones() throws Exception {
        Map<Labels, List<String>> data = TestSamples.generate(new Random(6), 20, T0, H2);
        Matcher job = Matcher.of(MatchType.EQUAL, "job", "a");
        long dmin = T0 + 600_000, dmax = T0 + 1_200_000;
        Map<Labels, List<String>> want = new TreeMap<>();
        data.forEach((l, s) -> {
            List<String> kept = l.get("job").equals("a")
                    ? s.stream().filter(x -> TestSamples.time(x) < dmin || TestSamples.time(x) > dmax).toList() : s;
            if (!kept.isEmpty()) {
                want.put(l, kept);
            }
        });
        Path dir;
        try (Block b = writeAndOpen(data, T0, T0 + H2)) {
            dir = b.dir();
            Querier before = b.querier(Long.MIN_VALUE, Long.MAX_VALUE);
            assertThat(b.delete(dmin, dmax, job)).isEqualTo(10);
            assertThat(b.delete(dmin + 10, dmax - 10, job)).isEqualTo(10); // inside the first: merged
            assertThat(all(before)).as("a querier keeps its snapshot").isEqualTo(data);
            before.close();
            try (Querier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                assertThat(all(q)).isEqualTo(want);
            }
            assertThat(b.meta().stats().numTombstones()).isEqualTo(10);
        }
        assertThat(TombstonesFormat.read(dir).seriesCount()).isEqualTo(10);
        try (Block b = Block.open(dir); Querier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            assertThat(all(q)).as("after reopening").isEqualTo(want);
            assertThat(b.meta().stats().numTombstones()).isEqualTo(10);
            // deleting everything hides the series completely
            b.delete(Long.MIN_VALUE, Long.MAX_VALUE);
            try (Querier q2 = b.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                assertThat(all(q2)).isEmpty();
            }
        }
    }

    @Test
    void close_withOpenQuerier_releasesAfterLastQuerierCloses() throws Exception {
        Map<Labels, List<String>> data = TestSamples.generate(new Random(7), 5, T0, H2);
        Block b = writeAndOpen(data, T0, T0 + H2);
        Querier q1 = b.querier(Long.MIN_VALUE, Long.MAX_VALUE);
        Querier q2 = b.querier(Long.MIN_VALUE, Long.MAX_VALUE);
        assertThat(b.pinCount()).isEqualTo(2);
        b.close();
        assertThat(b.isReleased()).isFalse();
        assertThatThrownBy(() -> b.querier(0, 1)).isInstanceOf(IllegalStateException.class);
        assertThat(all(q1)).as("still readable after block close").isEqualTo(data);
        q1.close();
        q1.close(); // idempotent: must not unpin twice
        assertThat(b.isReleased()).isFalse();
        assertThat(all(q2)).isEqualTo(data);
        q2.close();
        assertThat(b.isReleased()).isTrue();
        assertThat(b.pinCount()).isZero();
    }

    @Test
    void close_racingWithQueriers_neverUnmapsUnderAReader() throws Exception {
        Map<Labels, List<String>> data = TestSamples.generate(new Random(10), 10, T0, H2);
        Block b = writeAndOpen(data, T0, T0 + H2);
        int threads = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(threads);
        List<java.util.concurrent.Future<Integer>> reads = new java.util.ArrayList<>();
        for (int i = 0; i < threads; i++) {
            reads.add(pool.submit(() -> {
                int done = 0;
                started.countDown();
                while (true) {
                    Querier q;
                    try {
                        q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE);
                    } catch (IllegalStateException closed) {
                        return done;
                    }
                    try (q) {
                        assertThat(all(q)).isEqualTo(data); // a pinned block is complete, whatever close() did
                    }
                    done++;
                }
            }));
        }
        started.await();
        Thread.sleep(50);
        b.close();
        int total = 0;
        for (var f : reads) {
            total += f.get();
        }
        pool.shutdown();
        assertThat(total).isPositive();
        assertThat(b.isReleased()).isTrue();
        assertThat(b.pinCount()).isZero();
    }

    @Test
    void snapshot_keepsTheStateOfItsMoment() throws Exception {
        Map<Labels, List<String>> data = TestSamples.generate(new Random(11), 8, T0, H2);
        Path snap = tmp.resolve("snapshots");
        Path dir;
        try (Block b = writeAndOpen(data, T0, T0 + H2)) {
            dir = b.snapshot(snap);
            assertThat(dir).isEqualTo(snap.resolve(b.meta().ulid().toString()));
            assertThat(dir.resolve("chunks").resolve("000001")).exists();
            b.delete(Long.MIN_VALUE, Long.MAX_VALUE); // later deletions do not reach the snapshot
            try (Querier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                assertThat(all(q)).isEmpty();
            }
            FileUtil.deleteRecursively(b.dir()); // nor does deleting the block (mappings stay valid)
        }
        try (Block s = Block.open(dir); Querier q = s.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            assertThat(all(q)).isEqualTo(data);
            s.verify();
        }
    }

    @Test
    void open_corruptIndex_namesFileAndOffset() throws Exception {
        Map<Labels, List<String>> data = TestSamples.generate(new Random(8), 5, T0, H2);
        Path dir;
        try (Block b = writeAndOpen(data, T0, T0 + H2)) {
            dir = b.dir();
        }
        Path index = dir.resolve("index");
        try (RandomAccessFile f = new RandomAccessFile(index.toFile(), "rw")) {
            f.seek(0);
            f.write(0); // break the magic number
        }
        assertThatThrownBy(() -> Block.open(dir)).isInstanceOf(CorruptionException.class)
                .hasMessageContaining(index.toString()).satisfies(e -> assertThat(((CorruptionException) e).offset()).isZero());
    }

    @Test
    void verify_corruptChunk_namesFileAndOffset() throws Exception {
        Map<Labels, List<String>> data = TestSamples.generate(new Random(9), 5, T0, H2);
        Path dir;
        try (Block b = writeAndOpen(data, T0, T0 + H2)) {
            dir = b.dir();
        }
        Path seg = dir.resolve("chunks").resolve("000001");
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(20);
            f.write(~f.read());
        }
        try (Block b = Block.open(dir)) {
            assertThatThrownBy(b::verify).isInstanceOf(CorruptionException.class).hasMessageContaining(seg.toString());
        }
    }

    @Test
    void open_missingMeta_failsNamingFile() throws Exception {
        Files.createDirectories(tmp.resolve("x"));
        assertThatThrownBy(() -> Block.open(tmp.resolve("x"))).hasMessageContaining("meta.json");
    }
}
