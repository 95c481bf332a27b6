/**
 * Runs Prometheus's PromQL test scripts ({@code load}, {@code clear}, {@code eval} with
 * {@code expect} lines; format in {@code ../shared/promql-testdata/SOURCE.md}) against the engine
 * and an in-memory head: {@link io.specula.promql.promqltest.ScriptRunner} per file,
 * {@link io.specula.promql.promqltest.ScriptCli} for {@code specula tool test promql}.
 */
package io.specula.promql.promqltest;
