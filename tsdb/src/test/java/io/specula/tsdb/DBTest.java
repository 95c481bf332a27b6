package io.specula.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.labels.Labels;
import io.specula.tsdb.block.Block;
import io.specula.tsdb.block.Ulid;
import io.specula.tsdb.storage.Appender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DBTest {
    private static final long H = 3_600_000L;
    private static final long STEP = 15_000L;

    @TempDir
    Path dir;

    private static DB.Options options(long retention) {
        return new DB.Options(2 * H, 36 * H, retention, 0);
    }

    /** Appends 10 series every 15 s over [from, to); value = t / 1000 + series. */
    private static void fill(DB db, long from, long to) throws Exception {
        for (long t = from; t < to; t += STEP) {
            Appender app = db.appender();
            for (int s = 0; s < 10; s++) {
                app.append(0, Labels.of("__name__", "m", "s", Integer.toString(s)), t, t / 1000.0 + s);
            }
            app.commit();
        }
    }

    private static Map<String, Integer> counts(DB db, long mint, long maxt) throws Exception {
        return DBTestSupport.counts(db, mint, maxt);
    }

    @Test
    void compact_cutsHeadIntoBlocks_andQueriesSeeEverythingOnce() throws Exception {
        try (DB db = DB.open(dir, options(0))) {
            fill(db, 0, 5 * H);
            assertThat(db.compact()).isEqualTo(1);
            assertThat(db.blocks()).hasSize(1);
            assertThat(db.blocks().get(0).meta().minTime()).isZero();
            assertThat(db.blocks().get(0).meta().maxTime()).isEqualTo(2 * H);
            assertThat(counts(db, 0, 5 * H)).hasSize(10).allSatisfy((s, n) -> assertThat(n).isEqualTo(1200));
            assertThat(counts(db, H, 3 * H - 1)).allSatisfy((s, n) -> assertThat(n).isEqualTo(480));
        }
        try (DB db = DB.open(dir, options(0))) { // blocks and head (WAL) come back
            assertThat(db.blocks()).hasSize(1);
            assertThat(counts(db, 0, 5 * H)).allSatisfy((s, n) -> assertThat(n).isEqualTo(1200));
        }
    }

    @Test
    void open_walCompression_writesSmallerWalThatReplays(@TempDir Path plainDir) throws Exception {
        try (DB db = DB.open(dir, options(0).withWalCompression(true)); DB plain = DB.open(plainDir, options(0))) {
            for (long t = 0; t < H; t += STEP) { // 500 series: records large enough for Snappy to matter
                Appender a = db.appender();
                Appender b = plain.appender();
                for (int i = 0; i < 500; i++) {
                    Labels ls = Labels.of("__name__", "node_cpu_seconds_total", "mode", "idle", "s", Integer.toString(i));
                    a.append(0, ls, t, t / 1000.0 + i);
                    b.append(0, ls, t, t / 1000.0 + i);
                }
                a.commit();
                b.commit();
            }
        }
        assertThat(walBytes(dir)).isLessThan(walBytes(plainDir) * 3 / 4);
        try (DB db = DB.open(dir, options(0))) { // replay reads compressed records whatever the option
            assertThat(counts(db, 0, H)).hasSize(500).allSatisfy((s, n) -> assertThat(n).isEqualTo(240));
        }
    }

    private static long walBytes(Path dataDir) throws Exception {
        try (var files = java.nio.file.Files.list(dataDir.resolve("wal"))) {
            long sum = 0;
            for (Path f : files.toList()) {
                if (java.nio.file.Files.isRegularFile(f)) {
                    sum += java.nio.file.Files.size(f);
                }
            }
            return sum;
        }
    }

    @Test
    void compact_mergesLevelsAndAppliesRetention() throws Exception {
        try (DB db = DB.open(dir, options(0))) {
            fill(db, 0, 10 * H);
            db.compact();
            List<long[]> ranges = new ArrayList<>();
            for (Block b : db.blocks()) {
                ranges.add(new long[] {b.meta().minTime() / H, b.meta().maxTime() / H, b.meta().compaction().level()});
            }
            // 0-2, 2-4, 4-6 merged into a level-2 6h block; 6-8 stays (the newest is left alone).
            assertThat(ranges).containsExactly(new long[] {0, 6, 2}, new long[] {6, 8, 1});
            assertThat(counts(db, 0, 10 * H)).allSatisfy((s, n) -> assertThat(n).isEqualTo(2400));
            try (var files = Files.list(dir)) {
                assertThat(files.filter(p -> p.getFileName().toString().length() == Ulid.LENGTH)).hasSize(2);
            }
        }
        try (DB db = DB.open(dir, options(H))) { // 1h retention: the 0-6h block ends 2h before the newest
            assertThat(db.blocks()).extracting(b -> b.meta().minTime() / H).containsExactly(6L);
        }
    }

    @Test
    void compact_rewritesBlockWithDeletedSeries_andDropsTheOriginal() throws Exception {
        try (DB db = DB.open(dir, options(0))) {
            fill(db, 0, 10 * H);
            db.compact();
            Block big = db.blocks().get(0);
            assertThat(big.delete(0, 6 * H, io.specula.model.labels.Matcher.equal("s", "0"))).isPositive();
            db.compact(); // 1 of 10 series deleted: over Prometheus's 5 % threshold, so it is rewritten
            assertThat(db.blocks()).hasSize(2);
            Block rewritten = db.blocks().get(0);
            assertThat(rewritten.meta().ulid()).isNotEqualTo(big.meta().ulid());
            assertThat(rewritten.meta().stats().numSeries()).isEqualTo(9);
            assertThat(rewritten.tombstones().total()).isZero();
            assertThat(Files.exists(big.dir())).isFalse();
            Map<String, Integer> c = counts(db, 0, 6 * H - 1);
            assertThat(c).doesNotContainKey("0").hasSize(9);
        }
    }

    @Test
    void open_refusesDirectoryInUse() throws Exception {
        try (DB db = DB.open(dir, options(0))) {
            assertThatThrownBy(() -> DB.open(dir, options(0))).hasMessageContaining("is in use");
        }
    }

    @Test
    void open_quarantinesCorruptBlock() throws Exception {
        Path bad = dir.resolve(Ulid.now().toString());
        Files.createDirectories(bad);
        Files.writeString(bad.resolve("meta.json"), "{not json");
        try (DB db = DB.open(dir, options(0))) {
            assertThat(db.corruptBlocks()).containsOnlyKeys(bad.getFileName().toString());
            assertThat(dir.resolve("corrupted").resolve(bad.getFileName())).isDirectory();
            assertThat(db.blocks()).isEmpty();
            fill(db, 0, H);
            assertThat(counts(db, 0, H)).hasSize(10);
        }
    }
}
