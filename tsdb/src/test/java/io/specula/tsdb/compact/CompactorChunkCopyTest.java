package io.specula.tsdb.compact;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import io.specula.tsdb.block.Block;
import io.specula.tsdb.block.BlockMeta;
import io.specula.tsdb.block.BlockWriter;
import io.specula.tsdb.block.Ulid;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.storage.ChunkIterator;
import io.specula.tsdb.storage.ChunkQuerier;
import io.specula.tsdb.storage.ChunkSeriesSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compaction copies chunk bytes, decoding only where tombstones or overlaps force it. */
class CompactorChunkCopyTest {
    private static final long H2 = 2 * 3600_000L;
    private static final long T0 = 1_700_000_000_000L / H2 * H2;

    @TempDir
    Path tmp;

    private final Ulid.Generator ids = new Ulid.Generator(new Random(42));
    private final List<Block> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(Block::close);
    }

    private Block block(long mint, long offset) throws Exception {
        Head head = new Head(Long.MAX_VALUE / 4, null);
        Appender app = head.appender();
        Random rnd = new Random(mint);
        for (int s = 0; s < 20; s++) {
            Labels l = Labels.of("__name__", "m", "i", "" + s);
            for (long t = mint + offset; t < mint + H2; t += 15_000) {
                app.append(0, l, t, rnd.nextInt(1000));
            }
        }
        app.commit();
        Ulid id = ids.next(mint);
        try (ChunkQuerier q = head.inOrderChunkQuerier(mint, mint + H2 - 1)) {
            assertThat(BlockWriter.write(tmp, id, mint, mint + H2, q.select(true, null), null)).isNotNull();
        }
        Block b = Block.open(tmp.resolve(id.toString()));
        opened.add(b);
        return b;
    }

    /** Every chunk's bytes, per series, in order. */
    private static Map<String, List<byte[]>> chunks(Block b) {
        Map<String, List<byte[]>> out = new LinkedHashMap<>();
        try (ChunkQuerier q = b.chunkQuerier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            ChunkSeriesSet set = q.select(true, null);
            while (set.next()) {
                List<byte[]> cs = new ArrayList<>();
                ChunkIterator it = set.at().iterator(null);
                while (it.next()) {
                    cs.add(Arrays.copyOf(it.at().bytes(), it.at().length()));
                }
                assertThat(it.err()).isNull();
                out.put(set.at().labels().toString(), cs);
            }
            assertThat(set.err()).isNull();
        }
        return out;
    }

    @Test
    void compact_adjacentBlocks_copiesEveryChunkByteForByte() throws Exception {
        Block a = block(T0, 0), b = block(T0 + H2, 0);
        Map<String, List<byte[]>> expected = chunks(a);
        chunks(b).forEach((k, v) -> expected.get(k).addAll(v));
        BlockMeta m = Compactor.compact(tmp, List.of(a, b), ids.next(T0));
        Block out = Block.open(tmp.resolve(m.ulid().toString()));
        opened.add(out);
        Map<String, List<byte[]>> got = chunks(out);
        assertThat(got.keySet()).isEqualTo(expected.keySet());
        got.forEach((k, v) -> {
            assertThat(v).hasSameSizeAs(expected.get(k));
            for (int i = 0; i < v.size(); i++) {
                assertThat(v.get(i)).as("%s chunk %d", k, i).isEqualTo(expected.get(k).get(i));
            }
        });
        assertThat(m.stats().numSamples()).isEqualTo(a.meta().stats().numSamples() + b.meta().stats().numSamples());
    }

    @Test
    void rewrite_reencodesOnlySeriesTheTombstonesTouch() throws Exception {
        Block a = block(T0, 0);
        Map<String, List<byte[]>> before = chunks(a);
        a.delete(T0, T0 + 600_000, Matcher.equal("i", "3"));
        BlockMeta m = Compactor.rewrite(tmp, a, ids.next(T0));
        Block out = Block.open(tmp.resolve(m.ulid().toString()));
        opened.add(out);
        Map<String, List<byte[]>> after = chunks(out);
        assertThat(m.stats().numSamples()).isEqualTo(a.meta().stats().numSamples() - 41);
        after.forEach((k, v) -> {
            if (k.contains("i=\"3\"")) {
                assertThat(v.get(0)).isNotEqualTo(before.get(k).get(0));
            } else {
                for (int i = 0; i < v.size(); i++) {
                    assertThat(v.get(i)).isEqualTo(before.get(k).get(i));
                }
            }
        });
    }

    @Test
    void compact_overlappingBlocks_mergesSamples() throws Exception {
        Block a = block(T0, 0), b = block(T0, 7_500); // same range, interleaved timestamps
        BlockMeta m = Compactor.compact(tmp, List.of(a, b), ids.next(T0));
        assertThat(m.stats().numSamples()).isEqualTo(a.meta().stats().numSamples() + b.meta().stats().numSamples());
        Block out = Block.open(tmp.resolve(m.ulid().toString()));
        opened.add(out);
        try (ChunkQuerier q = out.chunkQuerier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            ChunkSeriesSet set = q.select(true, null);
            while (set.next()) {
                ChunkIterator it = set.at().iterator(null);
                long last = Long.MIN_VALUE;
                while (it.next()) {
                    assertThat(it.minTime()).isGreaterThan(last);
                    assertThat(it.at().numSamples()).isLessThanOrEqualTo(BlockWriter.SAMPLES_PER_CHUNK);
                    last = it.maxTime();
                }
            }
        }
    }
}
