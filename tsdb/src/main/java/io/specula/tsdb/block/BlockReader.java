package io.specula.tsdb.block;

import io.specula.tsdb.chunks.ChunkReader;
import io.specula.tsdb.index.IndexReader;
import io.specula.tsdb.index.Postings;
import java.io.IOException;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.tombstones.Intervals;

/**
 * What the block queriers read: an index, the chunks its metas reference, the deletions and
 * the time range. A persisted {@link Block} is one; the head's range view
 * ({@code io.specula.tsdb.head.RangeHead}) is another, so that one querier
 * ({@link BlockQuerier}, {@link BlockChunkQuerier}) serves both, as Prometheus's
 * {@code BlockReader} does.
 *
 * <p>One reader per querier: created when the querier is, {@link #close() closed} with it
 * (which releases what the reader pinned). Used by one thread at a time.
 */
public interface BlockReader extends AutoCloseable {
    IndexReader index();

    ChunkReader chunks();

    /** The deleted intervals of series {@code ref}; {@link Intervals#EMPTY} when none. */
    Intervals tombstones(long ref);

    /** Earliest time the reader can hold data for (inclusive). */
    long minTime();

    /** Latest time the reader can hold data for (inclusive). */
    long maxTime();

    /**
     * The postings a selection iterates: {@code p} in label order when {@code sorted}. The head
     * lists every selected series' chunks here, at selection time, so that what a query
     * selected stays readable however long it takes to read it.
     */
    default Postings selection(Postings p, boolean sorted) throws IOException {
        return sorted ? index().sortedPostings(p) : p;
    }

    /**
     * A hook for what chunks do not keep: the head wraps the iterator of a series that has
     * start timestamps (WAL-only data). Returns {@code it} by default.
     */
    default SampleIterator decorate(long ref, long mint, long maxt, SampleIterator it) {
        return it;
    }

    /** Releases what this reader pinned. Idempotent. */
    @Override
    void close();
}
