package io.specula.promql.engine;

/**
 * What a query cost.
 *
 * @param totalSamples samples read from storage plus points produced, as Prometheus counts them
 * @param peakSamples the most samples held at once
 * @param prepareNanos parsing and preparation time
 * @param execNanos evaluation time
 * @param queueNanos time spent waiting for a concurrency slot
 */
public record QueryStats(long totalSamples, long peakSamples, long prepareNanos, long execNanos, long queueNanos) {}
