package io.specula.tsdb.head;

import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import io.specula.tsdb.encoding.ByteArrayDataOutput;
import io.specula.tsdb.exemplar.CircularExemplarStorage;
import io.specula.tsdb.record.TombstonesRecord;
import io.specula.tsdb.tombstones.Intervals;
import io.specula.tsdb.storage.Appendable;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.Queryable;
import io.specula.tsdb.wal.Checkpoint;
import io.specula.tsdb.wal.SegmentFiles;
import io.specula.tsdb.wal.WalWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import io.specula.tsdb.block.BlockChunkQuerier;
import io.specula.tsdb.block.BlockQuerier;
import io.specula.tsdb.index.Postings;
import io.specula.tsdb.index.PostingsForMatchers;
import io.specula.tsdb.storage.ChunkQuerier;

/**
 * The in-memory part of the database: the most recent samples of every active series, in
 * XOR chunks, with an inverted index for selection.
 *
 * <p>Appends go through {@link #appender()} transactions; a {@link HeadLog} (the write-ahead
 * log) sees each committed batch before memory does. Thread-safe: any number of appenders and
 * queriers may run at once.
 *
 * <p>Two kinds of head: {@code new Head()} keeps everything in memory and forgets it;
 * {@link #open(Path, HeadOptions)} makes a durable head on a data directory, Prometheus's
 * layout: commits are logged to {@code wal/} (see {@link WalHeadLog} for the bound on loss),
 * full chunks are written to {@code chunks_head/} and only referenced from memory, and opening
 * replays both. A durable head owns its files and must be {@link #close() closed}.
 */
public final class Head implements Appendable, Queryable, Closeable {
    /** Default chunk range: the span of the blocks the head is cut into (2h, in ms). */
    public static final long DEFAULT_CHUNK_RANGE = 2 * 60 * 60 * 1000L;
    /** Subdirectories of a data directory, as in Prometheus. */
    public static final String WAL_DIR = "wal", CHUNKS_DIR = "chunks_head", WBL_DIR = "wbl";

    final long chunkRange;
    final SeriesStore series = new SeriesStore();
    final MemPostings postings = new MemPostings();
    final HeadChunks chunks;
    /** Set once before the head is handed out (replay logs nothing); read by committing appenders. */
    volatile HeadLog log;
    private volatile WalWriter wal;
    ReplayReport replayReport;
    /** WAL references of repeated series records whose labels live under another reference. */
    private final Map<Long, MemSeries> walAliases = new ConcurrentHashMap<>();
    private final Object truncateLock = new Object();
    private final AtomicLong lastRef = new AtomicLong();
    private final AtomicLong numSeries = new AtomicLong();
    private final AtomicLong minTime = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong maxTime = new AtomicLong(Long.MIN_VALUE);
    /** Samples before this are refused: they belong to data already persisted or dropped. */
    private volatile long minValidTime;

    /** Out-of-order time window in ms; 0 refuses samples older than a series' newest one. */
    final long outOfOrderTimeWindow;
    /** Where commits log their out-of-order samples after storing them: the WBL, or nothing. */
    volatile HeadLog wblLog = HeadLog.NONE;
    private volatile WalWriter wbl;
    /**
     * Commits hold it shared from storing out-of-order samples until those are in the WBL; a
     * compaction freezing the out-of-order data holds it exclusively while it starts a new WBL
     * segment, so every frozen sample lies in the segments before that one.
     */
    final ReentrantReadWriteLock outOfOrderLock = new ReentrantReadWriteLock();
    /** Set once any out-of-order sample was stored: spares in-order heads a scan at compaction. */
    volatile boolean hadOutOfOrder;
    private int wblCut = -1;

    /** Samples stored in order and out of order since start ({@code prometheus_tsdb_head_samples_appended_total}). */
    /** Idle transaction batches: appenders reuse their arrays instead of allocating per transaction. */
    final AppendBatch.Pool batches = new AppendBatch.Pool(Math.max(8, 4 * Runtime.getRuntime().availableProcessors()));
    final java.util.concurrent.atomic.LongAdder samplesAppended = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder outOfOrderSamplesAppended = new java.util.concurrent.atomic.LongAdder();

    /** Exemplars (none kept unless a storage was given, see {@link #useExemplarStorage}). */
    volatile HeadExemplars exemplars = new HeadExemplars(new CircularExemplarStorage(0));

    /** Deleted intervals by series reference, honoured by queriers until the data leaves the head. */
    private final Map<Long, Intervals> tombstones = new ConcurrentHashMap<>();
    private final Object deleteLock = new Object();

    public Head(long chunkRange, HeadLog log) {
        this(chunkRange, log, 0);
    }

    /**
     * An in-memory head.
     *
     * @param outOfOrderTimeWindow how far behind the head's newest sample out-of-order samples
     *     are still accepted, in ms ({@code storage.tsdb.out_of_order_time_window}); 0 for none
     */
    public Head(long chunkRange, HeadLog log, long outOfOrderTimeWindow) {
        this(chunkRange, new HeadChunks(null), Long.MIN_VALUE, outOfOrderTimeWindow);
        this.log = log == null ? HeadLog.NONE : log;
    }

    public Head() {
        this(DEFAULT_CHUNK_RANGE, HeadLog.NONE);
    }

    Head(long chunkRange, HeadChunks chunks, long minValidTime, long outOfOrderTimeWindow) {
        if (chunkRange <= 0) {
            throw new IllegalArgumentException("chunk range must be positive, got " + chunkRange);
        }
        if (outOfOrderTimeWindow < 0) {
            throw new IllegalArgumentException("out-of-order time window must not be negative, got " + outOfOrderTimeWindow);
        }
        this.chunkRange = chunkRange;
        this.chunks = chunks;
        this.minValidTime = minValidTime;
        this.outOfOrderTimeWindow = outOfOrderTimeWindow;
        this.log = HeadLog.NONE;
    }

    /**
     * Opens the durable head of {@code dataDir} (created when missing): replays
     * {@code chunks_head/} and {@code wal/} (see {@link #replayReport()} for what was read and
     * repaired; a damaged tail is cut off, never fatal) and starts a new WAL segment for new
     * appends. Progress goes to {@link HeadOptions#progress()}.
     *
     * @throws IOException when the files cannot be read or written at all (permissions, a WAL
     *     with a missing segment in the middle, zstd-compressed records)
     */
    public static Head open(Path dataDir, HeadOptions options) throws IOException {
        return HeadReplay.open(dataDir, options);
    }

    /**
     * As {@link #open(Path, HeadOptions)}, keeping exemplars in {@code exemplars}: the WAL's
     * exemplar records are replayed into it and committed exemplars are logged and stored.
     */
    public static Head open(Path dataDir, HeadOptions options, CircularExemplarStorage exemplars) throws IOException {
        return HeadReplay.open(dataDir, options, exemplars);
    }

    /** Keeps exemplars of this (in-memory) head in {@code storage}; call before the first append. */
    public void useExemplarStorage(CircularExemplarStorage storage) {
        exemplars = new HeadExemplars(storage);
    }

    /** Where this head keeps exemplars (of size 0, refusing all, unless one was given). */
    public CircularExemplarStorage exemplarStorage() {
        return exemplars.storage;
    }

    /** The WAL commits are logged to; null for an in-memory head. */
    WalWriter walWriter() {
        return wal;
    }

    /** What {@link #open} replayed and repaired; null for an in-memory head. */
    public ReplayReport replayReport() {
        return replayReport;
    }

    @Override
    public Appender appender() {
        return new HeadAppender(this);
    }

    /**
     * A querier over in-order and out-of-order data: the block querier over a {@link RangeHead},
     * the same code that reads persisted blocks. Close it: that releases the head chunk files it
     * pinned.
     */
    @Override
    public Querier querier(long mint, long maxt) {
        return new BlockQuerier(new RangeHead(this, mint, maxt, RangeHead.Part.ALL), mint, maxt);
    }

    /** A chunk querier over in-order and out-of-order data (a snapshot of the head writes it). */
    public ChunkQuerier chunkQuerier(long mint, long maxt) {
        return new BlockChunkQuerier(new RangeHead(this, mint, maxt, RangeHead.Part.ALL), mint, maxt);
    }

    /**
     * A querier over the in-order data only: what a block cut from the head holds (its
     * out-of-order data goes to blocks of its own, see {@link #freezeOutOfOrder()}).
     */
    public Querier inOrderQuerier(long mint, long maxt) {
        return new BlockQuerier(new RangeHead(this, mint, maxt, RangeHead.Part.IN_ORDER), mint, maxt);
    }

    /** The in-order data as chunks: cut chunks wholly in range come out as stored, for a block cut from the head. */
    public ChunkQuerier inOrderChunkQuerier(long mint, long maxt) {
        return new BlockChunkQuerier(new RangeHead(this, mint, maxt, RangeHead.Part.IN_ORDER), mint, maxt);
    }

    /** The out-of-order time window this head accepts, in ms (0: none). */
    public long outOfOrderTimeWindow() {
        return outOfOrderTimeWindow;
    }

    /** Samples committed in order since this head was created (replay not counted). */
    public long samplesAppended() {
        return samplesAppended.sum();
    }

    /** Samples committed into the out-of-order window since this head was created. */
    public long outOfOrderSamplesAppended() {
        return outOfOrderSamplesAppended.sum();
    }

    public long numSeries() {
        return numSeries.get();
    }

    /** Earliest sample time in the head, or Long.MAX_VALUE when empty. */
    public long minTime() {
        return minTime.get();
    }

    /** Latest sample time in the head, or Long.MIN_VALUE when empty. */
    public long maxTime() {
        return maxTime.get();
    }

    /** Full chunks that could not be written to {@code chunks_head/} and stay in memory instead (0 when healthy). */
    public long chunkWriteFailures() {
        return chunks.writeFailures();
    }

    /**
     * The earliest time an append may carry: Prometheus accepts samples down to half a chunk
     * range before the newest sample (and never before data already truncated away).
     */
    long appendableMinValidTime() {
        long max = maxTime.get();
        long bound = max == Long.MIN_VALUE ? Long.MIN_VALUE : max - chunkRange / 2;
        return Math.max(minValidTime, bound);
    }

    /** The series for {@code labels}, created (and indexed) if new; {@code created[0]} says which. */
    MemSeries getOrCreate(Labels labels, boolean[] created) {
        MemSeries s = series.getOrCreate(labels, () -> new MemSeries(lastRef.incrementAndGet(), labels), created);
        if (created[0]) {
            postings.add(Math.toIntExact(s.ref), labels);
            numSeries.incrementAndGet();
        }
        return s;
    }

    /**
     * Replay: the series a WAL series record names, created under reference {@code ref} if its
     * labels are new; {@code created[0]} says whether it was. If the labels already exist under
     * another reference (a repeated record), {@code ref} becomes an alias for that series.
     * Null when {@code ref} already belongs to other labels (a damaged WAL); the record is ignored.
     */
    MemSeries replaySeries(long ref, Labels labels, boolean[] created) {
        MemSeries byRef = series.byRef(ref);
        if (byRef != null) {
            created[0] = false;
            return byRef.labels.equals(labels) ? byRef : null;
        }
        MemSeries s = series.getOrCreate(labels, () -> new MemSeries(ref, labels), created);
        if (created[0]) {
            s.logged = true; // its record is in the WAL: that is where it came from
            postings.add(Math.toIntExact(s.ref), labels);
            numSeries.incrementAndGet();
        } else {
            walAliases.put(ref, s);
        }
        return s;
    }

    /** Replay: the series a samples record's reference means, or null when no series record named it. */
    MemSeries replayTarget(long ref) {
        MemSeries s = series.byRef(ref);
        return s != null ? s : walAliases.get(ref);
    }

    /**
     * Replay is done: series that got no data (all of it before the minimum valid time, or lost
     * with a repaired tail) go, as the next truncation would remove them anyway; numbering
     * continues after the highest reference seen; times cover what was loaded.
     *
     * @return the number of series removed
     */
    int replayed(long maxRef, long mint, long maxt) {
        int removed = removeSeries(MemSeries::isEmpty);
        lastRef.accumulateAndGet(maxRef, Math::max);
        if (maxt != Long.MIN_VALUE) {
            updateTimes(mint, maxt);
        }
        return removed;
    }

    /** Starts logging commits to {@code w}, which the head then owns. */
    void attachWal(WalWriter w) {
        wal = w;
        log = new WalHeadLog(w);
    }

    /** Starts logging out-of-order samples to {@code w} (the WBL), which the head then owns. */
    void attachWbl(WalWriter w) {
        wbl = w;
        wblLog = new WalHeadLog(w);
    }

    /** Adds a deleted interval of series {@code ref} (replay and {@link #delete}). */
    void addTombstone(long ref, long mint, long maxt) {
        tombstones.merge(ref, Intervals.EMPTY.add(mint, maxt), (old, add) -> old.add(mint, maxt));
    }

    /** The deleted intervals of series {@code ref}. */
    Intervals tombstones(long ref) {
        if (tombstones.isEmpty()) {
            return Intervals.EMPTY; // the common case: no map lookup
        }
        return tombstones.getOrDefault(ref, Intervals.EMPTY);
    }

    /**
     * Deletes the samples in [mint, maxt] of the series matching all {@code matchers} (every
     * series when none is given), as Prometheus's head does: each series gets a tombstone for
     * the part of the interval its data covers now, logged to the WAL (so a restart keeps it)
     * and then honoured by queriers and by the blocks cut from the head. Samples appended
     * later inside such an interval are deleted too, until the head is truncated past it.
     *
     * @return the number of series that got a deletion interval
     * @throws IOException when the WAL write failed; nothing is deleted then
     */
    public int delete(long mint, long maxt, Matcher... matchers) throws IOException {
        if (maxt < mint) {
            throw new IllegalArgumentException("interval [" + mint + ", " + maxt + "] is empty");
        }
        TombstonesRecord rec = new TombstonesRecord();
        Postings p;
        try (RangeHead r = new RangeHead(this, Long.MIN_VALUE, Long.MAX_VALUE, RangeHead.Part.ALL)) {
            p = matchers.length == 0 ? r.index().allPostings() : PostingsForMatchers.postings(r.index(), matchers);
        }
        while (p.next()) {
            MemSeries s = series.byRef(p.at());
            if (s == null) {
                continue;
            }
            long lo, hi;
            synchronized (s) {
                lo = s.minTimeAll();
                hi = s.maxTimeAll();
            }
            long a = Math.max(mint, lo), b = Math.min(maxt, hi);
            if (a <= b) {
                rec.add(s.ref, a, b);
            }
        }
        if (rec.size() == 0) {
            return 0;
        }
        synchronized (deleteLock) {
            WalWriter w = wal;
            if (w != null) {
                ByteArrayDataOutput out = new ByteArrayDataOutput(16 + rec.size() * 16);
                rec.encode(out);
                w.log(out);
            }
            for (int i = 0; i < rec.size(); i++) {
                addTombstone(rec.ref(i), rec.mint(i), rec.maxt(i));
            }
        }
        return rec.size();
    }

    /**
     * Prepares the out-of-order data for compaction into blocks: starts a new WBL segment and
     * freezes every series' out-of-order chunks (later out-of-order samples are kept apart).
     * Then {@link #outOfOrderQuerier} reads the frozen data and
     * {@link #finishOutOfOrderCompaction} drops it. One at a time (the database's compaction).
     *
     * @return {min, max} time of the frozen samples; null when there are none
     */
    public long[] freezeOutOfOrder() throws IOException {
        if (!hadOutOfOrder) {
            return null;
        }
        long[] range = {Long.MAX_VALUE, Long.MIN_VALUE};
        outOfOrderLock.writeLock().lock();
        try {
            WalWriter w = wbl;
            wblCut = w != null ? w.nextSegment() : -1;
            series.forEach(s -> {
                synchronized (s) {
                    long[] r = s.freezeOutOfOrder();
                    if (r != null) {
                        range[0] = Math.min(range[0], r[0]);
                        range[1] = Math.max(range[1], r[1]);
                    }
                }
            });
        } finally {
            outOfOrderLock.writeLock().unlock();
        }
        return range[0] == Long.MAX_VALUE ? null : range;
    }

    /** A querier over the out-of-order data {@link #freezeOutOfOrder} froze, tombstones honoured. */
    public Querier outOfOrderQuerier(long mint, long maxt) {
        return new BlockQuerier(new RangeHead(this, mint, maxt, RangeHead.Part.FROZEN_OUT_OF_ORDER), mint, maxt);
    }

    /** The frozen out-of-order data as chunks (re-encoded where chunks overlap). */
    public ChunkQuerier outOfOrderChunkQuerier(long mint, long maxt) {
        return new BlockChunkQuerier(new RangeHead(this, mint, maxt, RangeHead.Part.FROZEN_OUT_OF_ORDER), mint, maxt);
    }

    /**
     * Ends an out-of-order compaction. When {@code compacted} (the blocks are written), drops
     * the frozen data from memory and deletes the WBL segments that held it; otherwise keeps it
     * for the next attempt.
     */
    public void finishOutOfOrderCompaction(boolean compacted) throws IOException {
        series.forEach(s -> {
            synchronized (s) {
                s.dropFrozenOutOfOrder(compacted);
            }
        });
        WalWriter w = wbl;
        if (compacted && w != null && wblCut >= 0) {
            SegmentFiles.deleteBefore(w.dir(), wblCut);
        }
        wblCut = -1;
    }

    /** Earliest and latest sample time over in-order and out-of-order data; null when empty. */
    public long[] timeRangeAll() {
        long[] range = {minTime(), maxTime()};
        if (hadOutOfOrder) {
            series.forEach(s -> {
                synchronized (s) {
                    if (s.hasOutOfOrder()) {
                        range[0] = Math.min(range[0], s.minTimeAll());
                        range[1] = Math.max(range[1], s.maxTimeAll());
                    }
                }
            });
        }
        return range[1] == Long.MIN_VALUE ? null : range;
    }

    void updateTimes(long mint, long maxt) {
        minTime.accumulateAndGet(mint, Math::min);
        maxTime.accumulateAndGet(maxt, Math::max);
    }

    /**
     * Drops all data before {@code mint} (after it was persisted to a block) and removes the
     * series left without samples, so churn does not leak memory. Later appends before
     * {@code mint} are refused as out of bounds.
     *
     * <p>A durable head then also checkpoints the WAL: the segments before the current one are
     * rewritten into {@code checkpoint.N}, keeping the series still in the head and the samples
     * at or after {@code mint}, and deleted with older checkpoints; and it deletes the head
     * chunk files that hold only chunks before {@code mint} (once no querier pins them).
     * Truncations run one at a time.
     *
     * @return the number of series removed
     * @throws IOException when checkpointing or deleting files failed; memory is truncated
     *     anyway, and the next truncation retries the files
     */
    public int truncate(long mint) throws IOException {
        synchronized (truncateLock) {
            int removed = truncateMemory(mint);
            WalWriter w = wal;
            if (w != null) {
                checkpointWal(w, mint);
            }
            chunks.truncateFiles(mint);
            return removed;
        }
    }

    private int truncateMemory(long mint) {
        minValidTime = Math.max(minValidTime, mint);
        int removed = removeSeries(s -> s.truncateBefore(mint, chunks));
        truncateTombstones(mint);
        if (numSeries.get() == 0) {
            minTime.set(Long.MAX_VALUE);
        } else {
            minTime.accumulateAndGet(mint, Math::max);
        }
        return removed;
    }

    /** Removes the series {@code empty} finds without data (it runs under the series lock), unless an appender holds them. */
    private int removeSeries(Predicate<MemSeries> empty) {
        List<MemSeries> removed = series.removeIf(s -> {
            synchronized (s) {
                return s.removed = !s.pendingCommit && empty.test(s);
            }
        });
        for (MemSeries s : removed) {
            postings.delete(Math.toIntExact(s.ref), s.labels);
        }
        if (!removed.isEmpty()) {
            walAliases.values().removeIf(s -> series.byRef(s.ref) != s);
        }
        numSeries.addAndGet(-removed.size());
        return removed.size();
    }

    /** Drops deleted intervals ending before {@code mint} and those of removed series. */
    private void truncateTombstones(long mint) {
        if (tombstones.isEmpty()) {
            return;
        }
        synchronized (deleteLock) {
            tombstones.replaceAll((ref, iv) -> {
                Intervals kept = Intervals.EMPTY;
                for (int i = 0; i < iv.size(); i++) {
                    if (iv.maxt(i) >= mint) {
                        kept = kept.add(iv.mint(i), iv.maxt(i));
                    }
                }
                return kept;
            });
            tombstones.entrySet().removeIf(e -> e.getValue().size() == 0 || series.byRef(e.getKey()) == null);
        }
    }

    /**
     * Holds WAL segments back from checkpointing while a reader still needs them: {@code keepFrom}
     * answers the lowest segment index some reader (a remote-write queue) has not finished with;
     * a truncation then checkpoints only the segments before it. The reader bounds how far back
     * it holds (so a dead receiver cannot fill the disk). Null removes the hold.
     */
    public void holdWalSegments(IntSupplier keepFrom) {
        walHold = keepFrom;
    }

    private volatile IntSupplier walHold;

    private void checkpointWal(WalWriter w, long mint) throws IOException {
        Path dir = w.dir();
        int last = w.segmentIndex() - 1; // the segment being written is never checkpointed
        IntSupplier hold = walHold;
        if (hold != null) {
            last = Math.min(last, hold.getAsInt() - 1);
        }
        int[] segments = SegmentFiles.list(dir);
        Optional<Checkpoint.Ref> previous = Checkpoint.last(dir);
        int first = previous.map(c -> c.index() + 1).orElse(segments.length == 0 ? last + 1 : segments[0]);
        if (last < first) {
            return; // nothing new to fold in
        }
        Checkpoint.create(dir, first, last, this::inWalCheckpoint, mint, w.options());
        SegmentFiles.deleteBefore(dir, last + 1);
        Checkpoint.deleteBefore(dir, last);
    }

    /** Whether a checkpoint keeps the series record of WAL reference {@code ref}: its series is still here. */
    private boolean inWalCheckpoint(long ref) {
        return series.byRef(ref) != null || walAliases.containsKey(ref);
    }

    /**
     * Closes a durable head: flushes and fsyncs the WAL and the head chunk files and unmaps them.
     * Appends and queries fail afterwards. Nothing to do for an in-memory head. Idempotent.
     */
    @Override
    public void close() throws IOException {
        IOException err = null;
        for (WalWriter w : new WalWriter[] {wal, wbl}) {
            if (w != null) {
                try {
                    w.close();
                } catch (IOException e) {
                    if (err == null) {
                        err = e;
                    } else {
                        err.addSuppressed(e);
                    }
                }
            }
        }
        try {
            chunks.close();
        } catch (IOException e) {
            if (err == null) {
                err = e;
            } else {
                err.addSuppressed(e);
            }
        }
        if (err != null) {
            throw err;
        }
    }
}
