package io.specula.incident;

import io.specula.model.labels.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The health signals read from stored series, so that an entity is seen to be unhealthy even
 * before (or without) an alert on it: targets down, low memory and OOM kills on nodes, OOM-killed,
 * restarting or unready pods, nodes reporting pressure, and failing calls on service-graph
 * edges. Each signal is a PromQL expression whose result series are the unhealthy ones; a range
 * query over up to {@link #MAX_STEPS} steps of {@link #LOOKBACK_MS} tells since when each one
 * holds. Stateless; thread-safe.
 */
public final class HealthSignals {
    static final long LOOKBACK_MS = 15 * 60_000L;
    /**
     * At most this many steps per query: "since" further back than that is remembered by the
     * tracker from earlier reads, so each read need not cover the whole lookback at a short interval.
     */
    static final int MAX_STEPS = 120;
    /** The share of failed calls on a service-graph edge above which the callee counts as failing. */
    static final double EDGE_ERROR_RATIO = 0.05;

    private HealthSignals() {}

    /**
     * A built-in signal: an expression returning unhealthy series, how to word one, and how to
     * graph one ({@code graph} with each {@code {}} replaced by the series' label matchers).
     */
    record Signal(String name, String metric, String expr, Wording wording, String graph) {}

    interface Wording {
        String text(Labels l, double v);
    }

    static final List<Signal> SIGNALS = List.of(
            new Signal("target_down", "up", "up == 0", (l, v) -> "target " + l.get("instance") + " down (up == 0)",
                    "up{}"),
            new Signal("memory_low", "node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes",
                    "node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes < 0.1",
                    (l, v) -> String.format(Locale.ROOT, "memory available %.1f%%", v * 100),
                    "node_memory_MemAvailable_bytes{} / node_memory_MemTotal_bytes{}"),
            new Signal("node_oom_kills", "increase(node_vmstat_oom_kill[5m])", "increase(node_vmstat_oom_kill[5m]) > 0",
                    (l, v) -> String.format(Locale.ROOT, "%.0f OOM kills in 5m", v),
                    "increase(node_vmstat_oom_kill{}[5m])"),
            new Signal("node_pressure", "kube_node_status_condition",
                    "kube_node_status_condition{condition=~\"MemoryPressure|DiskPressure|PIDPressure\",status=\"true\"} == 1",
                    (l, v) -> "node reports " + l.get("condition"),
                    "kube_node_status_condition{}"),
            new Signal("node_not_ready", "kube_node_status_condition",
                    "kube_node_status_condition{condition=\"Ready\",status=\"true\"} == 0", (l, v) -> "node not ready",
                    "kube_node_status_condition{}"),
            new Signal("oom_killed", "kube_pod_container_status_last_terminated_reason",
                    "kube_pod_container_status_last_terminated_reason{reason=\"OOMKilled\"} == 1"
                            + " and on (namespace, pod, container) increase(kube_pod_container_status_restarts_total[15m]) > 0",
                    (l, v) -> "container " + l.get("container") + " OOM-killed",
                    "kube_pod_container_status_last_terminated_reason{}"),
            new Signal("restarts", "increase(kube_pod_container_status_restarts_total[5m])",
                    "increase(kube_pod_container_status_restarts_total[5m]) > 0",
                    (l, v) -> String.format(Locale.ROOT, "container %s restarted %.0f times in 5m", l.get("container"), v),
                    "increase(kube_pod_container_status_restarts_total{}[5m])"),
            new Signal("pod_not_ready", "kube_pod_status_ready", "kube_pod_status_ready{condition=\"true\"} == 0",
                    (l, v) -> "pod not ready",
                    "kube_pod_status_ready{}"),
            new Signal("edge_errors", "traces_service_graph_request_failed_total / traces_service_graph_request_total",
                    "sum by (client, server) (rate(traces_service_graph_request_failed_total[2m]))"
                            + " / sum by (client, server) (rate(traces_service_graph_request_total[2m])) > " + EDGE_ERROR_RATIO,
                    (l, v) -> String.format(Locale.ROOT, "%.0f%% of calls from %s fail", v * 100, l.get("client")),
                    "sum by (client, server) (rate(traces_service_graph_request_failed_total{}[2m]))"
                            + " / sum by (client, server) (rate(traces_service_graph_request_total{}[2m]))"));

    /**
     * The signal evidence per entity at {@code nowMs}, {@code stepMs} apart over the lookback (the
     * resolution of "since").
     */
    public static Map<Entity, List<Evidence>> read(SeriesSource source, EntityGraph graph, long nowMs, long stepMs) {
        long step = Math.max(1000, stepMs);
        long points = Math.min(LOOKBACK_MS / step, MAX_STEPS);
        long start = nowMs - points * step;
        Map<Entity, List<Evidence>> out = new HashMap<>();
        for (Signal s : SIGNALS) {
            for (SeriesSource.Series x : source.range(s.expr(), start, nowMs, step)) {
                int n = x.ts().length;
                if (n == 0 || x.ts()[n - 1] != nowMs) {
                    continue; // not unhealthy now
                }
                int i = n - 1;
                while (i > 0 && x.ts()[i - 1] == x.ts()[i] - step) {
                    i--;
                }
                Labels l = x.labels();
                Entity e = s.name().equals("edge_errors") ? serviceOrNull(l.get("server")) : graph.resolve(l);
                if (e == null) {
                    continue;
                }
                double v = x.vs()[n - 1];
                out.computeIfAbsent(e, k -> new ArrayList<>()).add(new Evidence(Evidence.SIGNAL, s.name(),
                        s.metric() + l, v, x.ts()[i], "", s.wording().text(l, v), s.graph().replace("{}", matchers(l))));
            }
        }
        return out;
    }

    /** {@code {a="b", c="d"}}: equality matchers for every label but the metric name. */
    static String matchers(Labels l) {
        return l.withoutMetricName().toString();
    }

    private static Entity serviceOrNull(String name) {
        return name.isEmpty() ? null : Entity.service(name);
    }
}
