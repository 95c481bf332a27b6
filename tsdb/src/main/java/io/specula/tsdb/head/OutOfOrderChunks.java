package io.specula.tsdb.head;

import io.specula.tsdb.chunkenc.Chunk;
import io.specula.tsdb.chunkenc.ChunkAppender;
import io.specula.tsdb.chunkenc.XorChunk;
import io.specula.tsdb.encoding.CorruptionException;
import java.util.Arrays;

/**
 * The out-of-order samples of one series: samples older than the series' newest in-order
 * sample, accepted within the out-of-order time window. Only series that received such a
 * sample have one, so in-order series pay one null reference.
 *
 * <p>New samples go into a small buffer kept sorted by time (insertion into at most
 * {@link #CAP} samples); a full buffer is encoded as an XOR chunk and kept in memory. Cut
 * chunks are each in time order but may overlap one another and the in-order chunks: queries
 * merge them. This mirrors Prometheus's out-of-order head chunk ({@code out_of_order_cap_max},
 * 32 by default) except that cut chunks stay on the heap rather than in {@code chunks_head/}:
 * out-of-order data is expected to be rare, and the write-behind log ({@code wbl/}) brings it
 * back after a restart.
 *
 * <p>Compaction takes the chunks cut so far ({@link #freeze}) and later drops exactly those
 * ({@link #dropFrozen}); samples arriving in between stay. Guarded by the series' monitor.
 */
final class OutOfOrderChunks {
    /** Samples in the buffer before it is cut into a chunk (Prometheus's default out_of_order_cap_max). */
    static final int CAP = 32;

    private long[] bufT = new long[4];
    private double[] bufV = new double[4];
    private int bufN;

    private Chunk[] chunks = new Chunk[2];
    private long[] mints = new long[2], maxts = new long[2];
    private int n;
    /** Chunks [0, frozen) are being compacted into a block. */
    private int frozen;
    /** Id of chunk 0; the buffer's id is {@code firstId + n} (see {@link HeadChunkRef}). */
    private long firstId;

    /**
     * Inserts a sample in time order; false when the buffer already holds its timestamp (the
     * first value of a timestamp is kept, later ones dropped, as Prometheus does).
     */
    boolean insert(long t, double v) {
        int i = Arrays.binarySearch(bufT, 0, bufN, t);
        if (i >= 0) {
            return false;
        }
        if (bufN == CAP) {
            cutBuffer();
            i = -1;
        }
        int at = -i - 1;
        if (bufN == bufT.length) {
            bufT = Arrays.copyOf(bufT, Math.min(CAP, bufN * 2));
            bufV = Arrays.copyOf(bufV, bufT.length);
        }
        System.arraycopy(bufT, at, bufT, at + 1, bufN - at);
        System.arraycopy(bufV, at, bufV, at + 1, bufN - at);
        bufT[at] = t;
        bufV[at] = v;
        bufN++;
        return true;
    }

    private void cutBuffer() {
        if (bufN == 0) {
            return;
        }
        if (n == chunks.length) {
            chunks = Arrays.copyOf(chunks, n * 2);
            mints = Arrays.copyOf(mints, n * 2);
            maxts = Arrays.copyOf(maxts, n * 2);
        }
        XorChunk c = encodeBuffer();
        c.compact();
        chunks[n] = c;
        mints[n] = bufT[0];
        maxts[n] = bufT[bufN - 1];
        n++;
        bufN = 0;
    }

    private XorChunk encodeBuffer() {
        XorChunk c = XorChunk.create();
        try {
            ChunkAppender app = c.appender();
            for (int i = 0; i < bufN; i++) {
                app.append(bufT[i], bufV[i]);
            }
        } catch (CorruptionException e) {
            throw new IllegalStateException("a new chunk cannot be corrupt", e);
        }
        return c;
    }

    // Read accessors for RangeHead; the caller holds the series lock.

    long firstId() {
        return firstId;
    }

    /** Cut chunks. */
    int count() {
        return n;
    }

    /** Cut chunks a compaction froze. */
    int frozenCount() {
        return frozen;
    }

    Chunk chunk(int i) {
        return chunks[i];
    }

    long chunkMinTime(int i) {
        return mints[i];
    }

    long chunkMaxTime(int i) {
        return maxts[i];
    }

    /** Samples in the buffer. */
    int bufferCount() {
        return bufN;
    }

    long bufferMinTime() {
        return bufT[0];
    }

    long bufferMaxTime() {
        return bufT[bufN - 1];
    }

    /** The buffer encoded as a new chunk, for a query. */
    Chunk bufferChunk() {
        return encodeBuffer();
    }

    boolean isEmpty() {
        return n == 0 && bufN == 0;
    }

    /** Earliest sample held, Long.MAX_VALUE when empty. */
    long minTime() {
        long m = bufN > 0 ? bufT[0] : Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            m = Math.min(m, mints[i]);
        }
        return m;
    }

    /** Latest sample held, Long.MIN_VALUE when empty. */
    long maxTime() {
        long m = bufN > 0 ? bufT[bufN - 1] : Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, maxts[i]);
        }
        return m;
    }

    /**
     * Cuts the buffer and marks every chunk as taken by a compaction.
     *
     * @return {min, max} time of the frozen chunks; null when there are none
     */
    long[] freeze() {
        cutBuffer();
        frozen = n;
        if (n == 0) {
            return null;
        }
        long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            lo = Math.min(lo, mints[i]);
            hi = Math.max(hi, maxts[i]);
        }
        return new long[] {lo, hi};
    }

    /** Drops the chunks {@link #freeze} marked (they are in a block now). */
    void dropFrozen() {
        firstId += frozen;
        int keep = n - frozen;
        System.arraycopy(chunks, frozen, chunks, 0, keep);
        System.arraycopy(mints, frozen, mints, 0, keep);
        System.arraycopy(maxts, frozen, maxts, 0, keep);
        Arrays.fill(chunks, keep, n, null);
        n = keep;
        frozen = 0;
    }

    /** Unmarks frozen chunks after a failed compaction: they stay for the next one. */
    void unfreeze() {
        frozen = 0;
    }
}
