package io.specula.promql.promqltest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptRunnerTest {
    private static final String LOAD = """
            load 5m
              http_requests_total{job="api", instance="0"} 0+10x10
              http_requests_total{job="api", instance="1"} 0+20x10
              other 1 _ stale 4

            """;

    private static List<ScriptRunner.EvalOutcome> run(String body) {
        ScriptRunner.FileReport r = new ScriptRunner().run("t.test", LOAD + body);
        assertThat(r.error()).isNull();
        return r.evals();
    }

    @Test
    void loadWithNhcb_withoutInfBucket_takesTheOverflowFromTheCount() {
        ScriptRunner.FileReport r = new ScriptRunner().run("t.test", """
                load_with_nhcb 1m
                  lat_bucket{le="1"} 2
                  lat_bucket{le="2"} 5
                  lat_count 7
                  lat_sum 9

                eval instant at 0m lat
                  lat {{schema:-53 count:7 sum:9 custom_values:[1 2] buckets:[2 3 2]}}

                eval instant at 0m histogram_count(lat)
                  {} 7

                load_with_nhcb 1m
                  short_bucket{le="1"} 2
                  short_bucket{le="2"} 5

                eval instant at 0m short
                  short {{schema:-53 count:5 custom_values:[1 2] buckets:[2 3]}}
                """);
        assertThat(r.error()).isNull();
        assertThat(r.evals()).hasSize(3).allMatch(ScriptRunner.EvalOutcome::passed);
    }

    @Test
    void run_withoutDelayedNameRemoval_sameLabelsetAfterRateFails() {
        // Prometheus's default (no promql-delayed-name-removal): rate drops the names, and two
        // series left with one labelset fail even when an aggregation would consume them.
        ScriptRunner.FileReport r = new ScriptRunner(io.specula.promql.engine.EngineOptions.defaults()).run("t.test", """
                load 5m
                  a_total{job="x"} 0+1x10
                  b_total{job="x"} 0+2x10

                eval_fail instant at 50m sum(rate({job="x"}[10m]))
                  expect fail msg: vector cannot contain metrics with the same labelset

                eval instant at 50m count(rate(a_total[10m]))
                  {} 1
                """);
        assertThat(r.error()).isNull();
        assertThat(r.evals()).hasSize(2).allMatch(ScriptRunner.EvalOutcome::passed);
    }

    @Test
    void run_matchingResult_passes() {
        List<ScriptRunner.EvalOutcome> r = run("""
                eval instant at 50m sum by (job) (http_requests_total)
                  {job="api"} 300

                eval range from 0 to 10m step 5m other
                  other 1 _ _
                """);
        assertThat(r).allMatch(ScriptRunner.EvalOutcome::passed);
    }

    @Test
    void run_wrongValueOrMissingSeries_fails() {
        List<ScriptRunner.EvalOutcome> r = run("""
                eval instant at 50m sum by (job) (http_requests_total)
                  {job="api"} 301

                eval instant at 50m http_requests_total
                  http_requests_total{job="api", instance="0"} 100
                """);
        assertThat(r).noneMatch(ScriptRunner.EvalOutcome::passed);
        assertThat(r.get(0).line()).isEqualTo(6);
        assertThat(r.get(1).got()).contains("expected 1 samples, got 2");
    }

    @Test
    void run_orderedExpectation_checksOrder() {
        List<ScriptRunner.EvalOutcome> r = run("""
                eval instant at 50m sort_desc(http_requests_total)
                  expect ordered
                  http_requests_total{job="api", instance="1"} 200
                  http_requests_total{job="api", instance="0"} 100

                eval instant at 50m sort(http_requests_total)
                  expect ordered
                  http_requests_total{job="api", instance="1"} 200
                  http_requests_total{job="api", instance="0"} 100
                """);
        assertThat(r.get(0).passed()).isTrue();
        assertThat(r.get(1).passed()).isFalse();
    }

    @Test
    void run_annotationExpectations_matchTextAndAbsence() {
        List<ScriptRunner.EvalOutcome> r = run("""
                eval instant at 50m quantile(2, http_requests_total)
                  expect warn msg: PromQL warning: quantile value should be between 0 and 1, got 2 (1:10)
                  {} +Inf

                eval instant at 50m quantile(2, http_requests_total)
                  expect no_warn
                  {} +Inf

                eval instant at 15m rate(other[20m])
                  expect info
                  {} 0.003333333333333333
                """);
        assertThat(r.get(0).passed()).isTrue();
        assertThat(r.get(1).passed()).isFalse();
        assertThat(r.get(2).passed()).as(r.get(2).got()).isTrue();
    }

    @Test
    void run_expectedFailures_matchMessage() {
        List<ScriptRunner.EvalOutcome> r = run("""
                eval instant at 50m http_requests_total + on() http_requests_total
                  expect fail msg: found duplicate series for the match group {} on the right hand-side of the operation: [{__name__="http_requests_total", instance="0", job="api"}, {__name__="http_requests_total", instance="1", job="api"}];many-to-many matching not allowed: matching labels must be unique on one side

                eval_fail instant at 50m http_requests_total

                eval instant at 50m 1 +
                  expect fail regex: parse error
                """);
        assertThat(r.get(0).passed()).as(r.get(0).got()).isTrue();
        assertThat(r.get(1).passed()).isFalse();
        assertThat(r.get(2).passed()).as(r.get(2).got()).isTrue();
    }

    @Test
    void run_scalarAndString_results() {
        List<ScriptRunner.EvalOutcome> r = run("""
                eval instant at 0 2 * 21
                  42

                eval instant at 0 "hello"
                  expect string "hello"

                eval instant at 0 time()
                  1
                """);
        assertThat(r.get(0).passed()).isTrue();
        assertThat(r.get(1).passed()).isTrue();
        assertThat(r.get(2).passed()).isFalse();
    }
}
