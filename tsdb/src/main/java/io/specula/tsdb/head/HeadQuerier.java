package io.specula.tsdb.head;

import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import io.specula.tsdb.chunkenc.Chunk;
import io.specula.tsdb.storage.MergeQuerier;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SelectHints;
import io.specula.tsdb.storage.Series;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.tombstones.Intervals;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * Reads the head over [mint, maxt]. Selection resolves matchers on the postings, then takes
 * a consistent snapshot of each series' chunks under its lock; iteration runs lock-free.
 *
 * <p>The chunks a selection references stay readable until {@link #close()}: their head chunk
 * files are pinned, so a concurrent truncation cannot delete or unmap them. Series from
 * {@code select} must not be read after close.
 *
 * <p>A series' out-of-order chunks are merged with its in-order ones by time (a timestamp in
 * both is returned once, the in-order value); deleted intervals (head tombstones) are hidden.
 */
final class HeadQuerier implements Querier {
    /** Which data a querier reads. */
    enum Part {
        /** Everything: queries. */
        ALL,
        /** In-order chunks only: a block cut from the head. */
        IN_ORDER,
        /** The out-of-order chunks a compaction froze. */
        FROZEN_OUT_OF_ORDER
    }

    private final Head head;
    private final long mint, maxt;
    private final HeadChunks.Reader reader;
    private final Part part;

    HeadQuerier(Head head, long mint, long maxt, Part part) {
        this.head = head;
        this.mint = mint;
        this.maxt = maxt;
        this.part = part;
        this.reader = head.chunks.reader();
    }

    @Override
    public SeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
        long from = hints != null ? Math.max(mint, hints.start()) : mint;
        long to = hints != null ? Math.min(maxt, hints.end()) : maxt;
        List<HeadSeries> out = new ArrayList<>();
        for (IntIterator it = head.postings.select(matchers).getIntIterator(); it.hasNext(); ) {
            MemSeries s = head.series.byRef(it.next());
            if (s == null) {
                continue; // removed by truncation since the postings were read
            }
            ChunkSnapshot chunks = null;
            Chunk[] ooo = null;
            StartTimes starts;
            long lo, hi;
            synchronized (s) {
                starts = s.startTimesSnapshot(from, to);
                if (part != Part.FROZEN_OUT_OF_ORDER) {
                    chunks = s.snapshot(from, to, reader);
                }
                if (part != Part.IN_ORDER) {
                    ooo = s.outOfOrderSnapshot(from, to, part == Part.FROZEN_OUT_OF_ORDER);
                }
                lo = Math.max(from, s.minTimeAll());
                hi = Math.min(to, s.maxTimeAll());
            }
            if (chunks == null && ooo == null) {
                continue;
            }
            Intervals deleted = head.tombstones(s.ref);
            if (deleted.size() > 0 && deleted.covers(lo, hi)) {
                continue; // every sample in range is deleted: the series is not there
            }
            out.add(new HeadSeries(s.labels, chunks, ooo, deleted, starts, reader, from, to));
        }
        if (sorted) {
            out.sort(Comparator.comparing(HeadSeries::labels));
        }
        return new ListSeriesSet(out);
    }

    @Override
    public List<String> labelValues(String name, Matcher... matchers) {
        if (matchers.length == 0) {
            return head.postings.values(name);
        }
        TreeSet<String> values = new TreeSet<>();
        forEachMatching(matchers, labels -> {
            String v = labels.get(name);
            if (!v.isEmpty()) {
                values.add(v);
            }
        });
        return new ArrayList<>(values);
    }

    @Override
    public List<String> labelNames(Matcher... matchers) {
        if (matchers.length == 0) {
            return head.postings.names();
        }
        TreeSet<String> names = new TreeSet<>();
        forEachMatching(matchers, labels -> {
            for (int i = 0; i < labels.size(); i++) {
                names.add(labels.name(i));
            }
        });
        return new ArrayList<>(names);
    }

    private void forEachMatching(Matcher[] matchers, java.util.function.Consumer<Labels> action) {
        RoaringBitmap ids = head.postings.select(matchers);
        for (IntIterator it = ids.getIntIterator(); it.hasNext(); ) {
            MemSeries s = head.series.byRef(it.next());
            if (s != null) {
                action.accept(s.labels);
            }
        }
    }

    /** Releases the pinned head chunk files. */
    @Override
    public void close() {
        reader.close();
    }

    /**
     * A selected series: labels, a snapshot of its in-order chunks (null when none is in range),
     * its out-of-order chunks (null when none), its deleted intervals and its start times
     * (null when it has none in range).
     */
    record HeadSeries(Labels labels, ChunkSnapshot chunks, Chunk[] ooo, Intervals deleted, StartTimes starts,
            HeadChunks.Reader reader, long mint, long maxt) implements Series {
        @Override
        public SampleIterator iterator(SampleIterator reuse) {
            if (reuse instanceof StartTimeIterator st) {
                reuse = st.in;
            }
            SampleIterator it;
            if (ooo == null) {
                ChunksIterator c = reuse instanceof ChunksIterator r ? r : new ChunksIterator();
                it = c.reset(chunks, reader, mint, maxt);
            } else {
                // Out-of-order data is rare: a fresh iterator per chunk, merged by time.
                int k = chunks == null ? 0 : 1;
                SampleIterator[] inputs = new SampleIterator[k + ooo.length];
                if (chunks != null) {
                    inputs[0] = new ChunksIterator().reset(chunks, reader, mint, maxt);
                }
                for (Chunk c : ooo) {
                    inputs[k++] = new ChunksIterator().reset(new ChunkSnapshot(null, new Chunk[] {c}, 1), reader, mint, maxt);
                }
                it = MergeQuerier.mergeSamples(inputs);
            }
            if (deleted.size() != 0) {
                it = new DeletedSamplesIterator(it, deleted);
            }
            return starts == null ? it : new StartTimeIterator(it, starts);
        }
    }

    private static final class ListSeriesSet implements SeriesSet {
        private final List<HeadSeries> series;
        private int i = -1;

        ListSeriesSet(List<HeadSeries> series) {
            this.series = series;
        }

        @Override
        public boolean next() {
            return ++i < series.size();
        }

        @Override
        public Series at() {
            return series.get(i);
        }

        @Override
        public Exception err() {
            return null;
        }
    }
}
