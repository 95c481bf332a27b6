package io.specula.tsdb.head;

/**
 * The chunk references the head's index reader hands out, as Prometheus's
 * {@code HeadChunkRef}: the series reference in the upper 40 bits, a chunk id in the lower 24.
 * Ids count a series' chunks from its first ever: {@code MemSeries.firstChunkId() + i} is cut
 * chunk {@code i}, the next id the open chunk, so an id keeps naming the same samples when the
 * open chunk is cut or old chunks are truncated. The top bit of the id marks an out-of-order
 * chunk (ids counted by {@code OutOfOrderChunks.firstId()}, the buffer after the cut ones).
 * Ids wrap within their 23 bits; a query never spans that many chunks of one series.
 */
final class HeadChunkRef {
    private static final int ID_BITS = 24;
    static final long ID_MASK = (1L << (ID_BITS - 1)) - 1;
    private static final long OUT_OF_ORDER = 1L << (ID_BITS - 1);

    private HeadChunkRef() {}

    static long of(long seriesRef, long chunkId, boolean outOfOrder) {
        return seriesRef << ID_BITS | (outOfOrder ? OUT_OF_ORDER : 0) | (chunkId & ID_MASK);
    }

    static long series(long ref) {
        return ref >>> ID_BITS;
    }

    static boolean outOfOrder(long ref) {
        return (ref & OUT_OF_ORDER) != 0;
    }

    /** Index of the chunk among the ones held now, given the id of the first held ({@code firstId}). */
    static int index(long ref, long firstId) {
        long d = ((ref & ID_MASK) - firstId) & ID_MASK;
        return d > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) d;
    }
}
