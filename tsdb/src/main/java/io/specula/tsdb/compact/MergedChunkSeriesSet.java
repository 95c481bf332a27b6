package io.specula.tsdb.compact;

import io.specula.model.labels.Labels;
import io.specula.tsdb.block.SeriesChunker;
import io.specula.tsdb.chunkenc.Chunk;
import io.specula.tsdb.index.Utf8Order;
import io.specula.tsdb.storage.ChunkIterator;
import io.specula.tsdb.storage.ChunkSeries;
import io.specula.tsdb.storage.ChunkSeriesSet;
import io.specula.tsdb.storage.MergeQuerier;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.ValueType;
import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Merges label-sorted chunk series sets (one per input block) into one, for compaction. A
 * series in one input passes through untouched. A series in several has its chunks gathered:
 * when none overlaps another (leveled compaction of adjacent blocks) they are concatenated in
 * time order, still undecoded; when some overlap (vertical compaction, out-of-order blocks)
 * the series is re-encoded from its samples merged by time, a timestamp in several inputs once
 * (from the input listed first), as Prometheus's compacting merger does.
 *
 * <p>Memory: the chunks of the one series being merged. One thread.
 */
final class MergedChunkSeriesSet implements ChunkSeriesSet {
    private final ChunkSeriesSet[] sets;
    private final boolean[] live;
    private ChunkSeries at;
    private Exception err;
    private boolean started;

    MergedChunkSeriesSet(List<ChunkSeriesSet> sets) {
        this.sets = sets.toArray(ChunkSeriesSet[]::new);
        this.live = new boolean[this.sets.length];
    }

    static ChunkSeriesSet of(List<ChunkSeriesSet> sets) {
        return sets.size() == 1 ? sets.get(0) : new MergedChunkSeriesSet(sets);
    }

    @Override
    public boolean next() {
        if (err != null) {
            return false;
        }
        if (!started) {
            started = true;
            for (int i = 0; i < sets.length; i++) {
                live[i] = advance(i);
            }
        }
        Labels min = null;
        for (int i = 0; i < sets.length; i++) {
            if (live[i] && (min == null || Utf8Order.compare(sets[i].at().labels(), min) < 0)) {
                min = sets[i].at().labels();
            }
        }
        if (min == null || err != null) {
            return false;
        }
        List<ChunkSeries> parts = new ArrayList<>(2);
        for (int i = 0; i < sets.length; i++) {
            if (live[i] && sets[i].at().labels().equals(min)) {
                parts.add(sets[i].at());
            }
        }
        try {
            at = parts.size() == 1 ? parts.get(0) : merge(min, parts);
        } catch (IOException e) {
            err = e;
            return false;
        }
        // Advance past the merged series only now: an input's series is valid until its next().
        for (int i = 0; i < sets.length; i++) {
            if (live[i] && sets[i].at().labels().equals(min)) {
                live[i] = advance(i);
            }
        }
        return err == null;
    }

    private boolean advance(int i) {
        if (sets[i].next()) {
            return true;
        }
        if (sets[i].err() != null && err == null) {
            err = sets[i].err();
        }
        return false;
    }

    /** One chunk read from an input, kept while its series is merged. */
    private record Held(int part, Chunk chunk, long mint, long maxt) {}

    private static ChunkSeries merge(Labels labels, List<ChunkSeries> parts) throws IOException {
        List<Held> all = new ArrayList<>();
        for (int p = 0; p < parts.size(); p++) {
            ChunkIterator it = parts.get(p).iterator(null);
            while (it.next()) {
                all.add(new Held(p, it.at(), it.minTime(), it.maxTime())); // chunks from a chunk querier are fresh copies
            }
            if (it.err() != null) {
                throw new IOException("series " + labels + ": " + it.err().getMessage(), it.err());
            }
        }
        all.sort(Comparator.comparingLong(Held::mint));
        boolean overlap = false;
        for (int i = 1; i < all.size() && !overlap; i++) {
            overlap = all.get(i).mint() <= all.get(i - 1).maxt();
        }
        ChunkIterator chunks;
        if (!overlap) {
            SeriesChunker.ListChunkIterator l = new SeriesChunker.ListChunkIterator();
            for (Held h : all) {
                l.add(h.chunk(), h.mint(), h.maxt());
            }
            chunks = l;
        } else {
            SampleIterator[] inputs = new SampleIterator[parts.size()];
            for (int p = 0; p < inputs.length; p++) {
                List<Chunk> mine = new ArrayList<>();
                for (Held h : all) {
                    if (h.part() == p) {
                        mine.add(h.chunk());
                    }
                }
                inputs[p] = new ChunksSampleIterator(mine.toArray(Chunk[]::new));
            }
            chunks = SeriesChunker.encodeAll(MergeQuerier.mergeSamples(inputs), Long.MIN_VALUE, Long.MAX_VALUE);
        }
        return new ChunkSeries() {
            @Override
            public Labels labels() {
                return labels;
            }

            @Override
            public ChunkIterator iterator(ChunkIterator reuse) {
                return chunks;
            }
        };
    }

    @Override
    public ChunkSeries at() {
        return at;
    }

    @Override
    public Exception err() {
        return err;
    }

    /** The samples of time-ordered chunks read one after the other. */
    static final class ChunksSampleIterator implements SampleIterator {
        private final Chunk[] chunks;
        private int next;
        private SampleIterator cur;
        private int type = ValueType.NONE;
        private Exception err;

        ChunksSampleIterator(Chunk[] chunks) {
            this.chunks = chunks;
        }

        @Override
        public int next() {
            while (true) {
                if (cur != null) {
                    type = cur.next();
                    if (type != ValueType.NONE) {
                        return type;
                    }
                    if (cur.err() != null) {
                        err = cur.err();
                        return ValueType.NONE;
                    }
                }
                if (next >= chunks.length) {
                    return type = ValueType.NONE;
                }
                cur = chunks[next++].iterator(null);
            }
        }

        @Override
        public int seek(long t) {
            if (type != ValueType.NONE && cur.atT() >= t) {
                return type;
            }
            int ty;
            while ((ty = next()) != ValueType.NONE && cur.atT() < t) {
                // skip
            }
            return ty;
        }

        @Override
        public long atT() {
            return cur.atT();
        }

        @Override
        public double atV() {
            return cur.atV();
        }

        @Override
        public Histogram atHistogram(Histogram reuse) {
            return cur.atHistogram(reuse);
        }

        @Override
        public FloatHistogram atFloatHistogram(FloatHistogram reuse) {
            return cur.atFloatHistogram(reuse);
        }

        @Override
        public Exception err() {
            return err;
        }
    }
}
