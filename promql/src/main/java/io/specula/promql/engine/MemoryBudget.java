package io.specula.promql.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The slots (about 8 bytes each, see {@link QueryContext#liveSlots}) all queries of one
 * {@link Engine} may hold together. {@code --query.max-samples} bounds one query; this bounds
 * their sum, so that {@code --query.max-concurrency} queries at their limit cannot together
 * exhaust a heap with a ceiling: a query that would pass it fails like one over its own limit.
 * Thread-safe.
 */
final class MemoryBudget {
    /** The share of the maximum heap that query values may take together: a quarter. */
    static MemoryBudget ofHeap() {
        return new MemoryBudget(Runtime.getRuntime().maxMemory() / 4 / 8);
    }

    private final AtomicLong held = new AtomicLong();
    final long limit;

    MemoryBudget(long limit) {
        this.limit = limit;
    }

    /** Adds {@code n} (negative to release) and tells whether the total is within the limit. */
    boolean add(long n) {
        return held.addAndGet(n) <= limit;
    }

    long held() {
        return held.get();
    }
}
