/**
 * Writers for the text exposition formats: Prometheus text 0.0.4 and OpenMetrics 1.0.
 *
 * <p>{@link io.specula.model.exposition.ExpositionFormat} names a format and its content type
 * and creates {@link io.specula.model.exposition.ExpositionWriter}s, which stream families and
 * samples into a reusable {@link io.specula.model.exposition.ExpositionBuffer} or an output
 * stream. The output is byte-for-byte what Prometheus's Go library writes for the same data,
 * so diffs against a Prometheus server or exporter are empty; where the Go writer would
 * produce unparseable text the deviation is documented on the method.
 */
package io.specula.model.exposition;
