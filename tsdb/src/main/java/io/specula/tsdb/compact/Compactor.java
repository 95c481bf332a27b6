package io.specula.tsdb.compact;

import io.specula.tsdb.block.Block;
import io.specula.tsdb.block.BlockMeta;
import io.specula.tsdb.block.BlockWriter;
import io.specula.tsdb.block.Ulid;
import io.specula.tsdb.storage.ChunkQuerier;
import io.specula.tsdb.storage.ChunkSeriesSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Writes new blocks out of existing ones: merges several blocks into one (leveled
 * compaction, and vertical compaction when their ranges overlap: a timestamp present in more
 * than one block is kept once), or rewrites one block without the samples its tombstones
 * delete. Reads go through each block's chunk querier, so chunks that need no change are
 * copied byte for byte (only chunks cut by tombstones, and series whose chunks overlap across
 * blocks, are decoded and re-encoded), and the blocks stay pinned while they are read.
 *
 * <p>The inputs are left as they are; the caller (the database) swaps them for the result and
 * deletes them. Memory is that of {@link BlockWriter} plus the chunks of the series being merged.
 * Stateless and thread-safe.
 */
public final class Compactor {
    private Compactor() {}

    /**
     * Merges {@code blocks} into block {@code ulid} under {@code parentDir}: its range spans
     * all inputs, its level is one more than the deepest input's, its sources are the union
     * of theirs and its parents are the inputs.
     *
     * @return the new block's meta, or null when nothing is left (every sample deleted)
     */
    public static BlockMeta compact(Path parentDir, List<Block> blocks, Ulid ulid) throws IOException {
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("nothing to compact");
        }
        int level = 0;
        TreeSet<String> hints = new TreeSet<>();
        TreeSet<Ulid> sources = new TreeSet<>();
        List<BlockMeta.BlockDesc> parents = new ArrayList<>();
        for (Block b : blocks) {
            BlockMeta m = b.meta();
            level = Math.max(level, m.compaction().level());
            sources.addAll(m.compaction().sources());
            parents.add(new BlockMeta.BlockDesc(m.ulid(), m.minTime(), m.maxTime()));
            hints.addAll(m.compaction().hints());
        }
        // Hints carry over: a block holding out-of-order data must not bound the head's in-order data on restart.
        BlockMeta.Compaction c = new BlockMeta.Compaction(level + 1, List.copyOf(sources), false, parents, false, List.copyOf(hints));
        return write(parentDir, blocks, ulid, c);
    }

    /**
     * Rewrites {@code block} as {@code ulid} without its deleted samples (clean tombstones).
     * The level and sources stay those of the block; the block is listed as the only parent.
     *
     * @return the new meta, or null when every sample was deleted
     */
    public static BlockMeta rewrite(Path parentDir, Block block, Ulid ulid) throws IOException {
        BlockMeta m = block.meta();
        BlockMeta.Compaction c = new BlockMeta.Compaction(m.compaction().level(), m.compaction().sources(), false,
                List.of(new BlockMeta.BlockDesc(m.ulid(), m.minTime(), m.maxTime())), false, m.compaction().hints());
        return write(parentDir, List.of(block), ulid, c);
    }

    private static BlockMeta write(Path parentDir, List<Block> blocks, Ulid ulid, BlockMeta.Compaction c) throws IOException {
        long mint = Long.MAX_VALUE, maxt = Long.MIN_VALUE;
        for (Block b : blocks) {
            mint = Math.min(mint, b.meta().minTime());
            maxt = Math.max(maxt, b.meta().maxTime());
        }
        List<ChunkQuerier> queriers = new ArrayList<>(blocks.size());
        try {
            List<ChunkSeriesSet> sets = new ArrayList<>(blocks.size());
            for (Block b : blocks) {
                ChunkQuerier q = b.chunkQuerier(mint, maxt - 1); // block maxTime is exclusive, queriers inclusive
                queriers.add(q);
                sets.add(q.select(true, null));
            }
            return BlockWriter.write(parentDir, ulid, mint, maxt, MergedChunkSeriesSet.of(sets), c);
        } finally {
            for (ChunkQuerier q : queriers) {
                q.close();
            }
        }
    }
}
