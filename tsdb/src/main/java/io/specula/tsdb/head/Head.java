package io.specula.tsdb.head;

import io.specula.model.labels.Labels;
import io.specula.tsdb.storage.Appendable;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.Queryable;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory part of the database: the most recent samples of every active series, in
 * XOR chunks, with an inverted index for selection.
 *
 * <p>Appends go through {@link #appender()} transactions; a {@link HeadLog} (the write-ahead
 * log) sees each committed batch before memory does. Thread-safe: any number of appenders and
 * queriers may run at once.
 */
public final class Head implements Appendable, Queryable {
    /** Default chunk range: the span of the blocks the head is cut into (2h, in ms). */
    public static final long DEFAULT_CHUNK_RANGE = 2 * 60 * 60 * 1000L;

    final long chunkRange;
    final SeriesStore series = new SeriesStore();
    final MemPostings postings = new MemPostings();
    final HeadLog log;
    private final AtomicLong lastRef = new AtomicLong();
    private final AtomicLong numSeries = new AtomicLong();
    private final AtomicLong minTime = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong maxTime = new AtomicLong(Long.MIN_VALUE);
    /** Samples before this are refused: they belong to data already persisted or dropped. */
    private volatile long minValidTime = Long.MIN_VALUE;

    public Head(long chunkRange, HeadLog log) {
        if (chunkRange <= 0) {
            throw new IllegalArgumentException("chunk range must be positive, got " + chunkRange);
        }
        this.chunkRange = chunkRange;
        this.log = log == null ? HeadLog.NONE : log;
    }

    public Head() {
        this(DEFAULT_CHUNK_RANGE, HeadLog.NONE);
    }

    @Override
    public Appender appender() {
        return new HeadAppender(this);
    }

    @Override
    public Querier querier(long mint, long maxt) {
        return new HeadQuerier(this, mint, maxt);
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

    void updateTimes(long mint, long maxt) {
        minTime.accumulateAndGet(mint, Math::min);
        maxTime.accumulateAndGet(maxt, Math::max);
    }

    /**
     * Drops all data before {@code mint} (after it was persisted to a block) and removes the
     * series left without samples, so churn does not leak memory. Later appends before
     * {@code mint} are refused as out of bounds.
     *
     * @return the number of series removed
     */
    public int truncate(long mint) {
        minValidTime = Math.max(minValidTime, mint);
        List<MemSeries> removed = series.removeIf(s -> {
            synchronized (s) {
                return !s.pendingCommit && s.truncateBefore(mint);
            }
        });
        for (MemSeries s : removed) {
            postings.delete(Math.toIntExact(s.ref), s.labels);
        }
        if (numSeries.addAndGet(-removed.size()) == 0) {
            minTime.set(Long.MAX_VALUE);
        } else {
            minTime.accumulateAndGet(mint, Math::max);
        }
        return removed.size();
    }
}
