package io.specula.discovery;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The process-wide {@code prometheus_sd_*} counters of the discovery mechanisms, under
 * Prometheus's names (like Prometheus's, they are global: every discoverer of a mechanism adds to
 * the same series). The server exports {@link #snapshot()} on {@code /metrics}. Thread-safe.
 */
public final class SdMetrics {
    private SdMetrics() {}

    public static final String DNS_LOOKUPS = "prometheus_sd_dns_lookups_total";
    public static final String DNS_LOOKUP_FAILURES = "prometheus_sd_dns_lookup_failures_total";
    public static final String CONSUL_RPC_FAILURES = "prometheus_sd_consul_rpc_failures_total";
    /** Labeled by {@code mechanism}: failed refreshes of the refresh-based mechanisms. */
    public static final String REFRESH_FAILURES = "prometheus_sd_refresh_failures_total";

    /** Name → help, for the exporter. */
    public static final Map<String, String> HELP = Map.of(
            DNS_LOOKUPS, "The number of DNS-SD lookups.",
            DNS_LOOKUP_FAILURES, "The number of DNS-SD lookup failures.",
            CONSUL_RPC_FAILURES, "The number of Consul RPC call failures.",
            REFRESH_FAILURES, "Number of refresh failures for the given SD mechanism.");

    private static final Map<String, LongAdder> COUNTERS = new ConcurrentHashMap<>();

    /** Adds one to {@code name} (unlabeled) or to {@code name{mechanism="…"}}. */
    public static void inc(String name, String mechanism) {
        COUNTERS.computeIfAbsent(mechanism == null ? name : name + "\u0000" + mechanism, k -> new LongAdder()).increment();
    }

    /** Unlabeled counters by name (0 when never counted). */
    public static long get(String name) {
        LongAdder a = COUNTERS.get(name);
        return a == null ? 0 : a.sum();
    }

    /** {@code mechanism} → count for a labeled counter. */
    public static Map<String, Long> byMechanism(String name) {
        Map<String, Long> out = new TreeMap<>();
        COUNTERS.forEach((k, v) -> {
            if (k.startsWith(name + "\u0000")) {
                out.put(k.substring(name.length() + 1), v.sum());
            }
        });
        return out;
    }
}
