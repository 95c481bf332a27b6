package io.specula.scrape;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters about scraping, under the names Prometheus exports them so that existing dashboards
 * and alerts work when the server's {@code /metrics} publishes them. Shared by all loops of a
 * {@link ScrapeManager}; thread-safe and cheap to increment.
 */
public final class ScrapeMetrics {
    final LongAdder outOfOrder = new LongAdder();
    final LongAdder duplicateTimestamp = new LongAdder();
    final LongAdder outOfBounds = new LongAdder();
    final LongAdder exemplarOutOfOrder = new LongAdder();
    final LongAdder exceededSampleLimit = new LongAdder();
    final LongAdder exceededBodySizeLimit = new LongAdder();
    final LongAdder exceededBucketLimit = new LongAdder();
    final LongAdder exceededTargetLimit = new LongAdder();
    final LongAdder poolReloads = new LongAdder();
    final LongAdder poolReloadFailures = new LongAdder();
    final LongAdder scrapes = new LongAdder();
    final LongAdder failedScrapes = new LongAdder();

    /** The names {@link #snapshot()} reports, in its order. */
    public static final java.util.List<String> NAMES = java.util.List.copyOf(new ScrapeMetrics().snapshot().keySet());

    /** Counter name → value, in a stable order (all are counters: {@code _total}). */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("prometheus_target_scrapes_sample_out_of_order_total", outOfOrder.sum());
        m.put("prometheus_target_scrapes_sample_duplicate_timestamp_total", duplicateTimestamp.sum());
        m.put("prometheus_target_scrapes_sample_out_of_bounds_total", outOfBounds.sum());
        m.put("prometheus_target_scrapes_exemplar_out_of_order_total", exemplarOutOfOrder.sum());
        m.put("prometheus_target_scrapes_exceeded_sample_limit_total", exceededSampleLimit.sum());
        m.put("prometheus_target_scrapes_exceeded_body_size_limit_total", exceededBodySizeLimit.sum());
        m.put("prometheus_target_scrapes_exceeded_native_histogram_bucket_limit_total", exceededBucketLimit.sum());
        m.put("prometheus_target_scrape_pool_exceeded_target_limit_total", exceededTargetLimit.sum());
        m.put("prometheus_target_scrape_pool_reloads_total", poolReloads.sum());
        m.put("prometheus_target_scrape_pool_reloads_failed_total", poolReloadFailures.sum());
        m.put("specula_target_scrapes_total", scrapes.sum());
        m.put("specula_target_scrapes_failed_total", failedScrapes.sum());
        return m;
    }
}
