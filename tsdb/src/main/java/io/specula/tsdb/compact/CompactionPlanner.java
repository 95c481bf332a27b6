package io.specula.tsdb.compact;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decides which blocks to compact next, with Prometheus's leveled strategy, so that the
 * block layout of a Specula data directory evolves as Prometheus's would:
 * <ol>
 *   <li>blocks that overlap in time are merged first (vertical compaction);
 *   <li>otherwise the newest block is left out (a full block of time to back it up), and the
 *       first group of blocks that fills one of the larger ranges (2h → 6h → 18h → …), or that
 *       lies entirely before the newest block, is merged;
 *   <li>otherwise a large block with more than 5 % of its series deleted is rewritten alone
 *       (or any block whose every series is deleted).
 * </ol>
 * Stateless and thread-safe.
 */
public final class CompactionPlanner {
    private final long[] ranges;

    /** @param ranges block ranges in ms, ascending, starting with the head's chunk range (e.g. 2h, 6h, 18h) */
    public CompactionPlanner(long[] ranges) {
        if (ranges.length == 0) {
            throw new IllegalArgumentException("need at least one block range");
        }
        for (int i = 1; i < ranges.length; i++) {
            if (ranges[i] <= ranges[i - 1]) {
                throw new IllegalArgumentException("block ranges must increase: " + ranges[i - 1] + " then " + ranges[i]);
            }
        }
        this.ranges = ranges.clone();
    }

    /**
     * Prometheus's default ranges: {@code minBlockDuration} times powers of three, ten steps,
     * keeping those not above {@code maxBlockDuration} (Prometheus uses min(31d, retention/10)).
     */
    public static long[] exponentialRanges(long minBlockDuration, long maxBlockDuration) {
        List<Long> out = new ArrayList<>();
        long r = minBlockDuration;
        for (int i = 0; i < 10 && r <= Math.max(maxBlockDuration, minBlockDuration); i++) {
            out.add(r);
            r *= 3;
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** The ids of the blocks to compact together next, in time order; empty when nothing is due. */
    public List<String> plan(List<PlannedBlock> blocks) {
        List<PlannedBlock> sorted = new ArrayList<>(blocks);
        sorted.sort(Comparator.comparingLong(PlannedBlock::minTime));
        List<PlannedBlock> overlapping = overlapping(sorted);
        if (!overlapping.isEmpty()) {
            return ids(overlapping);
        }
        if (sorted.isEmpty()) {
            return List.of();
        }
        // Leave the newest block out: it was just cut from the head.
        List<PlannedBlock> candidates = sorted.subList(0, sorted.size() - 1);
        List<PlannedBlock> group = selectByRange(candidates);
        if (!group.isEmpty()) {
            return ids(group);
        }
        for (int i = candidates.size() - 1; i >= 0; i--) {
            PlannedBlock b = candidates.get(i);
            if (b.maxTime() - b.minTime() < ranges[ranges.length / 2]) {
                if (b.numTombstones() > 0 && b.numTombstones() >= b.numSeries()) {
                    return List.of(b.id()); // entirely deleted: size does not matter
                }
                break;
            }
            if ((double) b.numTombstones() / (b.numSeries() + 1) > 0.05) {
                return List.of(b.id());
            }
        }
        return List.of();
    }

    /** The first run of blocks (sorted by minTime) that overlap each other. */
    static List<PlannedBlock> overlapping(List<PlannedBlock> sorted) {
        List<PlannedBlock> out = new ArrayList<>();
        if (sorted.size() < 2) {
            return out;
        }
        long maxSoFar = sorted.get(0).maxTime();
        for (int i = 1; i < sorted.size(); i++) {
            PlannedBlock b = sorted.get(i);
            if (b.minTime() < maxSoFar) {
                if (out.isEmpty()) {
                    out.add(sorted.get(i - 1));
                }
                out.add(b);
            } else if (!out.isEmpty()) {
                break;
            }
            maxSoFar = Math.max(maxSoFar, b.maxTime());
        }
        return out;
    }

    private List<PlannedBlock> selectByRange(List<PlannedBlock> blocks) {
        if (ranges.length < 2 || blocks.isEmpty()) {
            return List.of();
        }
        long highTime = blocks.get(blocks.size() - 1).minTime();
        for (int r = 1; r < ranges.length; r++) {
            long range = ranges[r];
            outer:
            for (List<PlannedBlock> part : splitByRange(blocks, range)) {
                for (PlannedBlock b : part) {
                    if (b.failed()) {
                        continue outer;
                    }
                }
                long mint = part.get(0).minTime();
                long maxt = part.get(part.size() - 1).maxTime();
                // A full range, or a group wholly before the newest candidate: another block of
                // the same size can no longer join it.
                if ((maxt - mint == range || maxt <= highTime) && part.size() > 1) {
                    return part;
                }
            }
        }
        return List.of();
    }

    /** Groups blocks by the aligned window of size {@code range} they fall into; blocks that fit none are skipped. */
    static List<List<PlannedBlock>> splitByRange(List<PlannedBlock> blocks, long range) {
        List<List<PlannedBlock>> out = new ArrayList<>();
        for (int i = 0; i < blocks.size(); ) {
            long t0 = Math.floorDiv(blocks.get(i).minTime(), range) * range;
            if (blocks.get(i).maxTime() > t0 + range) {
                i++; // wider than the window or misaligned
                continue;
            }
            List<PlannedBlock> group = new ArrayList<>();
            for (; i < blocks.size() && blocks.get(i).maxTime() <= t0 + range; i++) {
                group.add(blocks.get(i));
            }
            out.add(group);
        }
        return out;
    }

    private static List<String> ids(List<PlannedBlock> blocks) {
        List<String> out = new ArrayList<>(blocks.size());
        for (PlannedBlock b : blocks) {
            out.add(b.id());
        }
        return out;
    }
}
