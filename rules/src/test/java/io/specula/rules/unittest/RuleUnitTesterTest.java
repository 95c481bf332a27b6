package io.specula.rules.unittest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleUnitTesterTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void rules() throws Exception {
        Files.writeString(dir.resolve("r.yml"), """
                groups:
                  - name: g
                    rules:
                      - record: job:up:sum
                        expr: sum by (job) (up)
                      - alert: Down
                        expr: up == 0
                        for: 2m
                        labels: {severity: page}
                        annotations: {summary: "{{ $labels.instance }} down"}
                """);
    }

    private int run(String testYaml) throws Exception {
        Path t = dir.resolve("t.yml");
        Files.writeString(t, testYaml);
        return new RuleUnitTester(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(List.of(t.toString()));
    }

    private static final String INPUT = """
            rule_files: [r.yml]
            tests:
              - interval: 1m
                input_series:
                  - series: 'up{job="a", instance="x"}'
                    values: '1 0 0 0 0'
            """;

    @Test
    void run_passingFile_printsSuccessAndExitsZero() throws Exception {
        int code = run(INPUT + """
                    alert_rule_test:
                      - eval_time: 2m
                        alertname: Down
                      - eval_time: 3m
                        alertname: Down
                        exp_alerts:
                          - exp_labels: {severity: page, job: a, instance: x}
                            exp_annotations: {summary: "x down"}
                    promql_expr_test:
                      - expr: job:up:sum
                        eval_time: 1m
                        exp_samples:
                          - labels: 'job:up:sum{job="a"}'
                            value: 0
                """);
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("Unit Testing:  " + dir.resolve("t.yml") + "\n  SUCCESS\n\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void run_wrongExpectations_printsPromtoolShapedDifferences() throws Exception {
        int code = run(INPUT + """
                    alert_rule_test:
                      - eval_time: 3m
                        alertname: Down
                    promql_expr_test:
                      - expr: job:up:sum
                        eval_time: 1m
                        exp_samples:
                          - labels: 'job:up:sum{job="a"}'
                            value: 1.5
                """);
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("""
                  FAILED:
                    alertname: Down, time: 3m,\s
                        exp:[],\s
                        got:[
                            0:
                              Labels:{alertname="Down", instance="x", job="a", severity="page"}
                              Annotations:{summary="x down"}
                            ]
                    expr: "job:up:sum", time: 1m,
                        exp: {__name__="job:up:sum", job="a"} 1.5E+00
                        got: {__name__="job:up:sum", job="a"} 0E+00
                """);
    }

    @Test
    void run_ruleEvaluationError_stopsTheGroupWithRuleAndTime() throws Exception {
        Files.writeString(dir.resolve("r.yml"), """
                groups:
                  - name: g
                    rules:
                      - record: merged
                        expr: '{__name__=~"a|b"}'
                """);
        int code = run("""
                rule_files: [r.yml]
                evaluation_interval: 30s
                tests:
                  - input_series:
                      - {series: 'a{x="1"}', values: '_ 1'}
                      - {series: 'b{x="1"}', values: '_ 1'}
                    promql_expr_test:
                      - {expr: a, eval_time: 2m}
                """);
        assertThat(code).isEqualTo(1);
        // promtool loads an omitted interval as 0s, so both series exist at time 0.
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("    rule: merged, time: 0s, err: vector contains "
                + "metrics with the same labelset after applying rule labels");
    }

    @Test
    void run_repeatedGroupInEvalOrder_fails() throws Exception {
        assertThat(run("rule_files: [r.yml]\ngroup_eval_order: [g, g]\ntests: []\n")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("group name repeated in evaluation order: g");
    }

    @Test
    void goFormat_matchesGo() {
        assertThat(GoFormat.floatE(1)).isEqualTo("1E+00");
        assertThat(GoFormat.floatE(-0.00025)).isEqualTo("-2.5E-04");
        assertThat(GoFormat.floatE(1.5e300)).isEqualTo("1.5E+300");
        assertThat(GoFormat.floatE(Double.NaN)).isEqualTo("NaN");
        assertThat(GoFormat.duration(90_000)).isEqualTo("1m30s");
        assertThat(GoFormat.duration(3_600_000)).isEqualTo("1h0m0s");
        assertThat(GoFormat.duration(1_500)).isEqualTo("1.5s");
        assertThat(GoFormat.duration(0)).isEqualTo("0s");
    }
}
