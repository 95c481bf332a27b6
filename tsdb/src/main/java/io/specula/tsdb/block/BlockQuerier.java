package io.specula.tsdb.block;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.labels.Matcher;
import io.specula.tsdb.index.ChunkMetas;
import io.specula.tsdb.index.Postings;
import io.specula.tsdb.index.PostingsForMatchers;
import io.specula.tsdb.storage.MergeQuerier;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SelectHints;
import io.specula.tsdb.storage.Series;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.tombstones.Intervals;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The one sample querier: reads a {@link BlockReader} (a persisted block or the head's range
 * view) over [mint, maxt] through its index and chunk reader. Series come in label order when
 * asked ({@link io.specula.tsdb.index.IndexReader#sortedPostings}). Samples inside the reader's
 * tombstones are skipped; a chunk whose part in range is wholly deleted is never read. Chunks
 * that overlap (the head's out-of-order chunks beside its in-order ones) are merged by time, a
 * timestamp present in several once, from the chunk listed first. Zero matchers select every
 * series (compaction, deletion); one or more go through {@link PostingsForMatchers}.
 *
 * <p>Owns its reader from creation to {@link #close()}. One thread at a time.
 */
public final class BlockQuerier implements Querier {
    private final BlockReader reader;
    private final long mint, maxt;
    private boolean closed;

    public BlockQuerier(BlockReader reader, long mint, long maxt) {
        this.reader = reader;
        this.mint = mint;
        this.maxt = maxt;
    }

    /** The postings of {@code matchers} (all series when none), in label order when {@code sorted}. */
    static Postings select(BlockReader reader, boolean sorted, Matcher... matchers) throws IOException {
        Postings p = matchers.length == 0 ? reader.index().allPostings() : PostingsForMatchers.postings(reader.index(), matchers);
        return reader.selection(p, sorted);
    }

    /** [from, to] of a selection, or null when it misses the reader's range. */
    static long[] range(BlockReader reader, long mint, long maxt, SelectHints hints) {
        long from = hints != null ? Math.max(mint, hints.start()) : mint;
        long to = hints != null ? Math.min(maxt, hints.end()) : maxt;
        if (from > to || to < reader.minTime() || from > reader.maxTime()) {
            return null;
        }
        return new long[] {from, to};
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("querier is closed");
        }
    }

    @Override
    public SeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
        checkOpen();
        long[] r = range(reader, mint, maxt, hints);
        if (r == null) {
            return SeriesSet.EMPTY;
        }
        try {
            return new BlockSeriesSet(new SeriesCursor(reader, select(reader, sorted, matchers), r[0], r[1]));
        } catch (IOException e) {
            return new FailedSet(e);
        }
    }

    @Override
    public List<String> labelValues(String name, Matcher... matchers) throws IOException {
        checkOpen();
        if (matchers.length == 0) {
            return reader.index().labelValues(name);
        }
        TreeSet<String> out = new TreeSet<>(Labels::compareUtf8);
        forEachLabels(reader, matchers, labels -> {
            String v = labels.get(name);
            if (!v.isEmpty()) {
                out.add(v);
            }
        });
        return new ArrayList<>(out);
    }

    @Override
    public List<String> labelNames(Matcher... matchers) throws IOException {
        checkOpen();
        if (matchers.length == 0) {
            return reader.index().labelNames();
        }
        TreeSet<String> out = new TreeSet<>(Labels::compareUtf8);
        forEachLabels(reader, matchers, labels -> {
            for (int i = 0; i < labels.size(); i++) {
                out.add(labels.name(i));
            }
        });
        return new ArrayList<>(out);
    }

    static void forEachLabels(BlockReader reader, Matcher[] matchers, Consumer<Labels> action) throws IOException {
        Postings p = select(reader, false, matchers);
        LabelsBuilder lb = new LabelsBuilder();
        ChunkMetas metas = new ChunkMetas();
        while (p.next()) {
            Labels l = reader.index().seriesLabels(p.at(), lb, metas.clear());
            if (l.size() > 0) { // a head series removed since the postings were read has none
                action.accept(l);
            }
        }
        if (p.err() != null) {
            throw p.err();
        }
    }

    /** Releases the reader (unpins the block). Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            reader.close();
        }
    }

    private final class BlockSeriesSet implements SeriesSet {
        private final SeriesCursor cursor;
        private Series at;
        private Exception err;

        BlockSeriesSet(SeriesCursor cursor) {
            this.cursor = cursor;
        }

        @Override
        public boolean next() {
            if (closed) {
                err = new IllegalStateException("querier is closed");
                return false;
            }
            try {
                if (cursor.next()) {
                    SeriesCursor c = cursor;
                    at = new BlockSeries(c.ref, c.labels, c.refs, c.minTimes, c.maxTimes, c.ordered, c.from, c.to, c.deleted);
                    return true;
                }
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

    /** A selected series: its labels and the references of its chunks in range. */
    final class BlockSeries implements Series {
        private final long ref;
        private final Labels labels;
        private final long[] refs, minTimes, maxTimes;
        private final boolean ordered;
        private final long from, to;
        private final Intervals deleted;

        BlockSeries(long ref, Labels labels, long[] refs, long[] minTimes, long[] maxTimes, boolean ordered, long from, long to,
                Intervals deleted) {
            this.ref = ref;
            this.labels = labels;
            this.refs = refs;
            this.minTimes = minTimes;
            this.maxTimes = maxTimes;
            this.ordered = ordered;
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
            return reader.decorate(ref, from, to, samples(reader, refs, maxTimes, ordered, from, to, deleted, reuse));
        }

        @Override
        public String toString() {
            return labels.toString();
        }
    }

    /**
     * The samples of chunks {@code refs} in [from, to] minus {@code deleted}: one pass when the
     * chunks are ordered, else one iterator per chunk merged by time (out-of-order data is rare).
     */
    static SampleIterator samples(BlockReader reader, long[] refs, long[] maxTimes, boolean ordered, long from, long to,
            Intervals deleted, SampleIterator reuse) {
        if (ordered) {
            BlockSampleIterator it = reuse instanceof BlockSampleIterator b ? b : new BlockSampleIterator();
            return it.reset(reader.chunks(), refs, maxTimes, from, to, deleted);
        }
        SampleIterator[] inputs = new SampleIterator[refs.length];
        for (int i = 0; i < refs.length; i++) {
            inputs[i] = new BlockSampleIterator().reset(reader.chunks(), new long[] {refs[i]}, new long[] {maxTimes[i]}, from, to, deleted);
        }
        return MergeQuerier.mergeSamples(inputs);
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
