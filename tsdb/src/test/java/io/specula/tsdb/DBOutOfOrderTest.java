package io.specula.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.labels.Labels;
import io.specula.tsdb.block.Block;
import io.specula.tsdb.block.Promtool;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.wal.SegmentFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Out-of-order data through the database: ingestion, compaction into blocks, restart, promtool. */
class DBOutOfOrderTest {
    static final long H = 3_600_000L;
    static final long STEP = 15_000L;

    @TempDir
    Path dir;

    static DB.Options options(long window) {
        return new DB.Options(2 * H, 36 * H, 0, 0).withOutOfOrderTimeWindow(window);
    }

    /** Appends 10 series every 15 s over [from, to); value = t / 1000 + series. */
    static void fill(DB db, long from, long to) throws Exception {
        for (long t = from; t < to; t += STEP) {
            Appender app = db.appender();
            for (int s = 0; s < 10; s++) {
                app.append(0, Labels.of("__name__", "m", "s", Integer.toString(s)), t, t / 1000.0 + s);
            }
            app.commit();
        }
    }

    /** 30 out-of-order samples per series at 7 s past each minute from {@code from}; same value rule. */
    static void fillOutOfOrder(DB db, long from) throws Exception {
        Appender app = db.appender();
        for (int k = 0; k < 30; k++) {
            long t = from + k * 60_000L + 7_000;
            for (int s = 0; s < 10; s++) {
                app.append(0, Labels.of("__name__", "m", "s", Integer.toString(s)), t, t / 1000.0 + s);
            }
        }
        app.commit();
    }

    @Test
    void outOfOrder_compactedIntoOverlappingBlocks_queriedOnceAndKeptOverRestart() throws Exception {
        try (DB db = DB.open(dir, options(6 * H))) {
            fill(db, 0, 5 * H);
            fillOutOfOrder(db, H / 2);
            assertThat(DBTestSupport.counts(db, 0, 5 * H)).hasSize(10).allSatisfy((s, n) -> assertThat(n).isEqualTo(1230));

            db.compact();
            // In-order [0, 2h) and out-of-order [0, 2h) blocks, merged by vertical compaction.
            long inFirstRange = db.blocks().stream().filter(b -> b.meta().minTime() < 2 * H)
                    .mapToLong(b -> b.meta().stats().numSamples()).sum();
            assertThat(inFirstRange).isEqualTo(10 * (480 + 30));
            assertThat(DBTestSupport.counts(db, 0, 5 * H)).allSatisfy((s, n) -> assertThat(n).isEqualTo(1230));
            // Only the WBL segment started by the compaction is left: the rest is in blocks.
            assertThat(SegmentFiles.list(dir.resolve(Head.WBL_DIR))).hasSize(1);

            // Older than the head's bounds but within the window: accepted, though blocks cover the range.
            fillOutOfOrder(db, H + H / 2);
            assertThat(DBTestSupport.counts(db, 0, 5 * H)).allSatisfy((s, n) -> assertThat(n).isEqualTo(1260));
        }
        try (DB db = DB.open(dir, options(6 * H))) {
            assertThat(db.head().replayReport().outOfOrderSamples()).isEqualTo(300);
            assertThat(DBTestSupport.counts(db, 0, 5 * H)).allSatisfy((s, n) -> assertThat(n).isEqualTo(1260));
            fill(db, 5 * H, 7 * H);
            db.compact();
            assertThat(DBTestSupport.counts(db, 0, 7 * H)).allSatisfy((s, n) -> assertThat(n).isEqualTo(1260 + 480));
            assertThat(db.head().replayReport().outOfOrderSamples()).isEqualTo(300);
        }
        try (DB db = DB.open(dir, options(6 * H))) {
            assertThat(db.head().replayReport().outOfOrderSamples()).isZero(); // compacted: the WBL is empty
            assertThat(DBTestSupport.counts(db, 0, 7 * H)).allSatisfy((s, n) -> assertThat(n).isEqualTo(1260 + 480));
        }
    }

    @Test
    void outOfOrderBlocks_doNotBoundTheHeadOnRestart() throws Exception {
        try (DB db = DB.open(dir, options(6 * H))) {
            fill(db, 0, 5 * H);
            fillOutOfOrder(db, 4 * H); // lands in [4h, 6h), beyond the head's in-order data
            db.compact();
            assertThat(db.blocks()).anySatisfy(b -> assertThat(b.meta().compaction().hints()).contains(DB.OUT_OF_ORDER_HINT));
        }
        try (DB db = DB.open(dir, options(6 * H))) {
            // In-order samples of [2h, 5h) are still in the head, not dropped as "before the newest block".
            assertThat(DBTestSupport.counts(db, 0, 5 * H)).allSatisfy((s, n) -> assertThat(n).isEqualTo(1230));
            Appender app = db.appender();
            app.append(0, Labels.of("__name__", "m", "s", "0"), 5 * H, 5 * H / 1000.0);
            app.commit();
        }
    }

    @Test
    void windowZero_refusesOutOfOrderWithPrometheusErrors() throws Exception {
        try (DB db = DB.open(dir, options(0))) {
            fill(db, 0, H);
            Appender app = db.appender();
            assertThatThrownBy(() -> app.append(0, Labels.of("__name__", "m", "s", "1"), H / 2 + 7, 0))
                    .hasMessage("out of order sample");
            app.rollback();
            assertThat(Files.exists(dir.resolve(Head.WBL_DIR))).isFalse();
        }
    }

    @Test
    void outOfOrderBlock_readByPromtool() throws Exception {
        Path promtool = Promtool.require();
        Path copy = dir.resolve("copy");
        Files.createDirectories(copy.resolve("wal"));
        try (DB db = DB.open(dir.resolve("db"), options(6 * H))) {
            fill(db, 0, 5 * H);
            fillOutOfOrder(db, H / 2);
            db.compact();
            for (Block b : db.blocks()) {
                b.snapshot(copy);
            }
        }
        String dump = Promtool.run(promtool, "tsdb", "dump", copy.toString());
        Map<String, Integer> perSeries = DBTestSupport.promtoolDumpCounts(dump);
        assertThat(perSeries).hasSize(10).allSatisfy((s, n) -> assertThat(n).isEqualTo(480 + 30));
        assertThat(dump).contains("{__name__=\"m\", s=\"3\"} 1810 1807000");
    }
}
