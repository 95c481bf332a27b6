/**
 * Relabeling as configured by Prometheus's {@code <relabel_config>}: the configuration
 * ({@link io.specula.model.relabel.RelabelConfig}), its regex ({@link io.specula.model.relabel.Regex})
 * and the engine that applies a list of them to a label set ({@link io.specula.model.relabel.Relabeler}).
 *
 * <p>The same rules serve {@code relabel_configs} (targets), {@code metric_relabel_configs} (every
 * scraped series), {@code alert_relabel_configs} and {@code write_relabel_configs}. Semantics follow
 * Prometheus 3; where Prometheus 2.x behaved differently, the class Javadoc says so.
 */
package io.specula.model.relabel;
