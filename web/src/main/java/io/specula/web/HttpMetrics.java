package io.specula.web;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.specula.promql.engine.QueryStats;

/**
 * The HTTP side's self-metrics under Prometheus's names, so its dashboards work:
 * {@code prometheus_http_requests_total{code,handler}},
 * {@code prometheus_http_request_duration_seconds{handler}} (Prometheus's buckets) and
 * {@code prometheus_engine_query_duration_seconds{slice}} (a summary with the 0.5/0.9/0.99
 * quantiles) and {@code prometheus_engine_queries} (the server registers
 * {@code prometheus_engine_queries_concurrent_max}).
 * Registered on construction, removed by {@link #unregister}.
 */
final class HttpMetrics {
    private final Counter requests;
    private final Histogram duration;
    private final Summary queryDuration;
    private final GaugeWithCallback queries;

    HttpMetrics(PrometheusRegistry registry, ServerContext ctx) {
        // The engine may be replaced on reload: read whichever is current.
        queries = GaugeWithCallback.builder().name("prometheus_engine_queries")
                .help("The current number of queries being executed or waiting.")
                .callback(cb -> cb.call(ctx.engine() == null ? 0 : ctx.engine().activeQueries())).register(registry);

        requests = Counter.builder().name("prometheus_http_requests_total").help("Counter of HTTP requests.")
                .labelNames("code", "handler").register(registry);
        duration = Histogram.builder().name("prometheus_http_request_duration_seconds")
                .help("Histogram of latencies for HTTP requests.").labelNames("handler")
                .classicOnly().classicUpperBounds(0.1, 0.2, 0.4, 1, 3, 8, 20, 60, 120).register(registry);
        queryDuration = Summary.builder().name("prometheus_engine_query_duration_seconds").help("Query timings")
                .labelNames("slice").quantile(0.5, 0.05).quantile(0.9, 0.01).quantile(0.99, 0.001).register(registry);
        // Present from the start, as in Prometheus (result_sort stays at 0: results come out sorted).
        for (String s : new String[] {"inner_eval", "prepare_time", "queue_time", "result_sort"}) {
            queryDuration.labelValues(s);
        }
    }

    /** Removes the three metrics again (server stopped or failed to start), so a new server can register them. */
    void unregister(PrometheusRegistry registry) {
        registry.unregister(requests);
        registry.unregister(duration);
        registry.unregister(queryDuration);
        registry.unregister(queries);
    }

    void request(String handler, int code, long nanos) {
        requests.labelValues(String.valueOf(code), handler).inc();
        duration.labelValues(handler).observe(nanos / 1e9);
    }

    void query(QueryStats s) {
        queryDuration.labelValues("prepare_time").observe(s.prepareNanos() / 1e9);
        queryDuration.labelValues("inner_eval").observe(Math.max(0, s.execNanos() - s.prepareNanos()) / 1e9);
        queryDuration.labelValues("queue_time").observe(s.queueNanos() / 1e9);
    }
}
