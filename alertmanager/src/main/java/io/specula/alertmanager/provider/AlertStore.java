package io.specula.alertmanager.provider;

import io.specula.alertmanager.types.Alert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The alerts the Alertmanager currently knows, by fingerprint (Alertmanager's
 * {@code provider/mem}). A report of a known alert is merged into it ({@link Alert#merge});
 * every stored version is handed to the listeners (the dispatcher), and resolved alerts
 * are dropped by {@link #gc()} once they are older than the retention. Thread-safe.
 */
public final class AlertStore {
    private final ConcurrentHashMap<Long, Alert> alerts = new ConcurrentHashMap<>();
    private final List<Consumer<List<Alert>>> listeners = new CopyOnWriteArrayList<>();
    private final Supplier<Instant> clock;
    /** Bumped on every change, so readers can cache what they derive from the store. */
    private final java.util.concurrent.atomic.AtomicLong version = new java.util.concurrent.atomic.AtomicLong();

    public AlertStore(Supplier<Instant> clock) {
        this.clock = clock;
    }

    /**
     * Registers a consumer of every stored alert version, called on the putting thread with
     * each batch as a whole (so a batch lands in its groups before any of them flushes).
     */
    public void subscribe(Consumer<List<Alert>> listener) {
        listeners.add(listener);
    }

    /** Stores (merging with a known, unresolved version) and announces an alert. */
    public void put(Alert a) {
        putAll(List.of(a));
    }

    /** Stores and announces a batch of alerts. */
    public void putAll(List<Alert> batch) {
        List<Alert> stored = new ArrayList<>(batch.size());
        for (Alert a : batch) {
            stored.add(store(a));
        }
        for (Consumer<List<Alert>> l : listeners) {
            l.accept(stored);
        }
    }

    /** A counter that changes whenever the set of stored alerts does. */
    public long version() {
        return version.get();
    }

    private Alert store(Alert a) {
        version.incrementAndGet();
        Instant now = clock.get();
        return alerts.compute(a.fingerprint(), (fp, old) -> {
            if (old == null) {
                return a;
            }
            // A resolved old alert is history; a new report that overlaps it continues it.
            if (!old.resolvedAt(now) || !a.startsAt().isAfter(old.endsAt())) {
                return old.merge(a, now);
            }
            return a;
        });
    }

    public Alert get(long fingerprint) {
        return alerts.get(fingerprint);
    }

    /** A snapshot of all alerts, in no particular order. */
    public List<Alert> list() {
        return new ArrayList<>(alerts.values());
    }

    /**
     * Drops resolved alerts whose end lies further back than {@code keepResolved}, and any
     * alert not updated within {@code retention}.
     *
     * @return how many were dropped
     */
    public int gc(java.time.Duration keepResolved, java.time.Duration retention) {
        Instant now = clock.get();
        int[] n = {0};
        alerts.values().removeIf(a -> {
            boolean drop = (a.resolvedAt(now) && a.endsAt().plus(keepResolved).isBefore(now))
                    || a.updatedAt().plus(retention).isBefore(now);
            if (drop) {
                n[0]++;
                version.incrementAndGet();
            }
            return drop;
        });
        return n[0];
    }

    public int size() {
        return alerts.size();
    }
}
