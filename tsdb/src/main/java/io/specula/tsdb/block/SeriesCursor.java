package io.specula.tsdb.block;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.tsdb.index.ChunkMetas;
import io.specula.tsdb.index.Postings;
import io.specula.tsdb.tombstones.Intervals;
import java.io.IOException;
import java.util.Arrays;

/**
 * Walks postings through a {@link BlockReader}'s index and stops at each series that has a
 * chunk overlapping [from, to] whose part in range is not wholly deleted: the selection step
 * both block queriers share. The arrays describe the current series' chunks in range, in the
 * index's order; they are fresh per series (a series object keeps them). One thread.
 */
final class SeriesCursor {
    private final BlockReader reader;
    private final Postings postings;
    final long from, to;
    private final LabelsBuilder lb = new LabelsBuilder();
    private final ChunkMetas metas = new ChunkMetas();

    long ref;
    Labels labels;
    long[] refs, minTimes, maxTimes;
    Intervals deleted;
    /** Whether the chunks in range are in time order without overlap (else they must be merged). */
    boolean ordered;

    SeriesCursor(BlockReader reader, Postings postings, long from, long to) {
        this.reader = reader;
        this.postings = postings;
        this.from = from;
        this.to = to;
    }

    /** Moves to the next series with data in range; false at the end or on error (thrown). */
    boolean next() throws IOException {
        while (postings.next()) {
            long r = postings.at();
            Labels l = reader.index().seriesLabels(r, lb, metas.clear());
            Intervals del = reader.tombstones(r);
            int size = metas.size();
            long[] rs = null, mins = null, maxs = null;
            int n = 0;
            boolean ord = true;
            for (int i = 0; i < size; i++) {
                long cmin = metas.minTime(i), cmax = metas.maxTime(i);
                if (cmax < from || cmin > to || (del.size() > 0 && del.covers(Math.max(cmin, from), Math.min(cmax, to)))) {
                    continue;
                }
                if (rs == null) {
                    rs = new long[size - i];
                    mins = new long[size - i];
                    maxs = new long[size - i];
                }
                if (n > 0 && cmin <= maxs[n - 1]) {
                    ord = false;
                }
                rs[n] = metas.ref(i);
                mins[n] = cmin;
                maxs[n++] = cmax;
            }
            if (n > 0) {
                ref = r;
                labels = l;
                refs = n == rs.length ? rs : Arrays.copyOf(rs, n);
                minTimes = n == mins.length ? mins : Arrays.copyOf(mins, n);
                maxTimes = n == maxs.length ? maxs : Arrays.copyOf(maxs, n);
                deleted = del;
                ordered = ord;
                return true;
            }
        }
        if (postings.err() != null) {
            throw postings.err();
        }
        return false;
    }
}
