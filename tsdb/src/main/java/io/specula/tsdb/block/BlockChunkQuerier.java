package io.specula.tsdb.block;

import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import io.specula.tsdb.chunkenc.Chunk;
import io.specula.tsdb.storage.ChunkIterator;
import io.specula.tsdb.storage.ChunkQuerier;
import io.specula.tsdb.storage.ChunkSeries;
import io.specula.tsdb.storage.ChunkSeriesSet;
import io.specula.tsdb.storage.SelectHints;
import io.specula.tsdb.tombstones.Intervals;
import java.io.IOException;
import java.util.List;

/**
 * The chunk querier over a {@link BlockReader}: the series {@link BlockQuerier} would select,
 * as chunks. A series whose chunks in range are ordered, lie wholly in [from, to], are
 * untouched by deletions and complete (not {@link io.specula.tsdb.chunks.ChunkReader#mutable
 * mutable}: the head's open chunk) hands out the stored chunks as read, undecoded; any other
 * is re-encoded from its samples ({@link SeriesChunker}), so compaction decodes only where a
 * rewrite is needed. Owns its reader until {@link #close()}; one thread at a time.
 */
public final class BlockChunkQuerier implements ChunkQuerier {
    private final BlockReader reader;
    private final long mint, maxt;
    private boolean closed;

    public BlockChunkQuerier(BlockReader reader, long mint, long maxt) {
        this.reader = reader;
        this.mint = mint;
        this.maxt = maxt;
    }

    @Override
    public ChunkSeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
        if (closed) {
            throw new IllegalStateException("querier is closed");
        }
        long[] r = BlockQuerier.range(reader, mint, maxt, hints);
        if (r == null) {
            return EMPTY;
        }
        try {
            return new Set(new SeriesCursor(reader, BlockQuerier.select(reader, sorted, matchers), r[0], r[1]));
        } catch (IOException e) {
            return new Failed(e);
        }
    }

    @Override
    public List<String> labelValues(String name, Matcher... matchers) throws IOException {
        try (BlockQuerier q = new BlockQuerier(new Unowned(reader), mint, maxt)) {
            return q.labelValues(name, matchers);
        }
    }

    @Override
    public List<String> labelNames(Matcher... matchers) throws IOException {
        try (BlockQuerier q = new BlockQuerier(new Unowned(reader), mint, maxt)) {
            return q.labelNames(matchers);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            reader.close();
        }
    }

    /** Whether the cursor's current series can be handed out as its stored chunks. */
    private boolean copyable(SeriesCursor c) {
        if (!c.ordered) {
            return false;
        }
        int n = c.refs.length;
        if (c.minTimes[0] < c.from || c.maxTimes[n - 1] > c.to) {
            return false; // cut by the range
        }
        for (long ref : c.refs) {
            if (reader.chunks().mutable(ref)) {
                return false; // the head's open chunk: its snapshot may hold more than its meta says
            }
        }
        Intervals del = c.deleted;
        for (int d = 0; d < del.size(); d++) {
            for (int i = 0; i < n; i++) {
                if (del.mint(d) <= c.maxTimes[i] && del.maxt(d) >= c.minTimes[i]) {
                    return false;
                }
            }
        }
        return true;
    }

    private final class Set implements ChunkSeriesSet {
        private final SeriesCursor cursor;
        private ChunkSeries at;
        private Exception err;

        Set(SeriesCursor cursor) {
            this.cursor = cursor;
        }

        @Override
        public boolean next() {
            if (closed) {
                err = new IllegalStateException("querier is closed");
                return false;
            }
            try {
                while (cursor.next()) {
                    SeriesCursor c = cursor;
                    if (copyable(c)) {
                        at = new StoredSeries(c.labels, c.refs, c.minTimes, c.maxTimes);
                        return true;
                    }
                    long end = c.to == Long.MAX_VALUE ? Long.MAX_VALUE : c.to + 1;
                    ChunkIterator chunks = SeriesChunker.encodeAll(
                            BlockQuerier.samples(reader, c.refs, c.maxTimes, c.ordered, c.from, c.to, c.deleted, null), c.from, end);
                    if (chunks instanceof SeriesChunker.ListChunkIterator l && l.isEmpty()) {
                        continue; // every sample in range deleted
                    }
                    at = new EncodedSeries(c.labels, chunks);
                    return true;
                }
            } catch (IOException e) {
                err = e;
            }
            return false;
        }

        @Override
        public ChunkSeries at() {
            return at;
        }

        @Override
        public Exception err() {
            return err;
        }
    }

    private record EncodedSeries(Labels labels, ChunkIterator chunks) implements ChunkSeries {
        @Override
        public ChunkIterator iterator(ChunkIterator reuse) {
            return chunks; // read once, as compaction does
        }
    }

    private final class StoredSeries implements ChunkSeries {
        private final Labels labels;
        private final long[] refs, minTimes, maxTimes;

        StoredSeries(Labels labels, long[] refs, long[] minTimes, long[] maxTimes) {
            this.labels = labels;
            this.refs = refs;
            this.minTimes = minTimes;
            this.maxTimes = maxTimes;
        }

        @Override
        public Labels labels() {
            return labels;
        }

        @Override
        public ChunkIterator iterator(ChunkIterator reuse) {
            return new ChunkIterator() {
                private int i = -1;
                private Chunk at;
                private Exception err;

                @Override
                public boolean next() {
                    if (err != null || ++i >= refs.length) {
                        return false;
                    }
                    try {
                        at = reader.chunks().chunk(refs[i], null);
                        return true;
                    } catch (IOException e) {
                        err = e;
                        return false;
                    }
                }

                @Override
                public Chunk at() {
                    return at;
                }

                @Override
                public long minTime() {
                    return minTimes[i];
                }

                @Override
                public long maxTime() {
                    return maxTimes[i];
                }

                @Override
                public Exception err() {
                    return err;
                }
            };
        }
    }

    /** Shares a reader without closing it. */
    private record Unowned(BlockReader r) implements BlockReader {
        @Override
        public io.specula.tsdb.index.IndexReader index() {
            return r.index();
        }

        @Override
        public io.specula.tsdb.chunks.ChunkReader chunks() {
            return r.chunks();
        }

        @Override
        public Intervals tombstones(long ref) {
            return r.tombstones(ref);
        }

        @Override
        public long minTime() {
            return r.minTime();
        }

        @Override
        public long maxTime() {
            return r.maxTime();
        }

        @Override
        public void close() {}
    }

    private static final ChunkSeriesSet EMPTY = new Failed(null);

    private record Failed(Exception err) implements ChunkSeriesSet {
        @Override
        public boolean next() {
            return false;
        }

        @Override
        public ChunkSeries at() {
            throw new IllegalStateException("no series");
        }
    }
}
