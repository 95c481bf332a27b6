/**
 * Metric-naming lint as {@code promtool check metrics} does it.
 *
 * <p>{@link io.specula.model.lint.FamilyCollector} reads a parsed body into
 * {@link io.specula.model.lint.MetricFamily families} grouped as Prometheus's tools group
 * them; {@link io.specula.model.lint.Linter} applies promlint's rules and returns
 * {@link io.specula.model.lint.LintProblem}s with promlint's texts, in promtool's order.
 */
package io.specula.model.lint;
