package io.specula.incident;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.specula.incident.config.IncidentsConfig;
import io.specula.model.labels.Labels;
import io.specula.rules.ActiveAlert;
import io.specula.rules.Alert;
import io.specula.rules.AlertSink;
import io.specula.rules.AlertState;
import io.specula.rules.RuleManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Incidents in the running server. Sits between the rule manager and the notifier as its
 * {@link AlertSink}: every alert sent gets the label {@code incident} and the annotations
 * {@code root_cause} and {@code incident_summary}; when an incident's root cause or path changes,
 * its firing alerts are sent again with the new annotations. Every evaluation interval it rebuilds
 * the entity graph, reads the health signals and updates the incidents. Thread-safe.
 */
public final class IncidentManager implements AlertSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IncidentManager.class);
    public static final String LABEL = "incident";
    public static final String ROOT_CAUSE = "root_cause";
    public static final String SUMMARY = "incident_summary";

    private final AlertSink downstream;
    private final SeriesSource series;
    private final Supplier<RuleManager> rules;
    private final Supplier<List<Topology.Target>> targets;
    private final IncidentMetrics metrics = new IncidentMetrics();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("incident-refresh").daemon(true).factory());
    private final Map<Labels, Alert> lastSent = new HashMap<>();
    private volatile IncidentsConfig.Resolved config = IncidentsConfig.Resolved.DEFAULT;
    private volatile IncidentTracker tracker;
    private volatile EntityGraph graph = EntityGraph.EMPTY;
    private ScheduledFuture<?> task;
    private volatile long intervalMs = 1000;

    /**
     * @param downstream where decorated alerts go (the notifier)
     * @param rules the rule manager, once it exists (null before)
     * @param targets the active scrape targets
     */
    public IncidentManager(AlertSink downstream, SeriesSource series, Supplier<RuleManager> rules,
            Supplier<List<Topology.Target>> targets) {
        this.downstream = downstream;
        this.series = series;
        this.rules = rules;
        this.targets = targets;
        this.tracker = new IncidentTracker(config.rejoinWindowMs(), metrics);
    }

    /** Applies a (re)loaded configuration; refreshes every {@code intervalMs} (the evaluation interval). */
    public synchronized void applyConfig(IncidentsConfig.Resolved c, long evalIntervalMs) {
        if (c.enabled() && !config.enabled()) {
            tracker = new IncidentTracker(c.rejoinWindowMs(), metrics); // what was tracked before is stale
        } else {
            tracker.rejoinWindow(c.rejoinWindowMs()); // keeps every alert's incident across reloads
        }
        config = c;
        long iv = Math.clamp(evalIntervalMs, 1000, 60_000);
        if (task == null || iv != intervalMs) {
            if (task != null) {
                task.cancel(false);
            }
            intervalMs = iv;
            // At once: the graph (declared dependencies at least) must be there before the first alert.
            task = timer.scheduleWithFixedDelay(this::refreshSafely, 0, iv, TimeUnit.MILLISECONDS);
        } else {
            timer.execute(this::refreshSafely); // new declared dependencies count from now
        }
    }

    public void register(PrometheusRegistry r) {
        metrics.register(r, () -> tracker);
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** The entity graph of the last refresh. */
    public EntityGraph graph() {
        return graph;
    }

    public List<Incident> incidents() {
        return enabled() ? tracker.incidents() : List.of();
    }

    /** The incident {@code id}, or null. */
    public Incident incident(String id) {
        return enabled() ? tracker.incident(id) : null;
    }

    private void refreshSafely() {
        try {
            refresh(System.currentTimeMillis());
        } catch (RuntimeException e) {
            LOG.warn("incident refresh failed err={}", e.toString());
        }
    }

    /** Rebuilds the graph, reads health signals, updates incidents, and re-sends outdated annotations. */
    public void refresh(long now) {
        IncidentsConfig.Resolved c = config;
        RuleManager rm = rules.get();
        if (!c.enabled()) {
            return;
        }
        EntityGraph g = Topology.build(targets.get(), series, c.dependencies(), now);
        graph = g;
        Map<Entity, List<Evidence>> signals = HealthSignals.read(series, g, now, intervalMs);
        List<IncidentTracker.ActiveAlert> alerts = new ArrayList<>();
        for (ActiveAlert a : rm == null ? List.<ActiveAlert>of() : rm.activeAlerts()) {
            if (a.state() == AlertState.PENDING || a.state() == AlertState.FIRING) {
                alerts.add(new IncidentTracker.ActiveAlert(a.labels(), a.state().apiName, a.value(), a.activeAtMs(),
                        a.firedAtMs()));
            }
        }
        IncidentTracker t = tracker;
        synchronized (lastSent) {
            // An alert that vanished without a resolved notification (its rule was removed) expires.
            lastSent.values().removeIf(a -> a.resolved(now));
        }
        resend(t, t.observe(now, alerts, g, signals), java.util.Set.of(), now);
    }

    /** Sends the firing alerts of the {@code changed} incidents again with their new annotations. */
    private void resend(IncidentTracker t, List<String> changed, java.util.Set<Labels> skip, long now) {
        if (changed.isEmpty()) {
            return;
        }
        List<Alert> again = new ArrayList<>();
        synchronized (lastSent) {
            for (Alert a : lastSent.values()) {
                if (!a.resolved(now) && !skip.contains(a.labels())) {
                    IncidentTracker.Assignment as = t.assign(a.labels(), a.startsAtMs(), false, now);
                    if (as != null && changed.contains(as.incidentId())) {
                        again.add(decorate(a, as));
                    }
                }
            }
        }
        if (!again.isEmpty()) {
            downstream.send(again);
        }
    }

    @Override
    public void send(List<Alert> alerts) {
        if (!config.enabled()) {
            downstream.send(alerts);
            return;
        }
        long now = System.currentTimeMillis();
        IncidentTracker t = tracker;
        List<Alert> out = new ArrayList<>(alerts.size());
        java.util.Set<Labels> batch = new java.util.HashSet<>();
        for (Alert a : alerts) {
            batch.add(a.labels());
            boolean resolved = a.resolved(now);
            IncidentTracker.Assignment as = t.assign(a.labels(), a.startsAtMs(), resolved, now);
            synchronized (lastSent) {
                if (resolved) {
                    lastSent.remove(a.labels());
                } else {
                    lastSent.put(a.labels(), a);
                }
            }
            out.add(as == null ? a : decorate(a, as));
        }
        // Decorate again: an alert later in the batch may have changed the cause of an earlier one.
        for (int i = 0; i < out.size(); i++) {
            Alert a = out.get(i);
            String id = a.labels().get(LABEL);
            IncidentTracker.Assignment as = id.isEmpty() ? null : t.current(id);
            if (as != null) {
                out.set(i, decorate(alerts.get(i), as));
            }
        }
        downstream.send(out);
        resend(t, t.drainChanged(), batch, now);
    }

    private static Alert decorate(Alert a, IncidentTracker.Assignment as) {
        Labels l = a.labels().toBuilder().set(LABEL, as.incidentId()).build();
        Map<String, String> ann = new LinkedHashMap<>(a.annotations());
        if (!as.rootCause().isEmpty()) {
            ann.put(ROOT_CAUSE, as.rootCause());
        }
        ann.put(SUMMARY, as.summary());
        return new Alert(l, ann, a.startsAtMs(), a.endsAtMs(), a.generatorUrl());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
