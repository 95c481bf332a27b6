package io.specula.tsdb.head;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.tsdb.block.BlockReader;
import io.specula.tsdb.chunkenc.Chunk;
import io.specula.tsdb.chunks.ChunkReader;
import io.specula.tsdb.index.ChunkMetas;
import io.specula.tsdb.index.IndexReader;
import io.specula.tsdb.index.Postings;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.tombstones.Intervals;
import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The head seen as a block over [mint, maxt], Prometheus's {@code RangeHead}: an
 * {@link IndexReader} over the in-memory postings and series and a {@link ChunkReader} over
 * their chunks, so that the block queriers read the head as they read a persisted block.
 *
 * <p>Chunk metas carry {@link HeadChunkRef}s. The open chunk's meta has the series' max time
 * when it was listed; reading the chunk copies its bytes under the series lock, an immutable
 * snapshot that the block iterator bounds by that meta (so samples appended after the
 * selection stay invisible, as Prometheus's isolation hides them) and that
 * {@link #chunks()} reports as {@link ChunkReader#mutable mutable}, so a chunk querier
 * re-encodes rather than copies it. Cut chunks are read from memory or from the memory-mapped
 * {@code chunks_head/} files; listing a chunk pins its file and remembers where it is, so a
 * selection stays readable while truncation drops its chunks, until {@link #close()}.
 * Out-of-order chunks are listed after the in-order ones (so a timestamp in both is read from
 * the in-order chunk); the block querier merges them by time. Which chunks are listed depends
 * on the {@link Part}. One thread.
 */
final class RangeHead implements BlockReader {
    /** Which data a reader lists. */
    enum Part {
        /** Everything: queries. */
        ALL,
        /** In-order chunks only: a block cut from the head. */
        IN_ORDER,
        /** The out-of-order chunks a compaction froze. */
        FROZEN_OUT_OF_ORDER
    }

    private final Head head;
    final long mint, maxt;
    private final Part part;
    private final HeadChunks.Reader pin;
    private final Index index = new Index();
    private final Chunks chunks = new Chunks();
    /**
     * Series listed by {@link #selection} (or looked up since): the series, its labels and chunk
     * metas as of the listing, and per chunk what a query reads even when truncation drops it
     * from the series meanwhile: the cut chunk itself when it is in memory, else its (pinned)
     * head chunk file reference; null for the open chunk, which is copied when read.
     */
    private final LongObjectMap<Listed> listed = new LongObjectMap<>();
    /** The series last looked up: a series' labels, iterator and chunks are asked for one after the other. */
    private Listed last;

    private record Listed(MemSeries series, boolean startTimes, long[] refs, long[] mins, long[] maxs, Object[] held) {
        /** The index of chunk {@code ref}, or -1. */
        int indexOf(long ref) {
            for (int i = 0; i < refs.length; i++) {
                if (refs[i] == ref) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** The listing of series {@code ref}, or null. */
    private Listed listed(long ref) {
        Listed l = last;
        if (l == null || l.series.ref != ref) {
            l = listed.get(ref);
            if (l != null) {
                last = l;
            }
        }
        return l;
    }

    /** Scratch for {@link #list}: chunk metas and what each holds. One thread. */
    private final ChunkMetas metas = new ChunkMetas();
    private Object[] holding = new Object[16];
    private boolean closed;

    RangeHead(Head head, long mint, long maxt, Part part) {
        this.head = head;
        this.mint = mint;
        this.maxt = maxt;
        this.part = part;
        this.pin = head.chunks.reader();
    }

    @Override
    public IndexReader index() {
        return index;
    }

    @Override
    public ChunkReader chunks() {
        return chunks;
    }

    @Override
    public Intervals tombstones(long ref) {
        return head.tombstones(ref);
    }

    @Override
    public long minTime() {
        return Long.MIN_VALUE; // chunk metas are filtered by the range already
    }

    @Override
    public long maxTime() {
        return Long.MAX_VALUE;
    }

    /**
     * Lists every selected series now, under its lock (chunk files pinned, cut chunks
     * remembered), as the head's querier always did: a truncation that runs while the query
     * reads cannot take what it selected. In label order when {@code sorted}.
     */
    @Override
    public Postings selection(Postings p, boolean sorted) throws IOException {
        MemSeries[] selected = new MemSeries[64];
        int n = 0;
        while (p.next()) {
            MemSeries s = head.series.byRef(p.at());
            if (s == null || list(s) == null) {
                continue; // removed by truncation since the postings were read, or nothing in range
            }
            if (n == selected.length) {
                selected = Arrays.copyOf(selected, n * 2);
            }
            selected[n++] = s;
        }
        if (p.err() != null) {
            throw p.err();
        }
        return Postings.of(refs(selected, n, sorted));
    }

    /** The references of {@code series[0, n)}, in label order when {@code sorted} (then iterate only: not by reference). */
    private static long[] refs(MemSeries[] series, int n, boolean sorted) {
        if (sorted) {
            Arrays.sort(series, 0, n, BY_LABELS);
        }
        long[] refs = new long[n];
        for (int i = 0; i < n; i++) {
            refs[i] = series[i].ref;
        }
        return refs;
    }

    private static final Comparator<MemSeries> BY_LABELS = (a, b) -> a.labels.compareTo(b.labels);

    /**
     * Lists {@code s}'s chunks in range under its lock and remembers them; null when there are
     * none. A series is listed once per reader, so every selection of one querier sees the same
     * snapshot and the chunks an earlier selection listed stay readable.
     */
    private Listed list(MemSeries s) {
        Listed known = listed(s.ref);
        if (known != null) {
            return known;
        }
        metas.clear();
        boolean startTimes;
        synchronized (s) {
            chunkMetas(s, metas);
            startTimes = s.hasStartTimes();
        }
        int k = metas.size();
        if (k == 0) {
            return null;
        }
        long[] rs = new long[k], mins = new long[k], maxs = new long[k];
        for (int i = 0; i < k; i++) {
            rs[i] = metas.ref(i);
            mins[i] = metas.minTime(i);
            maxs[i] = metas.maxTime(i);
        }
        Listed l = new Listed(s, startTimes, rs, mins, maxs, Arrays.copyOf(holding, k));
        Arrays.fill(holding, 0, Math.min(k, holding.length), null);
        listed.put(s.ref, l);
        return l;
    }

    @Override
    public SampleIterator decorate(long ref, long from, long to, SampleIterator it) {
        Listed l = listed(ref);
        if (l == null || !l.startTimes) {
            return it;
        }
        StartTimes st;
        synchronized (l.series) {
            st = l.series.startTimesSnapshot(from, to);
        }
        return st == null ? it : new StartTimeIterator(it, st);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            pin.close();
        }
    }

    /** Lists the chunks of {@code s} in range into {@code out}; caller holds the lock. */
    private void chunkMetas(MemSeries s, ChunkMetas out) {
        if (part != Part.FROZEN_OUT_OF_ORDER) {
            long first = s.firstChunkId();
            int n = s.closedCount();
            for (int i = 0; i < n; i++) {
                long lo = s.closedMinTime(i), hi = s.closedMaxTime(i);
                if (hi >= mint && lo <= maxt) {
                    long ref = HeadChunkRef.of(s.ref, first + i, false);
                    long at = s.closedRef(i);
                    Chunk c = pin.hold(at);
                    hold(out, c != null ? c : (Object) at);
                    out.add(ref, lo, hi);
                }
            }
            if (s.openChunk() != null && s.maxT >= mint && s.openMinTime() <= maxt) {
                out.add(HeadChunkRef.of(s.ref, first + n, false), s.openMinTime(), s.maxT);
            }
        }
        OutOfOrderChunks o = part == Part.IN_ORDER ? null : s.outOfOrder();
        if (o != null) {
            long first = o.firstId();
            int n = part == Part.FROZEN_OUT_OF_ORDER ? o.frozenCount() : o.count();
            for (int i = 0; i < n; i++) {
                long lo = o.chunkMinTime(i), hi = o.chunkMaxTime(i);
                if (hi >= mint && lo <= maxt) {
                    long ref = HeadChunkRef.of(s.ref, first + i, true);
                    hold(out, o.chunk(i));
                    out.add(ref, lo, hi);
                }
            }
            if (part == Part.ALL && o.bufferCount() > 0 && o.bufferMaxTime() >= mint && o.bufferMinTime() <= maxt) {
                // Encoded now (floats and histograms make separate chunks) and held: a snapshot.
                OutOfOrderChunks.Encoded e = o.bufferChunks();
                for (int j = 0; j < e.n(); j++) {
                    long ref = HeadChunkRef.of(s.ref, first + n + j, true);
                    hold(out, e.chunks()[j]);
                    out.add(ref, e.mints()[j], e.maxts()[j]);
                }
            }
        }
    }

    /** Remembers what the chunk about to be added as meta {@code out.size()} holds. */
    private void hold(ChunkMetas out, Object what) {
        int i = out.size();
        if (i == holding.length) {
            holding = Arrays.copyOf(holding, i * 2);
        }
        holding[i] = what;
    }

    private final class Index implements IndexReader {
        @Override
        public Iterator<String> symbols() {
            return head.postings.symbols().iterator();
        }

        @Override
        public List<String> labelNames() {
            return head.postings.names();
        }

        @Override
        public List<String> labelValues(String name) {
            return head.postings.values(name);
        }

        @Override
        public Postings postings(String name, String value) {
            return new BitmapPostings(head.postings.postings(name, value));
        }

        @Override
        public Postings postingsForLabelMatching(String name, String prefix, Predicate<String> match) {
            return new BitmapPostings(head.postings.postingsMatching(name, prefix, match));
        }

        @Override
        public void series(long ref, LabelsBuilder builder, ChunkMetas chunks) {
            builder.reset(seriesLabels(ref, builder, chunks));
        }

        /** The series' own labels (no copy); none, and no chunks, when it left the head since the postings were read. */
        @Override
        public Labels seriesLabels(long ref, LabelsBuilder builder, ChunkMetas chunks) {
            chunks.clear();
            Listed l = listed(ref);
            if (l == null) {
                MemSeries s = head.series.byRef(ref);
                if (s == null) {
                    return Labels.EMPTY;
                }
                l = list(s);
                if (l == null) {
                    return s.labels;
                }
            }
            for (int i = 0; i < l.refs.length; i++) {
                chunks.add(l.refs[i], l.mins[i], l.maxs[i]);
            }
            return l.series.labels;
        }

        @Override
        public Postings sortedPostings(Postings p) throws IOException {
            MemSeries[] found = new MemSeries[64];
            int n = 0;
            while (p.next()) {
                MemSeries s = head.series.byRef(p.at());
                if (s == null) {
                    continue;
                }
                if (n == found.length) {
                    found = Arrays.copyOf(found, n * 2);
                }
                found[n++] = s;
            }
            if (p.err() != null) {
                throw p.err();
            }
            return Postings.of(refs(found, n, true));
        }

        @Override
        public void close() {}
    }

    private final class Chunks implements ChunkReader {
        /** The open chunk and the out-of-order buffer: a snapshot may hold samples past the meta. */
        @Override
        public boolean mutable(long ref) {
            return held(ref) == null;
        }

        /** What a listed chunk holds; null for an open chunk or one not listed. */
        private Object held(long ref) {
            Listed l = listed(HeadChunkRef.series(ref));
            int i = l == null ? -1 : l.indexOf(ref);
            return i < 0 ? null : l.held[i];
        }

        @Override
        public Chunk chunk(long ref, byte[] scratch) throws IOException {
            Listed l = listed(HeadChunkRef.series(ref));
            int li = l == null ? -1 : l.indexOf(ref);
            Object h = li < 0 ? null : l.held[li];
            if (h instanceof Chunk c) {
                return copy(c, scratch); // in memory: immutable once cut
            }
            if (h != null) {
                return pin.chunk((Long) h); // its file was pinned when it was listed
            }
            // The open chunk (or out-of-order buffer) when listed: still open, or cut since.
            MemSeries s = l != null ? l.series : head.series.byRef(HeadChunkRef.series(ref));
            if (s == null) {
                throw notFound(ref);
            }
            long fileRef;
            synchronized (s) {
                if (HeadChunkRef.outOfOrder(ref)) {
                    OutOfOrderChunks o = s.outOfOrder();
                    if (o == null) {
                        throw notFound(ref);
                    }
                    int i = HeadChunkRef.index(ref, o.firstId());
                    if (i < o.count()) {
                        return copy(o.chunk(i), scratch);
                    }
                    throw notFound(ref);
                }
                int i = HeadChunkRef.index(ref, s.firstChunkId());
                int n = s.closedCount();
                if (i == n && s.openChunk() != null) {
                    return copy(s.openChunk(), scratch); // the snapshot: later appends do not reach it
                }
                if (i >= n) {
                    throw notFound(ref);
                }
                fileRef = s.closedRef(i);
                Chunk held = pin.hold(fileRef); // pins the file while the series still references it
                if (held != null) {
                    return copy(held, scratch);
                }
            }
            return pin.chunk(fileRef);
        }

        private IOException notFound(long ref) {
            return new IOException("head chunk " + (ref & HeadChunkRef.ID_MASK) + " of series " + HeadChunkRef.series(ref)
                    + " not found (truncated while the query ran)");
        }
    }

    private static Chunk copy(Chunk c, byte[] scratch) {
        int len = c.length();
        byte[] data = scratch != null && scratch.length >= len ? scratch : new byte[Math.max(len, 256)];
        System.arraycopy(c.bytes(), 0, data, 0, len);
        return Chunk.fromData(c.encoding(), data, len);
    }
}
