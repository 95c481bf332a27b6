package io.specula.discovery.kubernetes;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Process-wide counters behind {@code prometheus_sd_kubernetes_events_total{role,event}} and
 * {@code prometheus_sd_kubernetes_failures_total}, global as Prometheus's are; the server
 * reads them when {@code /metrics} is scraped.
 */
public final class KubernetesMetrics {
    private KubernetesMetrics() {}

    public static final String EVENTS = "prometheus_sd_kubernetes_events_total";
    public static final String FAILURES = "prometheus_sd_kubernetes_failures_total";

    private static final Map<String, LongAdder> EVENT_COUNTS = new ConcurrentHashMap<>();
    private static final LongAdder FAILURE_COUNT = new LongAdder();

    static {
        // Prometheus initialises every role and event, so the series exist at zero.
        for (String role : new String[] {"endpointslice", "endpoints", "node", "pod", "service", "ingress"}) {
            for (String event : new String[] {"add", "delete", "update"}) {
                EVENT_COUNTS.put(role + "\u0000" + event, new LongAdder());
            }
        }
    }

    static void event(String role, String event) {
        EVENT_COUNTS.computeIfAbsent(role + "\u0000" + event, k -> new LongAdder()).increment();
    }

    static void failure() {
        FAILURE_COUNT.increment();
    }

    /** Receives one counter value with its labels. */
    @FunctionalInterface
    public interface EventSink {
        void accept(String role, String event, long value);
    }

    /** Every (role, event) counter, in a stable order. */
    public static void events(EventSink sink) {
        new TreeMap<>(EVENT_COUNTS).forEach((k, v) -> {
            int z = k.indexOf('\u0000');
            sink.accept(k.substring(0, z), k.substring(z + 1), v.sum());
        });
    }

    public static long failures() {
        return FAILURE_COUNT.sum();
    }
}
