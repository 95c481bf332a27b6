package io.specula.alertmanager.notify;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters behind Alertmanager's {@code alertmanager_notifications_total},
 * {@code alertmanager_notifications_failed_total} and
 * {@code alertmanager_notification_requests_total}, per integration. Thread-safe.
 */
public final class NotificationMetrics {
    private final ConcurrentHashMap<String, LongAdder> total = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> sent = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> failed = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> requests = new ConcurrentHashMap<>();

    void delivery(String integration) {
        total.computeIfAbsent(integration, k -> new LongAdder()).increment();
    }

    /** Notifications started, retries not counted ({@code alertmanager_notifications_total}). */
    public long notifications(String integration) {
        LongAdder a = total.get(integration);
        return a == null ? 0 : a.sum();
    }

    void attempt(String integration) {
        requests.computeIfAbsent(integration, k -> new LongAdder()).increment();
    }

    void sent(String integration) {
        sent.computeIfAbsent(integration, k -> new LongAdder()).increment();
    }

    void failed(String integration) {
        failed.computeIfAbsent(integration, k -> new LongAdder()).increment();
    }

    public long sent(String integration, boolean ok) {
        LongAdder a = (ok ? sent : failed).get(integration);
        return a == null ? 0 : a.sum();
    }

    /** HTTP attempts, retries included ({@code alertmanager_notification_requests_total}). */
    public long requests(String integration) {
        LongAdder a = requests.get(integration);
        return a == null ? 0 : a.sum();
    }
}
