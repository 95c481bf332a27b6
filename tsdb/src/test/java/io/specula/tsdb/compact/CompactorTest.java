package io.specula.tsdb.compact;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import io.specula.tsdb.block.Block;
import io.specula.tsdb.block.BlockMeta;
import io.specula.tsdb.block.BlockWriter;
import io.specula.tsdb.block.Ulid;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.storage.ValueType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactorTest {
    private static final long H2 = 2 * 3600_000L;
    private static final long T0 = 1_700_000_000_000L / H2 * H2;

    @TempDir
    Path tmp;

    private final Ulid.Generator ids = new Ulid.Generator(new Random(42));
    private final List<Block> opened = new ArrayList<>();

    @AfterEach
    void closeBlocks() {
        opened.forEach(Block::close);
    }

    /** series name → t → v, the truth the blocks must reproduce. */
    private final Map<Labels, TreeMap<Long, Double>> truth = new TreeMap<>();

    private Block block(long mint, long maxt, int series, long step, long offset) throws Exception {
        Head head = new Head(Long.MAX_VALUE / 4, null);
        Appender app = head.appender();
        for (int s = 0; s < series; s++) {
            Labels l = new LabelsBuilder().set("__name__", "up").set("i", Integer.toString(s)).build();
            for (long t = mint + offset; t < maxt; t += step) {
                double v = t / 1000.0 + s;
                app.append(0, l, t, v);
                truth.computeIfAbsent(l, k -> new TreeMap<>()).put(t, v);
            }
        }
        app.commit();
        Ulid id = ids.next(mint);
        assertThat(BlockWriter.write(tmp, id, mint, maxt, head.querier(mint, maxt).select(true, null), null)).isNotNull();
        Block b = Block.open(tmp.resolve(id.toString()));
        opened.add(b);
        return b;
    }

    private static Map<Labels, TreeMap<Long, Double>> read(Block b) {
        Map<Labels, TreeMap<Long, Double>> out = new TreeMap<>();
        try (Querier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            SeriesSet set = q.select(true, null);
            SampleIterator it = null;
            while (set.next()) {
                TreeMap<Long, Double> samples = new TreeMap<>();
                it = set.at().iterator(it);
                long last = Long.MIN_VALUE;
                while (it.next() == ValueType.FLOAT) {
                    assertThat(it.atT()).isGreaterThan(last);
                    last = it.atT();
                    samples.put(it.atT(), it.atV());
                }
                assertThat(it.err()).isNull();
                out.put(set.at().labels(), samples);
            }
            assertThat(set.err()).isNull();
        }
        return out;
    }

    private Block open(BlockMeta m) throws Exception {
        Block b = Block.open(tmp.resolve(m.ulid().toString()));
        opened.add(b);
        return b;
    }

    @Test
    void compact_threeAdjacentBlocks_intoOneOfNextLevel() throws Exception {
        Block a = block(T0, T0 + H2, 10, 15_000, 0);
        Block b = block(T0 + H2, T0 + 2 * H2, 12, 15_000, 0);
        Block c = block(T0 + 2 * H2, T0 + 3 * H2, 8, 15_000, 0);
        BlockMeta m = Compactor.compact(tmp, List.of(a, b, c), ids.next(T0));
        assertThat(m.minTime()).isEqualTo(T0);
        assertThat(m.maxTime()).isEqualTo(T0 + 3 * H2);
        assertThat(m.compaction().level()).isEqualTo(2);
        assertThat(m.compaction().sources()).containsExactlyInAnyOrder(a.meta().ulid(), b.meta().ulid(), c.meta().ulid());
        assertThat(m.compaction().parents()).extracting(BlockMeta.BlockDesc::ulid)
                .containsExactly(a.meta().ulid(), b.meta().ulid(), c.meta().ulid());
        assertThat(m.stats().numSamples()).isEqualTo(a.meta().stats().numSamples() + b.meta().stats().numSamples() + c.meta().stats().numSamples());
        assertThat(m.stats().numSeries()).isEqualTo(12);
        assertThat(read(open(m))).isEqualTo(truth);
        assertThat(a.pinCount() + b.pinCount() + c.pinCount()).as("queriers released").isZero();
    }

    @Test
    void compact_overlappingBlocks_mergesAndDedupes() throws Exception {
        Block a = block(T0, T0 + H2, 5, 10_000, 0);
        Block b = block(T0 + H2 / 2, T0 + H2 + H2 / 2, 7, 10_000, 5_000); // interleaved timestamps
        Block c = block(T0 + H2 / 2, T0 + H2, 5, 10_000, 0); // exact duplicates of a's samples
        BlockMeta m = Compactor.compact(tmp, List.of(a, b, c), ids.next(T0));
        assertThat(m.minTime()).isEqualTo(T0);
        assertThat(m.maxTime()).isEqualTo(T0 + H2 + H2 / 2);
        long distinct = truth.values().stream().mapToLong(TreeMap::size).sum();
        assertThat(m.stats().numSamples()).isEqualTo(distinct);
        assertThat(read(open(m))).isEqualTo(truth);
    }

    @Test
    void rewrite_dropsDeletedSamples_andKeepsLevel() throws Exception {
        Block a = block(T0, T0 + H2, 6, 15_000, 0);
        a.delete(T0 + 1000, T0 + 3_600_000, Matcher.of(MatchType.REGEX, "i", "[0-2]"));
        a.delete(Long.MIN_VALUE, Long.MAX_VALUE, Matcher.of(MatchType.EQUAL, "i", "5"));
        truth.forEach((l, s) -> {
            if (l.get("i").equals("5")) {
                s.clear();
            } else if (l.get("i").compareTo("2") <= 0) {
                s.subMap(T0 + 1000, true, T0 + 3_600_000, true).clear();
            }
        });
        truth.values().removeIf(TreeMap::isEmpty);
        BlockMeta m = Compactor.rewrite(tmp, a, ids.next(T0));
        assertThat(m.compaction().level()).isEqualTo(1);
        assertThat(m.compaction().sources()).containsExactly(a.meta().ulid());
        assertThat(m.stats().numTombstones()).isZero();
        assertThat(m.stats().numSeries()).isEqualTo(5);
        Block r = open(m);
        assertThat(r.tombstones().seriesCount()).isZero();
        assertThat(read(r)).isEqualTo(truth);
    }

    @Test
    void rewrite_everythingDeleted_returnsNull() throws Exception {
        Block a = block(T0, T0 + H2, 2, 15_000, 0);
        a.delete(Long.MIN_VALUE, Long.MAX_VALUE);
        assertThat(Compactor.rewrite(tmp, a, ids.next(T0))).isNull();
    }
}
