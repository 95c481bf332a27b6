package io.specula.scrape;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One scrape target: its labels after target relabeling (including the {@code __}-prefixed
 * ones that steer the scrape), the labels discovery gave it, and its latest scrape health.
 *
 * <p>Labels and URL are immutable; the health fields are written by the target's scrape loop
 * and read by anyone (volatile), e.g. {@code /api/v1/targets}.
 */
public final class Target {
    /** A target's health, as {@code /api/v1/targets} prints it. */
    public enum Health {
        UNKNOWN("unknown"), UP("up"), DOWN("down");

        private final String text;

        Health(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private final String scrapePool;
    private final Labels labels;
    private final Labels publicLabels;
    /** Replaced on every sync: duplicates and label changes that leave the target's identity alone show here, as in Prometheus. */
    private volatile Labels discoveredLabels;
    private final String url;
    private final long intervalMillis;
    private final long timeoutMillis;
    private final long hash;

    private volatile Health health = Health.UNKNOWN;
    private volatile String lastError = "";
    private volatile long lastScrapeMillis;
    private volatile long lastScrapeDurationNanos;
    private volatile Map<String, MetricMetadata> metadata = Map.of();

    Target(String scrapePool, Labels labels, Labels discoveredLabels, Map<String, List<String>> params,
           long intervalMillis, long timeoutMillis) {
        this.scrapePool = scrapePool;
        this.labels = labels;
        this.discoveredLabels = discoveredLabels;
        this.intervalMillis = intervalMillis;
        this.timeoutMillis = timeoutMillis;
        LabelsBuilder pub = new LabelsBuilder();
        for (int i = 0; i < labels.size(); i++) {
            if (!labels.name(i).startsWith("__")) {
                pub.set(labels.name(i), labels.value(i));
            }
        }
        this.publicLabels = pub.build();
        this.url = buildUrl(labels, params);
        this.hash = labels.hash() * 31 + fnv64a(url);
    }

    private static String buildUrl(Labels labels, Map<String, List<String>> configParams) {
        Map<String, List<String>> params = new TreeMap<>();
        if (configParams != null) {
            configParams.forEach((k, v) -> params.put(k, new ArrayList<>(v == null ? List.of() : v)));
        }
        for (int i = 0; i < labels.size(); i++) {
            String n = labels.name(i);
            if (n.startsWith("__param_")) {
                String k = n.substring("__param_".length());
                List<String> vs = params.computeIfAbsent(k, x -> new ArrayList<>());
                if (vs.isEmpty()) {
                    vs.add(labels.value(i));
                } else {
                    vs.set(0, labels.value(i));
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(labels.get("__scheme__")).append("://").append(labels.get("__address__")).append(labels.get("__metrics_path__"));
        char sep = '?';
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            for (String v : e.getValue()) {
                sb.append(sep).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
                sep = '&';
            }
        }
        return sb.toString();
    }

    private static long fnv64a(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    public String scrapePool() {
        return scrapePool;
    }

    /** All labels after relabeling, including {@code __address__}, {@code __scheme__}, … */
    public Labels labels() {
        return labels;
    }

    /** The labels attached to scraped series: those not starting with {@code __}. */
    public Labels publicLabels() {
        return publicLabels;
    }

    /** The labels as discovered, before relabeling. */
    public Labels discoveredLabels() {
        return discoveredLabels;
    }

    void setDiscoveredLabels(Labels l) {
        discoveredLabels = l;
    }

    public String url() {
        return url;
    }

    public long intervalMillis() {
        return intervalMillis;
    }

    public long timeoutMillis() {
        return timeoutMillis;
    }

    /** Identity of the target within its pool (labels and URL), also the seed of its scrape offset. */
    public long hash() {
        return hash;
    }

    public Health health() {
        return health;
    }

    /** The last scrape's error, or "" when it succeeded. */
    public String lastError() {
        return lastError;
    }

    /** Start of the last scrape in milliseconds since the epoch; 0 before the first. */
    public long lastScrapeMillis() {
        return lastScrapeMillis;
    }

    public long lastScrapeDurationNanos() {
        return lastScrapeDurationNanos;
    }

    /** Metric family name → TYPE/HELP/UNIT from the last successful scrape (immutable). */
    public Map<String, MetricMetadata> metadata() {
        return metadata;
    }

    void setMetadata(Map<String, MetricMetadata> metadata) {
        this.metadata = metadata;
    }

    void report(long startMillis, long durationNanos, String error) {
        lastScrapeMillis = startMillis;
        lastScrapeDurationNanos = durationNanos;
        lastError = error == null ? "" : error;
        health = error == null ? Health.UP : Health.DOWN;
    }

    /** An immutable snapshot for status pages and {@code /api/v1/targets}. */
    public TargetStatus status() {
        return new TargetStatus(scrapePool, url, discoveredLabels, publicLabels, health, lastError,
                lastScrapeMillis, lastScrapeDurationNanos / 1e9, intervalMillis, timeoutMillis);
    }

    @Override
    public String toString() {
        return url;
    }
}
