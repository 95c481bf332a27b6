package io.specula.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import io.specula.tsdb.block.Block;
import io.specula.tsdb.block.Promtool;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Database-level delete, clean tombstones and snapshot. */
class DBDeleteTest {
    private static final long H = DBOutOfOrderTest.H;

    @TempDir
    Path dir;

    private static DB.Options options() {
        return DBOutOfOrderTest.options(0);
    }

    @Test
    void delete_hidesSamplesInBlocksAndHead_andSurvivesRestart() throws Exception {
        Path data = dir.resolve("data");
        try (DB db = DB.open(data, options())) {
            DBOutOfOrderTest.fill(db, 0, 5 * H);
            db.compact(); // block [0, 2h), head [2h, 5h)
            db.delete(H, 3 * H, Matcher.of(MatchType.EQUAL, "s", "1"));
            assertThat(DBTestSupport.counts(db, 0, 5 * H)).hasSize(10)
                    .allSatisfy((s, n) -> assertThat(n).isEqualTo(s.equals("1") ? 1200 - 481 : 1200));
            assertThat(db.blocks().get(0).meta().stats().numTombstones()).isEqualTo(1);
        }
        try (DB db = DB.open(data, options())) {
            assertThat(db.head().replayReport().tombstones()).isEqualTo(1);
            assertThat(DBTestSupport.counts(db, 0, 5 * H))
                    .allSatisfy((s, n) -> assertThat(n).isEqualTo(s.equals("1") ? 1200 - 481 : 1200));
            // A block cut from the head leaves the deleted samples out: [2h, 3h] of s=1.
            DBOutOfOrderTest.fill(db, 5 * H, 7 * H);
            db.compact();
            Block cut = db.blocks().stream().filter(b -> b.meta().minTime() == 2 * H).findFirst().orElseThrow();
            assertThat(cut.meta().stats().numSamples()).isEqualTo(10 * 480 - 241);
            assertThat(DBTestSupport.counts(db, 0, 7 * H))
                    .allSatisfy((s, n) -> assertThat(n).isEqualTo(s.equals("1") ? 1680 - 481 : 1680));
        }
    }

    @Test
    void delete_withoutMatchers_deletesEverySeries() throws Exception {
        try (DB db = DB.open(dir, options())) {
            DBOutOfOrderTest.fill(db, 0, H);
            db.delete(0, H / 2 - 1);
            assertThat(DBTestSupport.counts(db, 0, H)).hasSize(10).allSatisfy((s, n) -> assertThat(n).isEqualTo(120));
            db.delete(Long.MIN_VALUE, Long.MAX_VALUE);
            assertThat(DBTestSupport.counts(db, 0, H)).isEmpty();
        }
    }

    @Test
    void cleanTombstones_rewritesBlocksWithoutDeletedSamples() throws Exception {
        try (DB db = DB.open(dir, options())) {
            DBOutOfOrderTest.fill(db, 0, 5 * H);
            db.compact();
            String before = db.blocks().get(0).meta().ulid().toString();
            db.delete(H, 3 * H, Matcher.of(MatchType.EQUAL, "s", "1"));
            assertThat(db.cleanTombstones()).isEqualTo(1);
            assertThat(db.blocks()).hasSize(1);
            Block b = db.blocks().get(0);
            assertThat(b.meta().ulid().toString()).isNotEqualTo(before);
            assertThat(b.meta().stats().numTombstones()).isZero();
            assertThat(b.meta().stats().numSamples()).isEqualTo(10 * 480 - 240);
            assertThat(Files.exists(dir.resolve(before))).isFalse();
            assertThat(db.cleanTombstones()).isZero();
            assertThat(DBTestSupport.counts(db, 0, 5 * H))
                    .allSatisfy((s, n) -> assertThat(n).isEqualTo(s.equals("1") ? 1200 - 481 : 1200));
            // A block whose every sample is deleted goes away.
            db.delete(0, 2 * H);
            assertThat(db.cleanTombstones()).isEqualTo(1);
            assertThat(db.blocks()).isEmpty();
        }
    }

    @Test
    void snapshot_linksBlocksAndCutsHead_readableByDbAndPromtool() throws Exception {
        Path data = dir.resolve("data"), snap = dir.resolve("snap"), blocksOnly = dir.resolve("blocks-only");
        try (DB db = DB.open(data, DBOutOfOrderTest.options(6 * H))) {
            DBOutOfOrderTest.fill(db, 0, 5 * H);
            db.compact();
            DBOutOfOrderTest.fillOutOfOrder(db, 3 * H); // out-of-order head data goes into the snapshot too
            db.delete(4 * H, 5 * H, Matcher.of(MatchType.EQUAL, "s", "2"));
            assertThat(db.snapshot(snap, true)).isEqualTo(2);
            assertThat(db.snapshot(blocksOnly, false)).isEqualTo(1);
            Block b = db.blocks().get(0);
            Path linked = blocksOnly.resolve(b.meta().ulid().toString()).resolve("index");
            assertThat(Files.isSameFile(linked, b.dir().resolve("index"))).isTrue();
            assertThat((Object) Files.getAttribute(linked, "unix:nlink")).isEqualTo(3); // data, snap, blocks-only
        }
        try (DB db = DB.open(snap, options())) {
            assertThat(db.blocks()).hasSize(2);
            assertThat(DBTestSupport.counts(db, 0, 5 * H))
                    .allSatisfy((s, n) -> assertThat(n).isEqualTo(s.equals("2") ? 1230 - 240 : 1230));
        }
        Path promtool = Promtool.require();
        Files.deleteIfExists(snap.resolve("lock"));
        String dump = Promtool.run(promtool, "tsdb", "dump", snap.toString());
        assertThat(DBTestSupport.promtoolDumpCounts(dump)).hasSize(10)
                .allSatisfy((s, n) -> assertThat(n).isEqualTo(s.equals("2") ? 1230 - 240 : 1230));
    }
}
