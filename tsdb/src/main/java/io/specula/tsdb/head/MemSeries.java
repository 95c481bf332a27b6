package io.specula.tsdb.head;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.model.labels.Labels;
import io.specula.tsdb.chunkenc.Chunk;
import io.specula.tsdb.chunkenc.ChunkAppender;
import io.specula.tsdb.chunkenc.Encoding;
import io.specula.tsdb.chunkenc.FloatHistogramAppender;
import io.specula.tsdb.chunkenc.FloatHistogramChunk;
import io.specula.tsdb.chunkenc.HistogramAppender;
import io.specula.tsdb.chunkenc.HistogramChunk;
import io.specula.tsdb.chunkenc.XorChunk;
import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.ValueType;
import java.io.IOException;
import java.util.Arrays;

/**
 * One series in the head: its labels, the chunks it has cut and the open chunk being appended.
 *
 * <p>A cut chunk is handed to {@link HeadChunks} (the head chunk files, or memory for a head
 * without a directory); the series keeps only its reference and time range, three longs, so
 * that a series costs little more than its open chunk and labels.
 *
 * <p>All mutable state is guarded by the instance's monitor; appends of one series never
 * contend with another series. Cut chunks are immutable, so a reader takes their references
 * under the lock and reads them afterwards without it.
 */
final class MemSeries {
    /** Samples per chunk Prometheus aims for; a chunk is cut early at the time estimated to reach it. */
    static final int SAMPLES_PER_CHUNK = 120;
    private static final long[] NO_CHUNKS = new long[0];

    final long ref;
    final Labels labels;

    /** Cut chunks in time order, three longs each: reference in {@link HeadChunks}, mint, maxt. */
    private long[] closed = NO_CHUNKS;
    /** Longs of {@link #closed} in use (three per chunk); the array grows by half, not by one chunk per cut. */
    private int closedLen;
    /**
     * Id of the first chunk in {@link #closed}: chunk {@code i} (the open one after the cut ones)
     * has id {@code firstChunkId + i}, so an id taken by a query keeps naming the same samples
     * after a cut or a truncation (see {@link HeadChunkRef}).
     */
    private long firstChunkId;

    /** The chunk being appended: XOR, histogram or float histogram, as the series' latest sample. */
    private Chunk open;
    private ChunkAppender appender;
    /** Whether the open histogram chunk's end time has been estimated (Prometheus's histogramChunkHasComputedEndTime). */
    private boolean histogramEndTimeComputed;
    /**
     * The latest sample when it is a histogram: a private {@link Histogram} or
     * {@link FloatHistogram} copy (arrays reused), which duplicates are compared with; null when
     * the latest sample is a float. One field for both kinds: every series pays for it.
     */
    private Object lastHistogram;
    private long openMinT;
    private long nextAt; // cut the open chunk once a sample reaches this time
    private long chunkRangeEnd; // samples never cross a chunk-range (block) boundary inside a chunk

    long maxT = Long.MIN_VALUE;
    /** Set while an uncommitted appender holds samples for this series: keeps it from GC. */
    boolean pendingCommit;
    /**
     * Set, under the lock, when the head drops the series (truncated away): an appender that
     * still holds it (a scrape cache's handle, a reference looked up just before) then creates a
     * new series for its labels instead of writing into a forgotten one.
     */
    boolean removed;
    /**
     * Whether the series record is in the WAL. The appender that created the series logs it at
     * commit, but another appender may commit samples for it first; it then logs the record
     * too, so that no samples record ever precedes its series record. Read without the lock.
     */
    volatile boolean logged;
    /** After a restart the last sample sits in a chunk on disk; it is read only if a duplicate needs it. */
    private boolean lastValueUnknown;
    private long lastValueBits;

    MemSeries(long ref, Labels labels) {
        this.ref = ref;
        this.labels = labels;
    }

    /** Out-of-order samples, null until the series gets one (see {@link OutOfOrderChunks}). */
    private OutOfOrderChunks ooo;

    /**
     * Start timestamps, null until the series gets one (see {@link StartTimes}). The WAL keeps
     * them (samples-v2 records); chunk files and blocks do not.
     */
    private StartTimes startTimes;

    /**
     * What the latest sample is, for a float stale marker: {@link io.specula.tsdb.storage.ValueType#HISTOGRAM},
     * {@code FLOAT_HISTOGRAM}, or {@code FLOAT} (also for an empty series). Caller holds the lock.
     */
    int lastType() {
        return lastHistogram == null ? ValueType.FLOAT : lastHistogram instanceof Histogram ? ValueType.HISTOGRAM : ValueType.FLOAT_HISTOGRAM;
    }

    /** Whether the series has start times; read without the lock only by the WAL replay thread, their one writer then. */
    boolean hasStartTimes() {
        return startTimes != null;
    }

    /**
     * Records the start time of a sample just stored at {@code t} (0 = unknown). Free for a
     * series that never had one. Caller holds the lock.
     */
    void putStartTime(long t, long st) {
        if (startTimes == null) {
            if (st == 0) {
                return;
            }
            startTimes = new StartTimes();
        }
        startTimes.put(t, st);
    }

    /** The start times of samples in [mint, maxt] for a query, or null when there are none; caller holds the lock. */
    StartTimes startTimesSnapshot(long mint, long maxt) {
        return startTimes == null ? null : startTimes.copy(mint, maxt);
    }

    /** Whether a sample at {@code t} with value {@code v} may follow what is stored; the caller holds the lock. */
    AppendCheck check(long t, double v, HeadChunks chunks) {
        return check(t, v, chunks, Long.MIN_VALUE, false, 0);
    }

    /**
     * Where a sample goes, Prometheus's rules: in order when at or after {@code minValidTime}
     * and newer than the newest sample (the same timestamp with the same value is a resend);
     * otherwise, with {@code oooOn}, into the out-of-order chunks when at or after
     * {@code oooMinTime} (the head's max time minus the window); otherwise refused as too old
     * (window on), out of bounds (before {@code minValidTime}) or out of order.
     * The caller holds the lock.
     */
    AppendCheck check(long t, double v, HeadChunks chunks, long minValidTime, boolean oooOn, long oooMinTime) {
        if (t >= minValidTime) {
            if (t > maxT) {
                return AppendCheck.OK;
            }
            if (t == maxT) {
                if (lastValueUnknown && !resolveLastValue(chunks)) {
                    return AppendCheck.DUPLICATE;
                }
                // Same timestamp: a resend of the same value is ignored, another value is an error.
                return Double.doubleToRawLongBits(v) == lastValueBits && lastHistogram == null
                        ? AppendCheck.DUPLICATE_SAME_VALUE : AppendCheck.DUPLICATE;
            }
        }
        if (oooOn) {
            return t >= oooMinTime ? AppendCheck.OUT_OF_ORDER_ACCEPTED : AppendCheck.TOO_OLD;
        }
        return t < minValidTime ? AppendCheck.OUT_OF_BOUNDS : AppendCheck.OUT_OF_ORDER;
    }

    /**
     * {@link #check} for a histogram sample ({@code h} or {@code fh}): a resend at the newest
     * timestamp is accepted only when it equals the stored histogram of the same kind.
     * Out-of-order histograms follow the float rules. The caller holds the lock.
     */
    AppendCheck checkHistogram(long t, Histogram h, FloatHistogram fh, HeadChunks chunks, long minValidTime, boolean oooOn,
            long oooMinTime) {
        if (t >= minValidTime) {
            if (t > maxT) {
                return AppendCheck.OK;
            }
            if (t == maxT) {
                if (lastValueUnknown && !resolveLastValue(chunks)) {
                    return AppendCheck.DUPLICATE;
                }
                boolean same = h != null ? lastHistogram instanceof Histogram lh && lh.equals(h)
                        : lastHistogram instanceof FloatHistogram lf && lf.equals(fh);
                return same ? AppendCheck.DUPLICATE_SAME_VALUE : AppendCheck.DUPLICATE;
            }
        }
        if (oooOn) {
            return t >= oooMinTime ? AppendCheck.OUT_OF_ORDER_ACCEPTED : AppendCheck.TOO_OLD;
        }
        return t < minValidTime ? AppendCheck.OUT_OF_BOUNDS : AppendCheck.OUT_OF_ORDER;
    }

    enum AppendCheck { OK, OUT_OF_ORDER_ACCEPTED, OUT_OF_ORDER, OUT_OF_BOUNDS, TOO_OLD, DUPLICATE, DUPLICATE_SAME_VALUE }

    /** Stores an out-of-order sample; false when its timestamp is already buffered (dropped). Caller holds the lock. */
    boolean insertOutOfOrder(long t, double v) {
        if (ooo == null) {
            ooo = new OutOfOrderChunks();
        }
        return ooo.insert(t, v);
    }

    /**
     * Stores an out-of-order histogram sample ({@code h} or {@code fh}, copied); false when
     * its timestamp is already buffered. Caller holds the lock.
     */
    boolean insertOutOfOrderHistogram(long t, Histogram h, FloatHistogram fh) {
        if (ooo == null) {
            ooo = new OutOfOrderChunks();
        }
        return ooo.insertHistogram(t, h != null ? h.copy() : fh.copy());
    }

    /** See {@link OutOfOrderChunks#freeze}; caller holds the lock. */
    long[] freezeOutOfOrder() {
        return ooo == null ? null : ooo.freeze();
    }

    /** See {@link OutOfOrderChunks#dropFrozen}; caller holds the lock. */
    void dropFrozenOutOfOrder(boolean compacted) {
        if (ooo != null) {
            if (compacted) {
                ooo.dropFrozen();
            } else {
                ooo.unfreeze();
            }
            if (ooo.isEmpty()) {
                ooo = null;
            }
        }
    }

    boolean hasOutOfOrder() {
        return ooo != null && !ooo.isEmpty();
    }

    /** Latest sample held, in order or not, Long.MIN_VALUE when empty; caller holds the lock. */
    long maxTimeAll() {
        return ooo == null ? maxT : Math.max(maxT, ooo.maxTime());
    }

    /** Earliest sample held, in order or not, Long.MAX_VALUE when empty; caller holds the lock. */
    long minTimeAll() {
        return ooo == null ? minTime() : Math.min(minTime(), ooo.minTime());
    }

    /** Whether the series holds no sample at all; caller holds the lock. */
    boolean isEmpty() {
        return chunkCount() == 0 && !hasOutOfOrder();
    }

    private boolean resolveLastValue(HeadChunks chunks) {
        try {
            SampleIterator it = chunks.readNow(closed[closedLen - 3]).iterator(null);
            int type, last = ValueType.NONE;
            while ((type = it.next()) != ValueType.NONE) {
                last = type;
            }
            if (it.err() != null) {
                return false;
            }
            lastHistogram = null;
            switch (last) {
                case ValueType.FLOAT -> lastValueBits = Double.doubleToRawLongBits(it.atV());
                case ValueType.HISTOGRAM -> lastHistogram = it.atHistogram(null);
                case ValueType.FLOAT_HISTOGRAM -> lastHistogram = it.atFloatHistogram(null);
                default -> { }
            }
            lastValueUnknown = false;
            return true;
        } catch (IOException e) {
            return false; // refused as a duplicate: the safe answer when the stored value is unreadable
        }
    }

    /** Appends a sample that passed {@link #check}; the caller holds the lock. */
    void append(long t, double v, long chunkRange, HeadChunks chunks) {
        if (open == null || open.encoding() != Encoding.XOR || t >= nextAt || t >= chunkRangeEnd
                || open.numSamples() >= 2 * SAMPLES_PER_CHUNK) {
            cut(t, chunkRange, chunks, Encoding.XOR);
        }
        appender.append(t, v);
        int n = open.numSamples();
        if (n == SAMPLES_PER_CHUNK / 4) {
            nextAt = chunkEndTime(openMinT, t, chunkRangeEnd);
        }
        maxT = t;
        lastValueBits = Double.doubleToRawLongBits(v);
        lastValueUnknown = false;
        lastHistogram = null;
    }

    /** Size a histogram chunk aims for, and the fewest samples before a size- or time-based cut (Prometheus's). */
    static final int HISTOGRAM_CHUNK_TARGET_BYTES = 1024, HISTOGRAM_CHUNK_MIN_SAMPLES = 10;

    /**
     * Appends a histogram sample ({@code h} or {@code fh}) that passed {@link #checkHistogram},
     * with Prometheus's rules: a chunk of the sample's encoding (a series that switches between
     * floats and histograms starts a new chunk), cut by size (1 KiB aimed at, 2 KiB at most,
     * 10 samples at least) and time (end estimated once the chunk is a quarter full, never
     * past the chunk range); the chunk appender itself cuts on counter resets and layout
     * changes and recodes on new buckets. The caller holds the lock; {@code h}/{@code fh} are
     * not kept.
     */
    void appendHistogram(long t, Histogram h, FloatHistogram fh, long chunkRange, HeadChunks chunks) {
        int encoding = h != null ? Encoding.HISTOGRAM : Encoding.FLOAT_HISTOGRAM;
        ChunkAppender prev = appender;
        boolean created = false;
        if (open == null || open.encoding() != encoding) {
            cut(t, chunkRange, chunks, encoding);
            created = true;
        } else {
            int numSamples = open.numSamples();
            int numBytes = open.length();
            if (!histogramEndTimeComputed && numBytes >= HISTOGRAM_CHUNK_TARGET_BYTES / 4) {
                nextAt = histogramChunkEndTime(openMinT, maxT, chunkRangeEnd, (double) HISTOGRAM_CHUNK_TARGET_BYTES / numBytes);
                histogramEndTimeComputed = true;
            }
            if ((t >= Math.min(nextAt, chunkRangeEnd) || numBytes >= 2 * HISTOGRAM_CHUNK_TARGET_BYTES)
                    && (numSamples >= HISTOGRAM_CHUNK_MIN_SAMPLES || t >= chunkRangeEnd)) {
                cut(t, chunkRange, chunks, encoding);
                created = true;
            }
        }
        if (created) {
            histogramEndTimeComputed = false;
        } else {
            prev = null; // the previous chunk's appender matters only for a chunk's first sample
        }
        int result;
        if (h != null) {
            result = ((HistogramAppender) appender).append(prev instanceof HistogramAppender p ? p : null, t, h, false);
        } else {
            result = ((FloatHistogramAppender) appender).append(prev instanceof FloatHistogramAppender p ? p : null, t, fh, false);
        }
        Chunk now = h != null ? ((HistogramAppender) appender).chunk() : ((FloatHistogramAppender) appender).chunk();
        if (result == HistogramAppender.NEW_CHUNK) {
            // The appender cut (counter reset, layout change): the old chunk is complete.
            long chunkRef = chunks.put(ref, openMinT, maxT, open);
            addClosed(chunkRef, openMinT, maxT);
            openMinT = t;
            chunkRangeEnd = Math.floorDiv(t, chunkRange) * chunkRange + chunkRange;
            nextAt = Long.MAX_VALUE;
        }
        open = now; // RECODED replaces the chunk in place
        maxT = t;
        lastValueUnknown = false;
        if (h != null) {
            lastHistogram = h.copyInto(lastHistogram instanceof Histogram last ? last : new Histogram());
        } else {
            lastHistogram = fh.copyInto(lastHistogram instanceof FloatHistogram last ? last : new FloatHistogram());
        }
    }

    /** Prometheus's computeChunkEndTime with a fill ratio, for histogram chunks (floating point, as there). */
    static long histogramChunkEndTime(long start, long cur, long max, double ratioToFull) {
        double n = (double) (max - start) / ((double) (cur - start + 1) * ratioToFull);
        if (n <= 1) {
            return max;
        }
        return (long) (start + (max - start) / Math.floor(n));
    }

    /**
     * Where to end a chunk so that it holds about {@link #SAMPLES_PER_CHUNK} samples and the
     * chunks up to {@code max} come out even: regular scrapes then give equal chunks.
     */
    static long chunkEndTime(long start, long cur, long max) {
        long n = (max - start) / ((cur - start + 1) * 4);
        if (n <= 1) {
            return max;
        }
        return start + (max - start) / n;
    }

    private void cut(long t, long chunkRange, HeadChunks chunks, int encoding) {
        boolean reused = false;
        if (open != null && open.numSamples() > 0) {
            long chunkRef = chunks.put(ref, openMinT, maxT, open);
            addClosed(chunkRef, openMinT, maxT);
            if (encoding == Encoding.XOR && open instanceof XorChunk x && !HeadChunks.inMemory(chunkRef)) {
                // Copied into the head chunk file: the buffer serves the next chunk, so a series
                // past its first chunk appends without allocating or growing arrays.
                x.reset(appender);
                reused = true;
            }
        }
        if (!reused) {
            open = switch (encoding) {
                case Encoding.HISTOGRAM -> HistogramChunk.create();
                case Encoding.FLOAT_HISTOGRAM -> FloatHistogramChunk.create();
                default -> XorChunk.create();
            };
            try {
                appender = open.appender();
            } catch (CorruptionException e) {
                throw new IllegalStateException("a new chunk cannot be corrupt", e);
            }
        }
        openMinT = t;
        chunkRangeEnd = Math.floorDiv(t, chunkRange) * chunkRange + chunkRange;
        nextAt = Long.MAX_VALUE;
    }

    private void addClosed(long chunkRef, long mint, long maxt) {
        int i = closedLen;
        if (i + 3 > closed.length) {
            closed = Arrays.copyOf(closed, i + 3 + (i / 6) * 3); // one chunk, then by half
        }
        closedLen = i + 3;
        closed[i] = chunkRef;
        closed[i + 1] = mint;
        closed[i + 2] = maxt;
    }

    /**
     * Attaches a chunk found in the head chunk files at startup, before any sample is replayed
     * into the series; chunks come in time order. Caller holds the lock.
     */
    void addMapped(long chunkRef, long mint, long maxt) {
        addClosed(chunkRef, mint, maxt);
        maxT = maxt;
        lastValueUnknown = true;
    }

    /** Minimum time of any sample held, or Long.MAX_VALUE when empty; caller holds the lock. */
    long minTime() {
        return closedLen > 0 ? closed[1] : open != null ? openMinT : Long.MAX_VALUE;
    }

    /**
     * Drops chunks that end before {@code mint}; returns true when the series holds no sample
     * at or after {@code mint} any more (it can be garbage-collected). Caller holds the lock.
     */
    boolean truncateBefore(long mint, HeadChunks chunks) {
        int drop = 0;
        while (drop < closedLen && closed[drop + 2] < mint) {
            chunks.release(closed[drop]);
            drop += 3;
        }
        if (drop > 0) {
            firstChunkId += drop / 3;
            if (drop == closedLen) {
                closed = NO_CHUNKS; // probably about to be removed: free the array
            } else {
                System.arraycopy(closed, drop, closed, 0, closedLen - drop); // in place: the next chunks need the room again
            }
            closedLen -= drop;
        }
        if (open != null && maxT < mint) {
            open = null;
            appender = null;
        }
        if (startTimes != null && startTimes.truncateBefore(mint)) {
            startTimes = null;
        }
        return closedLen == 0 && open == null && !hasOutOfOrder(); // out-of-order data leaves by its own compaction
    }

    // Read accessors for the head's index and chunk readers (RangeHead); the caller holds the lock.

    long firstChunkId() {
        return firstChunkId;
    }

    /** Number of cut chunks. */
    int closedCount() {
        return closedLen / 3;
    }

    /** Reference in {@link HeadChunks} of cut chunk {@code i}. */
    long closedRef(int i) {
        return closed[3 * i];
    }

    long closedMinTime(int i) {
        return closed[3 * i + 1];
    }

    long closedMaxTime(int i) {
        return closed[3 * i + 2];
    }

    /** The chunk being appended to, or null. */
    Chunk openChunk() {
        return open;
    }

    long openMinTime() {
        return openMinT;
    }

    /** The out-of-order chunks, or null when the series has none. */
    OutOfOrderChunks outOfOrder() {
        return ooo;
    }

    /** Number of chunks held (cut and open); caller holds the lock. */
    int chunkCount() {
        return closedLen / 3 + (open != null ? 1 : 0);
    }
}
