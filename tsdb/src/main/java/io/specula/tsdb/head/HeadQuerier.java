package io.specula.tsdb.head;

import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SelectHints;
import io.specula.tsdb.storage.Series;
import io.specula.tsdb.storage.SeriesSet;
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
 */
final class HeadQuerier implements Querier {
    private final Head head;
    private final long mint, maxt;
    private final HeadChunks.Reader reader;

    HeadQuerier(Head head, long mint, long maxt) {
        this.head = head;
        this.mint = mint;
        this.maxt = maxt;
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
            ChunkSnapshot chunks;
            synchronized (s) {
                chunks = s.snapshot(from, to, reader);
            }
            if (chunks != null) {
                out.add(new HeadSeries(s.labels, chunks, reader, from, to));
            }
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

    /** A selected series: labels plus a chunk snapshot. */
    record HeadSeries(Labels labels, ChunkSnapshot chunks, HeadChunks.Reader reader, long mint, long maxt) implements Series {
        @Override
        public SampleIterator iterator(SampleIterator reuse) {
            ChunksIterator it = reuse instanceof ChunksIterator c ? c : new ChunksIterator();
            return it.reset(chunks, reader, mint, maxt);
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
