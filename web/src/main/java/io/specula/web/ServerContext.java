package io.specula.web;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.specula.incident.IncidentManager;
import io.specula.model.config.ConfigException;
import io.specula.model.labels.Labels;
import io.specula.promql.engine.Engine;
import io.specula.rules.RuleManager;
import io.specula.rules.notifier.Notifier;
import io.specula.scrape.ScrapeService;
import io.specula.tsdb.DB;
import java.util.Map;

/**
 * What the HTTP side needs from the running server; the app's wiring implements it. Every
 * method is thread-safe. Values that change on reload ({@link #configYaml()},
 * {@link #externalLabels()}) are read per request, never cached by the web layer.
 */
public interface ServerContext {

    /** The storage, or {@code null} while it is still opening (WAL replay): then the API answers 503. */
    DB db();

    Engine engine();

    /** Discovery and scraping: targets, pools, metadata. */
    ScrapeService scrape();

    /**
     * The running rule groups ({@code rules}, {@code alerts}), or {@code null} before the TSDB is
     * open; the API then lists no rules.
     */
    RuleManager rules();

    /** Where alerts go ({@code alertmanagers}), or {@code null} when there is none: no Alertmanagers listed. */
    Notifier notifier();

    /** Incidents ({@code /api/v1/incidents}), or {@code null} when the server tracks none: the list is empty. */
    default IncidentManager incidents() {
        return null;
    }

    /** The running configuration as YAML, secrets shown as {@code <secret>} (for {@code status/config}). */
    String configYaml();

    /**
     * Every command-line flag by its Prometheus name, with its effective value ({@code status/flags}).
     * The web side also reads {@code storage.tsdb.path} (admin snapshots, WAL replay progress) and
     * {@code storage.tsdb.retention.time}/{@code .size} ({@code status/runtimeinfo}) from here.
     */
    Map<String, String> flags();

    /** The {@code global.external_labels} of the running configuration (federation, API). */
    Labels externalLabels();

    /** Whether the last (re)load succeeded and when the last successful one happened. */
    ReloadStatus reloadStatus();

    /** Re-reads the configuration; on error nothing changed and the message says why. */
    void reload() throws ConfigException;

    /** Begins an orderly shutdown (returns at once; {@code /-/quit}). */
    void quit();

    /**
     * What PromQL and {@code /api/v1/series} read: {@code db} merged with the {@code remote_read}
     * endpoints (Prometheus's fanout storage); {@code db} itself by default.
     */
    default io.specula.tsdb.storage.Queryable queryable(DB db) {
        return db;
    }

    /** Where received samples (remote write, OTLP) go: the TSDB, or agent mode's WAL; null while opening. */
    default io.specula.tsdb.storage.Appendable appendable() {
        return db();
    }

    /** Whether {@code /-/ready} says so: the storage is open (the TSDB, or agent mode's WAL). */
    default boolean ready() {
        return db() != null;
    }

    /** Agent mode ({@code --agent}): query, rules and TSDB endpoints are refused as Prometheus's agent refuses them. */
    default boolean agent() {
        return Boolean.parseBoolean(flags().getOrDefault("agent", "false"));
    }

    /** The OTLP receiver's translation options from the running configuration's {@code otlp} block. */
    default io.specula.remote.otlp.OtlpOptions otlpOptions() {
        return io.specula.remote.otlp.OtlpOptions.DEFAULTS;
    }

    /** Where Specula's own metrics are registered ({@code /metrics}). */
    PrometheusRegistry registry();

    /**
     * Extra text-format (0.0.4) expositions served under the route prefix, by path: the app serves
     * the in-process host exporter at {@code /node/metrics}. None by default.
     */
    default Map<String, MetricsSource> metricsEndpoints() {
        return Map.of();
    }

    /** Renders one exposition body on each request; thread-safe. */
    @FunctionalInterface
    interface MetricsSource {
        byte[] scrape() throws java.io.IOException;
    }

    /**
     * @param success whether the last reload succeeded
     * @param lastSuccessMillis wall-clock time of the last successful (re)load
     */
    record ReloadStatus(boolean success, long lastSuccessMillis) {}
}
