package io.specula.alertmanager.dispatch;

import io.specula.alertmanager.types.Alert;
import io.specula.alertmanager.types.LabelSets;
import io.specula.model.labels.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

/**
 * The alerts of one route that share the route's group_by values, notified together
 * (Alertmanager's {@code aggrGroup}). The dispatcher drives its timer: the first flush after
 * group_wait, then one every group_interval. Guarded by its own monitor.
 */
public final class AggregationGroup {
    private final Route route;
    private final Labels groupLabels;
    private final String groupKey;
    private final Map<Long, Alert> alerts = new LinkedHashMap<>();
    private boolean hasFlushed;
    private boolean destroyed;
    /** Generation of the current timer; a flush from an older one is stale and does nothing. */
    private int timerGen;
    ScheduledFuture<?> timer;

    AggregationGroup(Route route, Labels groupLabels) {
        this.route = route;
        this.groupLabels = groupLabels;
        this.groupKey = route.key() + ":" + LabelSets.format(groupLabels);
    }

    public Route route() {
        return route;
    }

    public Labels groupLabels() {
        return groupLabels;
    }

    /** Alertmanager's group key: route key, colon, group labels. */
    public String groupKey() {
        return groupKey;
    }

    synchronized void insert(Alert a) {
        alerts.put(a.fingerprint(), a);
    }

    synchronized int nextTimerGen() {
        return ++timerGen;
    }

    synchronized boolean isCurrentTimer(int gen) {
        return gen == timerGen;
    }

    synchronized boolean hasFlushed() {
        return hasFlushed;
    }

    synchronized void markFlushed() {
        hasFlushed = true;
    }

    synchronized boolean destroyed() {
        return destroyed;
    }

    /** The alerts in notification order. */
    public synchronized List<Alert> alerts() {
        List<Alert> out = new ArrayList<>(alerts.values());
        out.sort(Alert.NOTIFICATION_ORDER);
        return out;
    }

    /**
     * Forgets resolved alerts that were notified and not updated since, and marks the
     * group destroyed when nothing is left.
     *
     * @return whether the group is now empty and destroyed
     */
    synchronized boolean deleteIfNotModified(List<Alert> notifiedResolved) {
        for (Alert a : notifiedResolved) {
            alerts.remove(a.fingerprint(), a);
        }
        if (alerts.isEmpty()) {
            destroyed = true;
        }
        return destroyed;
    }

    synchronized boolean isEmpty() {
        return alerts.isEmpty();
    }
}
