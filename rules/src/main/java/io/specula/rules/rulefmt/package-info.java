/**
 * Rule files as Prometheus reads them: YAML binding with positions ({@link io.specula.rules.rulefmt.Located}),
 * validation worded as Prometheus words it ({@link io.specula.rules.rulefmt.RuleFiles}), and
 * {@code rule_files} globs ({@link io.specula.rules.rulefmt.RuleGlobs}).
 */
package io.specula.rules.rulefmt;
