package io.specula.promql.engine;

import io.specula.tsdb.storage.Queryable;

/**
 * Per-query state shared by all operators: the storage, limits, cancellation and the
 * annotations being collected. Used by one thread at a time.
 */
final class QueryContext {
    final Queryable queryable;
    final EngineOptions options;
    final String query;
    final Annotations annotations = new Annotations();
    /** The query's own start and end (ms), for {@code @ start()} / {@code @ end()}. */
    final long queryStart, queryEnd, queryStep;
    private final long deadlineNanos;
    volatile boolean canceled;
    long totalSamples, peakSamples;
    private int checkCounter;

    private final MemoryBudget budget;

    QueryContext(Queryable queryable, EngineOptions options, MemoryBudget budget, String query, long start, long end,
            long step) {
        this.queryable = queryable;
        this.budget = budget;
        this.options = options;
        this.query = query;
        this.queryStart = start;
        this.queryEnd = end;
        this.queryStep = step;
        this.deadlineNanos = System.nanoTime() + Math.max(0, options.timeout()) * 1_000_000L;
    }

    /** Called from evaluation loops; throws when the query was canceled or ran out of time. */
    void check() {
        if ((++checkCounter & 0xFF) == 0) {
            checkNow();
        }
    }

    /**
     * Like {@link #check()} for loops whose iterations differ in cost: {@code work} is about the
     * number of points an iteration touched (a range function's window), so a long window does
     * not stretch the time between checks past the timeout.
     */
    void checkWork(long work) {
        pendingWork += work + 1;
        if (pendingWork >= 1 << 16) {
            pendingWork = 0;
            checkNow();
        }
    }

    private long pendingWork;

    void checkNow() {
        if (canceled) {
            throw new QueryException(QueryException.Type.CANCELED, "query was canceled in expression evaluation");
        }
        if (System.nanoTime() - deadlineNanos >= 0) {
            throw new QueryException(QueryException.Type.TIMEOUT, "query timed out in expression evaluation");
        }
    }

    /** Records samples read from storage. */
    void loaded(long n) {
        totalSamples += n;
    }

    /**
     * Points held by evaluated subexpressions that are still alive, as Prometheus counts
     * "samples in memory": a node's inputs stay counted until the node has produced its output.
     */
    long currentSamples;

    /**
     * Records that an operator holds {@code n} more points on top of {@link #currentSamples}
     * for a moment (a window of raw samples, an accumulator) and fails when the total exceeds
     * the limit.
     */
    void holding(long n) {
        long total = currentSamples + n;
        if (total > peakSamples) {
            peakSamples = total;
        }
        if (total > options.maxSamples()) {
            throw QueryException.tooManySamples();
        }
    }

    /**
     * Dense per-step slots (a double or a long, about 8 bytes each) the query's live values
     * occupy: the outputs of evaluated subexpressions still needed plus what the node being
     * evaluated has allocated so far. Unlike {@link #currentSamples} (Prometheus's count of
     * points, which a sparse series keeps low) this is what the memory costs, so it is
     * checked against the same limit before each allocation: no query can take more than
     * about {@code 8 × --query.max-samples} bytes of heap for its values.
     */
    private long liveSlots;

    long liveSlots() {
        return liveSlots;
    }

    /** Takes {@code slots} more from the budget before they are allocated; fails beyond the limit. */
    void reserve(long slots) {
        if (slots < 0) {
            throw QueryException.tooManySamples();
        }
        liveSlots += slots;
        boolean shared = budget.add(slots);
        if (liveSlots > options.maxSamples() || !shared) {
            throw QueryException.tooManySamples();
        }
    }

    /** Gives back {@code slots} that became garbage. */
    void release(long slots) {
        liveSlots -= slots;
        budget.add(-slots);
    }

    /** Gives back everything above {@code level} (what a finished node's children held). */
    void releaseTo(long level) {
        release(liveSlots - level);
    }

    /**
     * Fails if a transient buffer of {@code slots} (a series' raw samples being read) would not
     * fit beside what the query holds: checked before the buffer grows, not counted after.
     */
    void checkBuffer(long slots) {
        if (liveSlots + slots > options.maxSamples() || budget.held() + slots > budget.limit()) {
            throw QueryException.tooManySamples();
        }
    }

    String pos(io.specula.promql.parser.PositionRange p) {
        return " (" + p.describe(query == null ? "" : query) + ")";
    }

    void warn(String text, io.specula.promql.parser.PositionRange p) {
        annotations.warn("PromQL warning: " + text + pos(p));
    }

    void info(String text, io.specula.promql.parser.PositionRange p) {
        annotations.info("PromQL info: " + text + pos(p));
    }
}
