package io.specula.scrape;

/**
 * What a target said about one metric family in its last successful scrape, for
 * {@code /api/v1/targets/metadata} and {@code /api/v1/metadata}.
 *
 * @param type {@code counter}, {@code gauge}, … or {@code unknown} (also for {@code untyped})
 * @param help the HELP text, unescaped, or ""
 * @param unit the OpenMetrics UNIT, or ""
 */
public record MetricMetadata(String type, String help, String unit) {}
