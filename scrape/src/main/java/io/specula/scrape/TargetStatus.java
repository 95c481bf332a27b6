package io.specula.scrape;

import io.specula.model.labels.Labels;

/**
 * What {@code /api/v1/targets} shows of an active target, as plain data.
 *
 * @param lastScrapeMillis start of the last scrape, milliseconds since the epoch (0: never)
 * @param lastScrapeDurationSeconds how long the last scrape took
 */
public record TargetStatus(
        String scrapePool,
        String scrapeUrl,
        Labels discoveredLabels,
        Labels labels,
        Target.Health health,
        String lastError,
        long lastScrapeMillis,
        double lastScrapeDurationSeconds,
        long scrapeIntervalMillis,
        long scrapeTimeoutMillis) {}
