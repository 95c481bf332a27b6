package io.specula.promql.engine;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The slots (about 8 bytes each, see {@link QueryContext#liveSlots}) all queries of one
 * {@link Engine} may hold together. {@code --query.max-samples} bounds one query; this bounds
 * their sum, so that {@code --query.max-concurrency} queries at their limit cannot together grow
 * the heap without bound: a query that would pass it fails like one over its own limit.
 *
 * <p>The limit follows the server rather than the JVM's ceiling: queries together may hold three
 * quarters of the rest of the live heap ({@link LiveHeap}: the head, caches and buffers, what the
 * server needs), at least {@link #MIN_BYTES} and at most a quarter of the ceiling. So a burst of
 * queries grows the heap in proportion to the server, as Go's GOGC lets Prometheus's heap grow in
 * proportion to its live set, instead of into whatever the JVM's ceiling allows. Thread-safe.
 */
final class MemoryBudget {
    static final long SLOT_BYTES = 8;
    /** What queries may always hold together, however small the server. */
    static final long MIN_BYTES = 128L << 20;
    /** The queries' share of the rest of the live heap, in percent. */
    static final int SHARE_PERCENT = 75;

    /** The budget that follows the JVM's live heap. */
    static MemoryBudget ofHeap() {
        return new MemoryBudget(LiveHeap.get()::bytes, Runtime.getRuntime().maxMemory() / 4 / SLOT_BYTES);
    }

    private final AtomicLong held = new AtomicLong();
    /** The live heap in bytes; null when the limit is fixed at {@link #ceiling}. */
    private final LongSupplier liveBytes;
    /** Slots: a quarter of the heap's ceiling, or the fixed limit. */
    private final long ceiling;

    /** A fixed limit of {@code slots}. */
    MemoryBudget(long slots) {
        this(null, slots);
    }

    MemoryBudget(LongSupplier liveBytes, long ceiling) {
        this.liveBytes = liveBytes;
        this.ceiling = ceiling;
    }

    /** Adds {@code n} (negative to release) and tells whether the total is within the limit. */
    boolean add(long n) {
        return held.addAndGet(n) <= limit();
    }

    long held() {
        return held.get();
    }

    /** The limit now, in slots. */
    long limit() {
        if (liveBytes == null) {
            return ceiling;
        }
        long rest = Math.max(0, liveBytes.getAsLong() - held.get() * SLOT_BYTES);
        return Math.min(ceiling, Math.max(MIN_BYTES, rest / 100 * SHARE_PERCENT) / SLOT_BYTES);
    }
}
