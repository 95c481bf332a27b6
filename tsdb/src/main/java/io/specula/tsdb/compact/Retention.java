package io.specula.tsdb.compact;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which blocks retention deletes, by Prometheus's rules: by time, every block from the first
 * whose end lies more than the retention before the newest block's end; by size, every block
 * from the first that brings the total (head WAL and chunk files included) over the limit.
 * Always the oldest blocks first. Stateless.
 */
public final class Retention {
    private Retention() {}

    /** A block as retention sees it. */
    public record SizedBlock(String id, long maxTime, long bytes) {}

    /**
     * @param retentionMillis 0 disables time retention
     * @param maxBytes 0 disables size retention
     * @param headBytes bytes of the WAL and head chunk files, which count against {@code maxBytes}
     * @return ids of the blocks to delete
     */
    public static List<String> deletable(List<SizedBlock> blocks, long retentionMillis, long maxBytes, long headBytes) {
        List<SizedBlock> newestFirst = new ArrayList<>(blocks);
        newestFirst.sort(Comparator.comparingLong(SizedBlock::maxTime).reversed());
        int cut = newestFirst.size();
        if (retentionMillis > 0) {
            for (int i = 1; i < newestFirst.size(); i++) {
                if (newestFirst.get(0).maxTime() - newestFirst.get(i).maxTime() > retentionMillis) {
                    cut = Math.min(cut, i);
                    break;
                }
            }
        }
        if (maxBytes > 0) {
            long total = headBytes;
            for (int i = 0; i < newestFirst.size(); i++) {
                total += newestFirst.get(i).bytes();
                if (total > maxBytes) {
                    cut = Math.min(cut, i);
                    break;
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (int i = cut; i < newestFirst.size(); i++) {
            out.add(newestFirst.get(i).id());
        }
        return out;
    }
}
