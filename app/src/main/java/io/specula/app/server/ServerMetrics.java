package io.specula.app.server;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.SummaryWithCallback;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.specula.app.Version;
import io.specula.discovery.SdMetrics;
import io.specula.rules.RuleManager;
import io.specula.rules.RuleMetrics;
import io.specula.rules.notifier.Notifier;
import io.specula.scrape.ScrapeService;
import io.specula.tsdb.DB;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
        dbCounter(r, s, "prometheus_tsdb_wal_corruptions_total", "Total number of WAL corruptions.", db -> {
            var rep = db.head().replayReport();
            return rep == null ? 0 : (rep.walRepair() != null ? 1 : 0) + (rep.checkpointRepair() != null ? 1 : 0)
                    + (rep.wblRepair() != null ? 1 : 0);
        });
        dbCounter(r, s, "prometheus_tsdb_mmap_chunk_corruptions_total",
                "Total number of memory-mapped chunk corruptions.", db -> {
                    var rep = db.head().replayReport();
                    return rep == null ? 0 : rep.chunkRepairs().size();
                });
        dbCounter(r, s, "specula_tsdb_blocks_quarantined_total",
                "Total number of blocks that failed to open and were moved to <data>/corrupted.", db -> db.corruptBlocks().size());
        dbCounter(r, s, "prometheus_tsdb_compactions_triggered_total",
                "Total number of triggered compactions for the partition.", DB::compactionsTriggered);

        // The exemplar storage's, with Prometheus's names and help (zeros without --enable-feature=exemplar-storage).
        dbCounter(r, s, "prometheus_tsdb_exemplar_exemplars_appended_total", "Total number of appended exemplars.",
                db -> db.exemplars().stats().appended());
        dbCounter(r, s, "prometheus_tsdb_exemplar_out_of_order_exemplars_total",
                "Total number of out of order exemplar ingestion failed attempts.", db -> db.exemplars().stats().outOfOrder());
        dbGauge(r, s, "prometheus_tsdb_exemplar_exemplars_in_storage", "Number of exemplars currently in circular storage.",
                db -> db.exemplars().stats().inStorage());
        dbGauge(r, s, "prometheus_tsdb_exemplar_series_with_exemplars_in_storage",
                "Number of series with exemplars currently in circular storage.", db -> db.exemplars().stats().seriesInStorage());
        dbGauge(r, s, "prometheus_tsdb_exemplar_last_exemplars_timestamp_seconds",
                "The timestamp of the oldest exemplar stored in circular storage. Useful to check for what time"
                        + "range the current exemplar buffer limit allows. This usually means the last timestamp"
                        + "for all exemplars for a typical setup. This is not true though if one of the series timestamp is in future compared to rest series.",
                db -> db.exemplars().stats().lastTimestampSeconds());
        dbGauge(r, s, "prometheus_tsdb_exemplar_max_exemplars",
                "Total number of exemplars the exemplar storage can store, resizeable.", db -> db.exemplars().stats().maxExemplars());

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

        // Discovery's process-wide counters (prometheus_sd_dns_*, prometheus_sd_consul_*, refresh failures).
        for (String name : java.util.List.of(SdMetrics.DNS_LOOKUPS,
                SdMetrics.DNS_LOOKUP_FAILURES, SdMetrics.CONSUL_RPC_FAILURES)) {
            CounterWithCallback.builder().name(name).help(SdMetrics.HELP.get(name))
                    .callback(cb -> cb.call(SdMetrics.get(name))).register(r);
        }
        CounterWithCallback.builder().name(SdMetrics.REFRESH_FAILURES)
                .help(SdMetrics.HELP.get(SdMetrics.REFRESH_FAILURES))
                .labelNames("mechanism")
                .callback(cb -> SdMetrics.byMechanism(SdMetrics.REFRESH_FAILURES)
                        .forEach((mechanism, n) -> cb.call(n, mechanism)))
                .register(r);
        CounterWithCallback.builder().name(io.specula.discovery.kubernetes.KubernetesMetrics.EVENTS)
                .help("The number of Kubernetes events handled.").labelNames("role", "event")
                .callback(cb -> io.specula.discovery.kubernetes.KubernetesMetrics.events((role, event, v) -> cb.call(v, role, event)))
                .register(r);
        CounterWithCallback.builder().name(io.specula.discovery.kubernetes.KubernetesMetrics.FAILURES)
                .help("The number of failed WATCH/LIST requests.")
                .callback(cb -> cb.call(io.specula.discovery.kubernetes.KubernetesMetrics.failures()))
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

    /**
     * The rule manager's {@code prometheus_rule_*} families, from one snapshot per scrape of
     * {@code /metrics}: names, types and help come with the samples.
     */
    private static void registerRules(PrometheusRegistry r, Server s) {
        r.register(new MultiCollector() {
            @Override
            public MetricSnapshots collect() {
                RuleManager rm = s.rules();
                return rm == null ? new MetricSnapshots() : ruleSnapshots(rm.metrics());
            }
        });
    }

    static MetricSnapshots ruleSnapshots(List<RuleMetrics.Sample> samples) {
        Map<String, List<RuleMetrics.Sample>> byName = new LinkedHashMap<>();
        for (RuleMetrics.Sample x : samples) {
            String family = x.type() == RuleMetrics.Type.SUMMARY ? x.name().replaceFirst("_(sum|count)$", "") : x.name();
            byName.computeIfAbsent(family, k -> new ArrayList<>()).add(x);
        }
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        byName.forEach((name, xs) -> {
            String help = xs.getFirst().help();
            switch (xs.getFirst().type()) {
                case COUNTER -> {
                    CounterSnapshot.Builder b = CounterSnapshot.builder().name(name.replaceFirst("_total$", "")).help(help);
                    xs.forEach(x -> b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                            .value(x.value()).labels(labels(x.labels())).build()));
                    out.metricSnapshot(b.build());
                }
                case GAUGE -> {
                    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
                    xs.forEach(x -> b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                            .value(x.value()).labels(labels(x.labels())).build()));
                    out.metricSnapshot(b.build());
                }
                case SUMMARY -> {
                    double sum = 0;
                    long count = 0;
                    for (RuleMetrics.Sample x : xs) {
                        if (x.name().endsWith("_sum")) {
                            sum += x.value();
                        } else {
                            count += (long) x.value();
                        }
                    }
                    out.metricSnapshot(SummarySnapshot.builder().name(name).help(help)
                            .dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder().count(count).sum(sum).build())
                            .build());
                }
            }
        });
        return out.build();
    }

    private static io.prometheus.metrics.model.snapshots.Labels labels(Map<String, String> m) {
        io.prometheus.metrics.model.snapshots.Labels.Builder b = io.prometheus.metrics.model.snapshots.Labels.builder();
        m.forEach(b::label);
        return b.build();
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
