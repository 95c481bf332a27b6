package io.specula.rules.notifier;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The notifier's counters, kept as plain numbers so that whoever exposes {@code /metrics} can
 * read them through {@link #snapshot}. Names and meanings follow Prometheus:
 *
 * <ul>
 *   <li>{@code prometheus_notifications_sent_total{alertmanager}}: alerts sent, successful or not;
 *   <li>{@code prometheus_notifications_errors_total{alertmanager}}: alerts in failed requests;
 *   <li>{@code prometheus_notifications_dropped_total}: alerts dropped, because the queue was
 *       full or a batch reached none of the Alertmanagers of some set;
 *   <li>{@code prometheus_notifications_queue_length}, {@code …_queue_capacity};
 *   <li>{@code prometheus_notifications_alertmanagers_discovered};
 *   <li>{@code prometheus_notifications_latency_seconds{alertmanager}} as count and sum (a summary
 *       without quantiles).
 * </ul>
 * Per-Alertmanager series start at zero when the Alertmanager is discovered. Thread-safe.
 */
public final class NotifierMetrics {
    private final Map<String, PerAlertmanager> perAm = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();

    /** Counters of one Alertmanager URL. */
    private static final class PerAlertmanager {
        final LongAdder sent = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder latencyCount = new LongAdder();
        final DoubleAdder latencySum = new DoubleAdder();
    }

    /** Per-Alertmanager values of one snapshot. */
    public record AlertmanagerCounters(long sent, long errors, long latencyCount, double latencySumSeconds) {}

    /**
     * The values at one moment.
     *
     * @param alertmanagers counters by Alertmanager URL, sorted
     */
    public record Snapshot(Map<String, AlertmanagerCounters> alertmanagers, long dropped, int queueLength,
                           int queueCapacity, int alertmanagersDiscovered) {}

    void register(String url) {
        perAm.computeIfAbsent(url, u -> new PerAlertmanager());
    }

    void sent(String url, int alerts, boolean failed, double seconds) {
        PerAlertmanager p = perAm.computeIfAbsent(url, u -> new PerAlertmanager());
        p.sent.add(alerts);
        if (failed) {
            p.errors.add(alerts);
        }
        p.latencyCount.increment();
        p.latencySum.add(seconds);
    }

    void dropped(long n) {
        dropped.addAndGet(n);
    }

    long dropped() {
        return dropped.get();
    }

    Snapshot snapshot(int queueLength, int queueCapacity, int discovered) {
        Map<String, AlertmanagerCounters> m = new TreeMap<>();
        perAm.forEach((url, p) -> m.put(url,
                new AlertmanagerCounters(p.sent.sum(), p.errors.sum(), p.latencyCount.sum(), p.latencySum.sum())));
        return new Snapshot(Collections.unmodifiableMap(m),
                dropped.get(), queueLength, queueCapacity, discovered);
    }
}
