package io.specula.tsdb.block;

import java.util.List;
import java.util.Objects;

/**
 * What a block's {@code meta.json} says about it (see {@link BlockMetaFormat}): identity,
 * time range [minTime, maxTime) in ms, statistics and compaction history.
 *
 * @param version meta file format version; {@link #VERSION_1} is the only one
 */
public record BlockMeta(Ulid ulid, long minTime, long maxTime, Stats stats, Compaction compaction, int version) {
    public static final int VERSION_1 = 1;

    public BlockMeta {
        Objects.requireNonNull(ulid, "ulid");
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(compaction, "compaction");
    }

    /** The meta of a block cut from the head: compaction level 1, its own only source. */
    public static BlockMeta of(Ulid ulid, long minTime, long maxTime, Stats stats) {
        return new BlockMeta(ulid, minTime, maxTime, stats, new Compaction(1, List.of(ulid), false, List.of(), false, List.of()), VERSION_1);
    }

    /**
     * Block statistics; all counts are unsigned 64-bit in the file. Zero counts are left out
     * of the JSON, as Prometheus does.
     */
    public record Stats(long numSamples, long numFloatSamples, long numHistogramSamples, long numSeries, long numChunks,
            long numTombstones) {
        public static final Stats EMPTY = new Stats(0, 0, 0, 0, 0, 0);

        /** Statistics of a float-only block (Prometheus 2.42 has no float/histogram split). */
        public static Stats of(long numSamples, long numSeries, long numChunks) {
            return new Stats(numSamples, 0, 0, numSeries, numChunks, 0);
        }
    }

    /**
     * Compaction history.
     *
     * @param level number of compactions the deepest source went through, 1 for a block from the head
     * @param sources ULIDs of the head blocks all data came from
     * @param deletable set on an empty compaction result, to be deleted on the next reload
     * @param parents the blocks compacted directly into this one
     * @param failed set when compacting this block failed, so the planner skips it
     * @param hints free-form notes (Prometheus 2.49+ marks out-of-order blocks)
     */
    public record Compaction(int level, List<Ulid> sources, boolean deletable, List<BlockDesc> parents, boolean failed,
            List<String> hints) {
        public Compaction {
            sources = List.copyOf(sources);
            parents = List.copyOf(parents);
            hints = List.copyOf(hints);
        }
    }

    /** A parent block: its ULID and time range. */
    public record BlockDesc(Ulid ulid, long minTime, long maxTime) {
        public BlockDesc {
            Objects.requireNonNull(ulid, "ulid");
        }
    }
}
