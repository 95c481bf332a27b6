package io.specula.tsdb.head;

import io.specula.model.labels.Labels;
import io.specula.tsdb.chunkenc.Chunk;
import io.specula.tsdb.chunkenc.ChunkAppender;
import io.specula.tsdb.chunkenc.XorChunk;
import io.specula.tsdb.encoding.CorruptionException;
import java.util.Arrays;

/**
 * One series in the head: its labels, its closed chunks and the open chunk being appended.
 *
 * <p>All mutable state is guarded by the instance's monitor; appends of one series never
 * contend with another series. Closed chunks are immutable once cut, so a reader takes
 * references to them under the lock and reads them afterwards without it.
 */
final class MemSeries {
    /** Samples per chunk Prometheus aims for; a chunk is cut early at the time estimated to reach it. */
    static final int SAMPLES_PER_CHUNK = 120;

    final long ref;
    final Labels labels;

    private Chunk[] closed = new Chunk[0];
    private long[] closedMinT = new long[0];
    private long[] closedMaxT = new long[0];

    private XorChunk open;
    private ChunkAppender appender;
    private long openMinT;
    private long nextAt; // cut the open chunk once a sample reaches this time
    private long chunkRangeEnd; // samples never cross a chunk-range (block) boundary inside a chunk

    long maxT = Long.MIN_VALUE;
    /** Set while an uncommitted appender holds samples for this series: keeps it from GC. */
    boolean pendingCommit;
    private long lastValueBits;

    MemSeries(long ref, Labels labels) {
        this.ref = ref;
        this.labels = labels;
    }

    /** Whether a sample at {@code t} with value {@code v} may follow what is stored; the caller holds the lock. */
    AppendCheck check(long t, double v) {
        if (t > maxT) {
            return AppendCheck.OK;
        }
        if (t < maxT) {
            return AppendCheck.OUT_OF_ORDER;
        }
        // Same timestamp: a resend of the same value is ignored, another value is an error.
        return Double.doubleToRawLongBits(v) == lastValueBits ? AppendCheck.DUPLICATE_SAME_VALUE : AppendCheck.DUPLICATE;
    }

    enum AppendCheck { OK, OUT_OF_ORDER, DUPLICATE, DUPLICATE_SAME_VALUE }

    /** Appends a sample that passed {@link #check}; the caller holds the lock. */
    void append(long t, double v, long chunkRange) {
        if (open == null || t >= nextAt || t >= chunkRangeEnd || open.numSamples() >= 2 * SAMPLES_PER_CHUNK) {
            cut(t, chunkRange);
        }
        appender.append(t, v);
        int n = open.numSamples();
        if (n == SAMPLES_PER_CHUNK / 4) {
            nextAt = chunkEndTime(openMinT, t, chunkRangeEnd);
        }
        maxT = t;
        lastValueBits = Double.doubleToRawLongBits(v);
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

    private void cut(long t, long chunkRange) {
        if (open != null) {
            open.compact();
            int i = closed.length;
            closed = Arrays.copyOf(closed, i + 1);
            closedMinT = Arrays.copyOf(closedMinT, i + 1);
            closedMaxT = Arrays.copyOf(closedMaxT, i + 1);
            closed[i] = open;
            closedMinT[i] = openMinT;
            closedMaxT[i] = maxT;
        }
        open = XorChunk.create();
        try {
            appender = open.appender();
        } catch (CorruptionException e) {
            throw new IllegalStateException("a new chunk cannot be corrupt", e);
        }
        openMinT = t;
        chunkRangeEnd = Math.floorDiv(t, chunkRange) * chunkRange + chunkRange;
        nextAt = Long.MAX_VALUE;
    }

    /** Minimum time of any sample held, or Long.MAX_VALUE when empty; caller holds the lock. */
    long minTime() {
        return closed.length > 0 ? closedMinT[0] : open != null ? openMinT : Long.MAX_VALUE;
    }

    /**
     * Drops closed chunks that end before {@code mint}; returns true when the series holds no
     * sample at or after {@code mint} any more (it can be garbage-collected). Caller holds the lock.
     */
    boolean truncateBefore(long mint) {
        int drop = 0;
        while (drop < closed.length && closedMaxT[drop] < mint) {
            drop++;
        }
        if (drop > 0) {
            closed = Arrays.copyOfRange(closed, drop, closed.length);
            closedMinT = Arrays.copyOfRange(closedMinT, drop, closedMinT.length);
            closedMaxT = Arrays.copyOfRange(closedMaxT, drop, closedMaxT.length);
        }
        if (open != null && maxT < mint) {
            open = null;
            appender = null;
        }
        return closed.length == 0 && open == null;
    }

    /**
     * The chunks overlapping [mint, maxt], in time order, safe to read without the lock: closed
     * chunks as they are, the open chunk as a copy of its bytes. Caller holds the lock.
     */
    Chunk[] chunksFor(long mint, long maxt) {
        int n = 0;
        Chunk[] out = new Chunk[closed.length + 1];
        for (int i = 0; i < closed.length; i++) {
            if (closedMaxT[i] >= mint && closedMinT[i] <= maxt) {
                out[n++] = closed[i];
            }
        }
        if (open != null && maxT >= mint && openMinT <= maxt) {
            out[n++] = XorChunk.fromData(Arrays.copyOf(open.bytes(), open.length()), open.length());
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** Number of chunks held (closed and open); caller holds the lock. */
    int chunkCount() {
        return closed.length + (open != null ? 1 : 0);
    }
}
