package io.specula.app.server;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.SummaryWithCallback;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.specula.app.Version;
import io.specula.rules.RuleManager;
import io.specula.rules.RuleMetrics;
import io.specula.rules.notifier.Notifier;
import io.specula.scrape.ScrapeService;
import io.specula.tsdb.DB;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Specula's own metrics under Prometheus's names, so that existing Prometheus dashboards and
 * alerts (config reload, head series, samples appended, scrape failures, …) work unchanged.
 * Everything is read by callback at scrape time from the counters the components keep; nothing
 * here sits on a hot path.
 */
final class ServerMetrics {
    private ServerMetrics() {}

    static void register(PrometheusRegistry r, Server s) {
        JvmMetrics.builder().register(r); // process_* and jvm_*
        GaugeWithCallback.builder().name("prometheus_build_info")
                .help("A metric with a constant '1' value labeled by version, revision, branch, goversion from which prometheus was built, and the goos and goarch for the build.")
                .labelNames("version", "revision", "branch", "goversion", "goos", "goarch", "tags")
                .callback(cb -> cb.call(1, Version.version(), "", "", "java" + System.getProperty("java.version"),
                        System.getProperty("os.name").toLowerCase(), System.getProperty("os.arch"), "specula"))
                .register(r);
        gauge(r, "prometheus_ready", "Whether Prometheus startup was fully completed and the server is ready for normal operation.",
                x -> x.db() != null ? 1 : 0, s);
        gauge(r, "prometheus_config_last_reload_successful", "Whether the last configuration reload attempt was successful.",
                x -> x.reloadStatus().success() ? 1 : 0, s);
        gauge(r, "prometheus_config_last_reload_success_timestamp_seconds", "Timestamp of the last successful configuration reload.",
                x -> x.reloadStatus().lastSuccessMillis() / 1000.0, s);
        gauge(r, "prometheus_engine_queries_concurrent_max", "The max number of concurrent queries.",
                x -> x.options().engine().maxConcurrency(), s);

        dbGauge(r, s, "prometheus_tsdb_head_series", "Total number of series in the head block.", db -> db.head().numSeries());
        dbGauge(r, s, "prometheus_tsdb_head_min_time", "Minimum time bound of the head block.", db -> db.head().minTime());
        dbGauge(r, s, "prometheus_tsdb_head_max_time", "Maximum timestamp of the head block.", db -> db.head().maxTime());
        dbGauge(r, s, "prometheus_tsdb_blocks_loaded", "Number of currently loaded data blocks", db -> db.blocks().size());
        CounterWithCallback.builder().name("prometheus_tsdb_head_samples_appended_total")
                .help("Total number of appended samples.").labelNames("type")
                .callback(cb -> {
                    DB db = s.db();
                    cb.call(db == null ? 0 : db.head().samplesAppended(), "float");
                })
                .register(r);
        dbCounter(r, s, "prometheus_tsdb_head_out_of_order_samples_appended_total",
                "Total number of appended out of order samples.", db -> db.head().outOfOrderSamplesAppended());
        dbCounter(r, s, "prometheus_tsdb_compactions_triggered_total",
                "Total number of triggered compactions for the partition.", DB::compactionsTriggered);

        dbGauge(r, s, "prometheus_tsdb_lowest_timestamp", "Lowest timestamp value stored in the database.",
                db -> db.blocks().isEmpty() ? db.head().minTime() : Math.min(db.blocks().getFirst().meta().minTime(), db.head().minTime()));
        GaugeWithCallback.builder().name("prometheus_sd_discovered_targets")
                .help("Current number of discovered targets.").labelNames("config", "name")
                .callback(cb -> {
                    ScrapeService sc = s.scrape();
                    if (sc != null) {
                        Map<String, Integer> dropped = sc.scrapeManager().droppedTargetCounts();
                        sc.scrapeManager().activeTargets().forEach((job, targets) ->
                                cb.call(targets.size() + dropped.getOrDefault(job, 0), job, "scrape"));
                    }
                })
                .register(r);

        registerNotifier(r, s.notifier());
        registerRules(r, s);

        // Scrape counters: one callback per name the scrape manager reports.
        for (String name : io.specula.scrape.ScrapeMetrics.NAMES) {
            CounterWithCallback.builder().name(name).help(help(name))
                    .callback(cb -> {
                        ScrapeService sc = s.scrape();
                        Map<String, Long> snap = sc == null ? Map.of() : sc.scrapeManager().metrics().snapshot();
                        cb.call(snap.getOrDefault(name, 0L));
                    })
                    .register(r);
        }
    }

    /** The rule manager's per-group metrics, read from its snapshot by name. */
    private static void registerRules(PrometheusRegistry r, Server s) {
        String[][] counters = {
            {"prometheus_rule_evaluations_total", "The total number of rule evaluations."},
            {"prometheus_rule_evaluation_failures_total", "The total number of rule evaluation failures."},
            {"prometheus_rule_group_iterations_total", "The total number of scheduled rule group evaluations, whether executed or missed."},
            {"prometheus_rule_group_iterations_missed_total", "The total number of rule group evaluations missed due to slow rule group evaluation."}};
        String[][] gauges = {
            {"prometheus_rule_group_interval_seconds", "The interval of a rule group."},
            {"prometheus_rule_group_last_duration_seconds", "The duration of the last rule group evaluation."},
            {"prometheus_rule_group_last_evaluation_timestamp_seconds", "The timestamp of the last rule group evaluation in seconds."},
            {"prometheus_rule_group_last_evaluation_samples", "The number of samples returned during the last rule group evaluation."},
            {"prometheus_rule_group_rules", "The number of rules."}};
        for (String[] c : counters) {
            CounterWithCallback.builder().name(c[0]).help(c[1]).labelNames("rule_group")
                    .callback(cb -> ruleSamples(s, c[0]).forEach(x -> cb.call(x.value(), x.labels().get("rule_group"))))
                    .register(r);
        }
        for (String[] g : gauges) {
            GaugeWithCallback.builder().name(g[0]).help(g[1]).labelNames("rule_group")
                    .callback(cb -> ruleSamples(s, g[0]).forEach(x -> cb.call(x.value(), x.labels().get("rule_group"))))
                    .register(r);
        }
        for (String[] sm : new String[][] {
                {"prometheus_rule_group_duration_seconds", "The duration of rule group evaluations."},
                {"prometheus_rule_evaluation_duration_seconds", "The duration for a rule to execute."}}) {
            SummaryWithCallback.builder().name(sm[0]).help(sm[1]).callback(cb -> {
                double sum = ruleSamples(s, sm[0] + "_sum").stream().mapToDouble(RuleMetrics.Sample::value).sum();
                double count = ruleSamples(s, sm[0] + "_count").stream().mapToDouble(RuleMetrics.Sample::value).sum();
                cb.call((long) count, sum, Quantiles.EMPTY);
            }).register(r);
        }
    }

    private static java.util.List<RuleMetrics.Sample> ruleSamples(Server s, String name) {
        RuleManager rm = s.rules();
        return rm == null ? java.util.List.of() : rm.metrics().stream().filter(x -> x.name().equals(name)).toList();
    }

    private static void registerNotifier(PrometheusRegistry r, Notifier n) {
        CounterWithCallback.builder().name("prometheus_notifications_sent_total")
                .help("Total number of alerts sent.").labelNames("alertmanager")
                .callback(cb -> n.metrics().alertmanagers().forEach((url, c) -> cb.call(c.sent(), url))).register(r);
        CounterWithCallback.builder().name("prometheus_notifications_errors_total")
                .help("Total number of sent alerts affected by errors.").labelNames("alertmanager")
                .callback(cb -> n.metrics().alertmanagers().forEach((url, c) -> cb.call(c.errors(), url))).register(r);
        SummaryWithCallback.builder().name("prometheus_notifications_latency_seconds")
                .help("Latency quantiles for sending alert notifications.").labelNames("alertmanager")
                .callback(cb -> n.metrics().alertmanagers().forEach((url, c) ->
                        cb.call(c.latencyCount(), c.latencySumSeconds(), Quantiles.EMPTY, url))).register(r);
        CounterWithCallback.builder().name("prometheus_notifications_dropped_total")
                .help("Total number of alerts dropped due to errors when sending to Alertmanager.")
                .callback(cb -> cb.call(n.metrics().dropped())).register(r);
        GaugeWithCallback.builder().name("prometheus_notifications_queue_length")
                .help("The number of alert notifications in the queue.")
                .callback(cb -> cb.call(n.metrics().queueLength())).register(r);
        GaugeWithCallback.builder().name("prometheus_notifications_queue_capacity")
                .help("The capacity of the alert notifications queue.")
                .callback(cb -> cb.call(n.metrics().queueCapacity())).register(r);
        GaugeWithCallback.builder().name("prometheus_notifications_alertmanagers_discovered")
                .help("The number of alertmanagers discovered and active.")
                .callback(cb -> cb.call(n.metrics().alertmanagersDiscovered())).register(r);
    }

    private static String help(String name) {
        return "Scrape counter " + name.replace('_', ' ') + ".";
    }

    private static void gauge(PrometheusRegistry r, String name, String help, ToDoubleFunction<Server> f, Server s) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(f.applyAsDouble(s))).register(r);
    }

    private static void dbGauge(PrometheusRegistry r, Server s, String name, String help, ToDoubleFunction<DB> f) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> {
            DB db = s.db();
            if (db != null) {
                cb.call(f.applyAsDouble(db));
            }
        }).register(r);
    }

    private static void dbCounter(PrometheusRegistry r, Server s, String name, String help, ToDoubleFunction<DB> f) {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> {
            DB db = s.db();
            cb.call(db == null ? 0 : f.applyAsDouble(db));
        }).register(r);
    }
}
