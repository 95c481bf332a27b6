package io.specula.tsdb.block;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.labels.Matcher;
import io.specula.tsdb.index.ChunkMetas;
import io.specula.tsdb.index.Postings;
import io.specula.tsdb.index.PostingsForMatchers;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SelectHints;
import io.specula.tsdb.storage.Series;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.tombstones.Intervals;
import io.specula.tsdb.tombstones.Tombstones;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads one {@link Block} over [mint, maxt] through its index. Series come in label order
 * whether or not the caller asks for it: the index stores them sorted. Samples inside the
 * block's tombstones (as of the querier's creation) are skipped; a chunk wholly deleted is
 * never read. Zero matchers select every series, like the head querier.
 *
 * <p>Pins its block from creation to {@link #close()}. One thread at a time.
 */
final class BlockQuerier implements Querier {
    private final Block block;
    private final long mint, maxt;
    private final Tombstones tombstones;
    private boolean closed;

    BlockQuerier(Block block, long mint, long maxt, Tombstones tombstones) {
        this.block = block;
        this.mint = mint;
        this.maxt = maxt;
        this.tombstones = tombstones;
    }

    private Postings postings(Matcher... matchers) throws IOException {
        if (closed) {
            throw new IllegalStateException("querier is closed");
        }
        return matchers.length == 0 ? block.index().allPostings() : PostingsForMatchers.postings(block.index(), matchers);
    }

    @Override
    public SeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
        long from = hints != null ? Math.max(mint, hints.start()) : mint;
        long to = hints != null ? Math.min(maxt, hints.end()) : maxt;
        BlockMeta m = block.meta();
        if (from > to || to < m.minTime() || from >= m.maxTime()) {
            return SeriesSet.EMPTY;
        }
        try {
            return new BlockSeriesSet(postings(matchers), from, to);
        } catch (IOException e) {
            return new FailedSet(e);
        }
    }

    @Override
    public List<String> labelValues(String name, Matcher... matchers) throws IOException {
        if (matchers.length == 0) {
            postings(); // closed check
            return block.index().labelValues(name);
        }
        TreeSet<String> out = new TreeSet<>(Labels::compareUtf8);
        forEachLabels(postings(matchers), labels -> {
            String v = labels.get(name);
            if (!v.isEmpty()) {
                out.add(v);
            }
        });
        return new ArrayList<>(out);
    }

    @Override
    public List<String> labelNames(Matcher... matchers) throws IOException {
        if (matchers.length == 0) {
            postings();
            return block.index().labelNames();
        }
        TreeSet<String> out = new TreeSet<>(Labels::compareUtf8);
        forEachLabels(postings(matchers), labels -> {
            for (int i = 0; i < labels.size(); i++) {
                out.add(labels.name(i));
            }
        });
        return new ArrayList<>(out);
    }

    private void forEachLabels(Postings p, java.util.function.Consumer<Labels> action) throws IOException {
        LabelsBuilder lb = new LabelsBuilder();
        ChunkMetas metas = new ChunkMetas();
        while (p.next()) {
            block.index().series(p.at(), lb, metas.clear());
            action.accept(lb.build());
        }
        if (p.err() != null) {
            throw p.err();
        }
    }

    /** Unpins the block. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            block.unpin();
        }
    }

    /** Decodes one series per {@link #next()} from the postings, dropping those with nothing in range. */
    private final class BlockSeriesSet implements SeriesSet {
        private final Postings postings;
        private final long from, to;
        private final LabelsBuilder lb = new LabelsBuilder();
        private final ChunkMetas metas = new ChunkMetas();
        private Series at;
        private Exception err;

        BlockSeriesSet(Postings postings, long from, long to) {
            this.postings = postings;
            this.from = from;
            this.to = to;
        }

        @Override
        public boolean next() {
            if (closed) {
                err = new IllegalStateException("querier is closed");
                return false;
            }
            try {
                while (postings.next()) {
                    long ref = postings.at();
                    block.index().series(ref, lb, metas.clear());
                    Intervals deleted = tombstones.get(ref);
                    long[] refs = new long[metas.size()];
                    long[] maxTimes = new long[metas.size()];
                    int n = 0;
                    for (int i = 0; i < metas.size(); i++) {
                        long cmin = metas.minTime(i), cmax = metas.maxTime(i);
                        if (cmax < from || cmin > to || coveredBy(deleted, cmin, cmax)) {
                            continue;
                        }
                        refs[n] = metas.ref(i);
                        maxTimes[n++] = cmax;
                    }
                    if (n > 0) {
                        at = new BlockSeries(lb.build(), Arrays.copyOf(refs, n), Arrays.copyOf(maxTimes, n), from, to, deleted);
                        return true;
                    }
                }
                err = postings.err();
            } catch (IOException e) {
                err = e;
            }
            return false;
        }

        @Override
        public Series at() {
            return at;
        }

        @Override
        public Exception err() {
            return err;
        }
    }

    private static boolean coveredBy(Intervals deleted, long mint, long maxt) {
        for (int i = 0; i < deleted.size(); i++) {
            if (deleted.mint(i) <= mint && maxt <= deleted.maxt(i)) {
                return true;
            }
        }
        return false;
    }

    /** A selected series: its labels and the references of its chunks in range. */
    private final class BlockSeries implements Series {
        private final Labels labels;
        private final long[] refs, maxTimes;
        private final long from, to;
        private final Intervals deleted;

        BlockSeries(Labels labels, long[] refs, long[] maxTimes, long from, long to, Intervals deleted) {
            this.labels = labels;
            this.refs = refs;
            this.maxTimes = maxTimes;
            this.from = from;
            this.to = to;
            this.deleted = deleted;
        }

        @Override
        public Labels labels() {
            return labels;
        }

        @Override
        public SampleIterator iterator(SampleIterator reuse) {
            BlockSampleIterator it = reuse instanceof BlockSampleIterator b ? b : new BlockSampleIterator();
            return it.reset(block.chunks(), refs, maxTimes, from, to, deleted);
        }

        @Override
        public String toString() {
            return labels.toString();
        }
    }

    private record FailedSet(Exception err) implements SeriesSet {
        @Override
        public boolean next() {
            return false;
        }

        @Override
        public Series at() {
            throw new IllegalStateException("failed series set");
        }
    }
}
