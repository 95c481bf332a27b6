package io.specula.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.promql.engine.Sample;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleEvaluationTest {
    private static final long MIN = 60_000;

    @TempDir
    Path dir;

    RulesFixture fx;

    @BeforeEach
    void setUp() {
        fx = new RulesFixture(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        fx.close();
    }

    @Test
    void recordingRule_writesResultUnderNewNameWithRuleLabels() throws Exception {
        fx.series("up{job=\"a\",instance=\"1\"}", MIN, 1, 1, 1);
        fx.series("up{job=\"a\",instance=\"2\"}", MIN, 0, 1, 1);
        RuleGroup g = fx.group("""
                groups:
                - name: g
                  rules:
                  - record: job:up:sum
                    expr: sum by (job) (up)
                    labels: {source: rule}
                """);
        g.evaluate(MIN);
        List<Sample> r = fx.query("job:up:sum", MIN);
        assertThat(r).singleElement().satisfies(s -> {
            assertThat(s.labels()).isEqualTo(Labels.of("__name__", "job:up:sum", "job", "a", "source", "rule"));
            assertThat(s.v()).isEqualTo(2);
        });
        Rule rule = g.rules().getFirst();
        assertThat(rule.health()).isEqualTo(RuleHealth.OK);
        assertThat(rule.lastError()).isEmpty();
        assertThat(rule.lastEvaluationMs()).isPositive();
        assertThat(g.lastEvalTimestampMs()).isEqualTo(MIN);
        assertThat(g.evaluations.sum()).isEqualTo(1);
    }

    @Test
    void alertingRule_commitsAlertsSeriesBeforeSendingTheAlerts() throws Exception {
        fx.add("up{job=\"a\"}", 0, 0);
        List<List<Sample>> alertsSeenAtSend = new java.util.ArrayList<>();
        AlertSink sink = alerts -> {
            try {
                alertsSeenAtSend.add(fx.query("ALERTS", MIN));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        RuleManagerOptions o = RuleManagerOptions.defaults();
        RuleGroup g = new RuleManager(fx.head, fx.head, fx.engine, sink, o)
                .loadGroups(List.of(fx.file("groups:\n- name: g\n  rules:\n  - alert: Down\n    expr: up == 0\n")), 60_000, o, true)
                .values().iterator().next();
        g.evaluate(MIN); // the first evaluation after a start, before any for-state restore
        // A receiver that queries ALERTS on notification finds the alert it was told about.
        assertThat(alertsSeenAtSend).singleElement().satisfies(v -> assertThat(v).singleElement()
                .satisfies(a -> assertThat(a.labels().get("alertstate")).isEqualTo("firing")));
    }

    @Test
    void recordingRule_vanishedSeries_getsStalenessMarker() throws Exception {
        fx.add("x{a=\"1\"}", 0, 1);
        fx.add("x{a=\"2\"}", 0, 1);
        fx.add("x{a=\"1\"}", MIN, 1);
        RuleGroup g = fx.group("groups:\n- name: g\n  rules:\n  - record: y\n    expr: x\n");
        g.evaluate(0);
        assertThat(fx.query("y", 0)).hasSize(2);
        // x{a="2"} is still within lookback at 1m, so evaluate past the 5m lookback.
        g.evaluate(6 * MIN);
        assertThat(fx.query("y", 6 * MIN)).isEmpty();
        // Without a staleness marker y{a="2"} would still show 1m after its last sample.
        assertThat(fx.query("y", 6 * MIN + 1)).isEmpty();
        g.evaluate(MIN * 7);
        assertThat(fx.query("y", 0)).hasSize(2);
    }

    @Test
    void recordingRule_queryFailure_setsErrAndOtherRulesContinue() throws Exception {
        fx.add("a{x=\"1\"}", 0, 1);
        fx.add("b{x=\"1\"}", 0, 2);
        RuleGroup g = fx.group("""
                groups:
                - name: g
                  rules:
                  - record: merged
                    expr: '{__name__=~"a|b"}'
                  - record: fine
                    expr: a
                """);
        g.evaluate(0);
        Rule bad = g.rules().get(0);
        assertThat(bad.health()).isEqualTo(RuleHealth.ERR);
        assertThat(bad.lastError()).isEqualTo("vector contains metrics with the same labelset after applying rule labels");
        assertThat(g.rules().get(1).health()).isEqualTo(RuleHealth.OK);
        assertThat(fx.query("fine", 0)).hasSize(1);
        assertThat(g.failures.sum()).isEqualTo(1);
    }

    @Test
    void recordingRule_limitExceeded_isAnError() throws Exception {
        fx.add("x{a=\"1\"}", 0, 1);
        fx.add("x{a=\"2\"}", 0, 1);
        RuleGroup g = fx.group("groups:\n- name: g\n  limit: 1\n  rules:\n  - record: y\n    expr: x\n");
        g.evaluate(0);
        assertThat(g.rules().getFirst().lastError()).isEqualTo("exceeded limit of 1 with 2 series");
        assertThat(fx.query("y", 0)).isEmpty();
    }

    private static final String DOWN = """
            groups:
            - name: g
              rules:
              - alert: Down
                expr: up == 0
                for: 2m
                labels: {severity: page, where: "{{ $labels.instance }}"}
                annotations: {summary: "{{ $labels.instance }} is down, value {{ $value }}"}
            """;

    @Test
    void alertingRule_pendingThenFiringThenResolved() throws Exception {
        fx.series("up{instance=\"i\"}", MIN, 1, 0, 0, 0, 0, 1, 1, 1);
        RuleGroup g = fx.group(DOWN);
        AlertingRule r = (AlertingRule) g.rules().getFirst();
        g.evaluate(0);
        assertThat(r.state()).isEqualTo(AlertState.INACTIVE);
        g.evaluate(MIN);
        assertThat(r.state()).isEqualTo(AlertState.PENDING);
        ActiveAlert a = r.activeAlerts().getFirst();
        assertThat(a.labels()).isEqualTo(Labels.of("alertname", "Down", "instance", "i", "severity", "page", "where", "i"));
        assertThat(a.annotations()).containsEntry("summary", "i is down, value 0");
        assertThat(a.activeAtMs()).isEqualTo(MIN);
        assertThat(fx.query("ALERTS", MIN)).singleElement()
                .satisfies(s -> assertThat(s.labels().get("alertstate")).isEqualTo("pending"));
        assertThat(fx.query("ALERTS_FOR_STATE", MIN)).singleElement().satisfies(s -> assertThat(s.v()).isEqualTo(60));
        g.evaluate(2 * MIN);
        assertThat(r.state()).isEqualTo(AlertState.PENDING);
        g.evaluate(3 * MIN);
        assertThat(r.state()).isEqualTo(AlertState.FIRING);
        assertThat(r.activeAlerts().getFirst().firedAtMs()).isEqualTo(3 * MIN);
        assertThat(fx.query("ALERTS", 3 * MIN)).singleElement()
                .satisfies(s -> assertThat(s.labels().get("alertstate")).isEqualTo("firing"));
        g.evaluate(4 * MIN);
        g.evaluate(5 * MIN);
        assertThat(r.state()).isEqualTo(AlertState.INACTIVE);
        assertThat(r.activeAlerts()).isEmpty();
        assertThat(r.allAlerts()).singleElement().satisfies(x -> assertThat(x.resolvedAtMs()).isEqualTo(5 * MIN));
        assertThat(fx.query("ALERTS", 5 * MIN)).as("ALERTS ends with a staleness marker").isEmpty();
        g.evaluate(20 * MIN);
        assertThat(r.allAlerts()).as("resolved alerts are kept 15m").hasSize(1);
        g.evaluate(20 * MIN + 1);
        assertThat(r.allAlerts()).isEmpty();
    }

    @Test
    void alertingRule_pendingAlertThatVanishes_isForgotten() throws Exception {
        fx.series("up{instance=\"i\"}", MIN, 0, 1);
        RuleGroup g = fx.group(DOWN);
        AlertingRule r = (AlertingRule) g.rules().getFirst();
        g.evaluate(0);
        assertThat(r.state()).isEqualTo(AlertState.PENDING);
        g.evaluate(MIN);
        assertThat(r.allAlerts()).isEmpty();
    }

    @Test
    void alertingRule_keepFiringFor_holdsAfterConditionClears() throws Exception {
        fx.series("flap", MIN, 1, 0, 0, 0, 0);
        RuleGroup g = fx.group("groups:\n- name: g\n  rules:\n  - alert: F\n    expr: flap > 0\n    keep_firing_for: 2m\n");
        AlertingRule r = (AlertingRule) g.rules().getFirst();
        g.evaluate(0);
        assertThat(r.state()).isEqualTo(AlertState.FIRING);
        g.evaluate(MIN);
        assertThat(r.state()).isEqualTo(AlertState.FIRING);
        assertThat(r.activeAlerts().getFirst().keepFiringSinceMs()).isEqualTo(MIN);
        g.evaluate(2 * MIN);
        assertThat(r.state()).isEqualTo(AlertState.FIRING);
        g.evaluate(3 * MIN);
        assertThat(r.state()).isEqualTo(AlertState.INACTIVE);
    }

    @Test
    void alertingRule_limitExceeded_dropsAlertsAndErrs() throws Exception {
        fx.add("x{a=\"1\"}", 0, 1);
        fx.add("x{a=\"2\"}", 0, 1);
        RuleGroup g = fx.group("groups:\n- name: g\n  limit: 1\n  rules:\n  - alert: X\n    expr: x\n");
        g.evaluate(0);
        AlertingRule r = (AlertingRule) g.rules().getFirst();
        assertThat(r.lastError()).isEqualTo("exceeded limit of 1 with 2 alerts");
        assertThat(r.health()).isEqualTo(RuleHealth.ERR);
        assertThat(r.allAlerts()).isEmpty();
    }

    @Test
    void alertingRule_sameLabelsetTwice_isAnError() throws Exception {
        fx.add("x{a=\"1\"}", 0, 1);
        fx.add("y{a=\"1\"}", 0, 1);
        RuleGroup g = fx.group("groups:\n- name: g\n  rules:\n  - alert: X\n    expr: '{__name__=~\"x|y\"}'\n");
        g.evaluate(0);
        assertThat(g.rules().getFirst().lastError())
                .isEqualTo("vector contains metrics with the same labelset after applying alert labels");
    }

    @Test
    void alertingRule_templates_seeExternalLabelsUrlAndQuery() throws Exception {
        fx.add("m{a=\"1\"}", 0, 5);
        fx.add("m{a=\"2\"}", 0, 7);
        RuleManagerOptions o = RuleManagerOptions.defaults()
                .withExternal(Labels.of("cluster", "eu1"), "https://prom.example.com/p");
        RuleGroup g = fx.group("""
                groups:
                - name: g
                  rules:
                  - alert: T
                    expr: vector(1)
                    labels: {cluster: "{{ $externalLabels.cluster }}"}
                    annotations:
                      url: "{{ $externalURL }} {{ pathPrefix }}"
                      sum: '{{ with query "sum(m)" }}{{ . | first | value }}{{ end }}'
                      bad: '{{ humanize "abc" }}'
                      parsebad: '{{ if }}'
                """.replace("      parsebad: '{{ if }}'\n", ""), o, false);
        g.evaluate(0);
        ActiveAlert a = ((AlertingRule) g.rules().getFirst()).activeAlerts().getFirst();
        assertThat(a.labels().get("cluster")).isEqualTo("eu1");
        assertThat(a.annotations()).containsEntry("url", "https://prom.example.com/p /p").containsEntry("sum", "12");
        assertThat(a.annotations().get("bad")).startsWith(
                "<error expanding template: error executing template __alert_T: template: __alert_T:1:")
                .endsWith("error calling humanize: strconv.ParseFloat: parsing \"abc\": invalid syntax>");
        assertThat(g.rules().getFirst().health()).isEqualTo(RuleHealth.OK);
    }

    @Test
    void alertTemplates_parseError_becomesText() {
        AlertTemplates t = new AlertTemplates("X", "{{ if }}");
        assertThat(t.expand(java.util.Map.of(), io.specula.template.PrometheusFunctions.forParsing()))
                .startsWith("<error expanding template: error parsing template __alert_X: template: __alert_X:1:");
    }

    @Test
    void alertSink_firingSentThenResentAfterDelayThenResolvedOnce() throws Exception {
        fx.series("x", MIN, 1, 1, 1, 1, 0, 0, 0);
        RuleManagerOptions o = RuleManagerOptions.defaults().withResendDelay(2 * MIN)
                .withExternal(Labels.EMPTY, "http://prom:9090");
        RuleGroup g = fx.group("groups:\n- name: g\n  rules:\n  - alert: X\n    expr: x > 0\n", o, false);
        g.evaluate(0);
        assertThat(fx.sent).singleElement().satisfies(a -> {
            assertThat(a.labels()).isEqualTo(Labels.of("alertname", "X"));
            assertThat(a.startsAtMs()).isZero();
            assertThat(a.endsAtMs()).isEqualTo(4 * 2 * MIN);
            assertThat(a.generatorUrl()).isEqualTo("http://prom:9090/graph?g0.expr=x+%3E+0&g0.tab=1");
        });
        g.evaluate(MIN);
        g.evaluate(2 * MIN);
        assertThat(fx.sent).as("not resent within the resend delay").hasSize(1);
        g.evaluate(3 * MIN);
        assertThat(fx.sent).hasSize(2);
        g.evaluate(4 * MIN);
        assertThat(fx.sent).hasSize(3);
        assertThat(fx.sent.getLast().endsAtMs()).as("resolved: endsAt is the resolution time").isEqualTo(4 * MIN);
        assertThat(fx.sent.getLast().resolved(4 * MIN)).isTrue();
        g.evaluate(5 * MIN);
        assertThat(fx.sent).as("a resolved alert is sent once, then after the resend delay").hasSize(3);
    }

    @Test
    void queryOffset_evaluatesInThePast() throws Exception {
        fx.series("x", MIN, 1, 2, 3);
        RuleGroup g = fx.group("groups:\n- name: g\n  query_offset: 1m\n  rules:\n  - record: y\n    expr: x\n");
        g.evaluate(2 * MIN);
        assertThat(fx.query("y", MIN)).singleElement().satisfies(s -> assertThat(s.v()).isEqualTo(2));
    }

    @Test
    void queryOffset_alertStateFollowsScheduleSamplesFollowQuery() throws Exception {
        fx.series("x", MIN, 0, 1, 1, 1);
        RuleGroup g = fx.group("groups:\n- name: g\n  query_offset: 1m\n  rules:\n  - alert: X\n    expr: x > 0\n");
        g.evaluate(2 * MIN);
        ActiveAlert a = ((AlertingRule) g.rules().getFirst()).activeAlerts().getFirst();
        assertThat(a.activeAtMs()).isEqualTo(2 * MIN);
        assertThat(fx.query("ALERTS_FOR_STATE", MIN)).singleElement().satisfies(s -> {
            assertThat(s.t()).isEqualTo(MIN);
            assertThat(s.v()).isEqualTo(120);
        });
    }

    @Test
    void alertsForState_holdsActiveAtInWholeSeconds() throws Exception {
        fx.add("x", 1_700_000_000_000L, 1);
        RuleGroup g = fx.group("groups:\n- name: g\n  rules:\n  - alert: X\n    expr: x > 0\n    for: 1m\n");
        g.evaluate(1_700_000_000_750L);
        assertThat(fx.query("ALERTS_FOR_STATE", 1_700_000_000_750L)).singleElement()
                .satisfies(s -> assertThat(s.v()).isEqualTo(1_700_000_000d));
    }

    @Test
    void evalTimestamp_isAlignedToIntervalWithStableOffset() throws Exception {
        RuleGroup g = fx.group("groups:\n- name: g\n  interval: 1m\n  rules:\n  - record: y\n    expr: '1'\n");
        long now = 1_700_000_123_456L;
        long t = g.evalTimestamp(now);
        assertThat(t).isLessThanOrEqualTo(now).isGreaterThan(now - MIN);
        assertThat(g.evalTimestamp(now + MIN)).isEqualTo(t + MIN);
        assertThat(g.evalTimestamp(t)).isEqualTo(t);
        assertThat(g.evalTimestamp(t - 1)).isEqualTo(t - MIN);
    }

    @Test
    void restoreForState_countsTimeSpentPendingBeforeTheOutage() throws Exception {
        // Before the "restart": pending since 100s, last evaluated at 160s.
        Labels state = Labels.of("__name__", "ALERTS_FOR_STATE", "alertname", "Down", "instance", "i",
                "severity", "page", "where", "i");
        var app = fx.head.appender();
        app.append(0, state, 100_000, 100);
        app.append(0, state, 160_000, 100);
        app.commit();
        fx.series("up{instance=\"i\"}", 10_000, new double[40]);
        RuleManagerOptions o = RuleManagerOptions.defaults().withForState(60 * MIN, 10_000);
        RuleGroup g = fx.group(DOWN.replace("for: 2m", "for: 5m"), o, true);
        AlertingRule r = (AlertingRule) g.rules().getFirst();
        assertThat(r.restored()).isFalse();
        g.evaluate(300_000);
        assertThat(fx.query("ALERTS", 300_000)).as("no ALERTS before restoration").isEmpty();
        r.restoreForState(300_000, fx.head, o.outageToleranceMs(), o.forGracePeriodMs());
        assertThat(r.restored()).isTrue();
        // 60s were spent pending before going down at 160s; the 140s outage does not count.
        assertThat(r.activeAlerts().getFirst().activeAtMs()).isEqualTo(100_000 + 140_000);
    }

    @Test
    void restoreForState_nearlyDueAlertGetsGracePeriod() throws Exception {
        Labels state = Labels.of("__name__", "ALERTS_FOR_STATE", "alertname", "Down", "instance", "i",
                "severity", "page", "where", "i");
        var app = fx.head.appender();
        app.append(0, state, 200_000, 100);
        app.commit();
        fx.series("up{instance=\"i\"}", 10_000, new double[40]);
        RuleManagerOptions o = RuleManagerOptions.defaults().withForState(60 * MIN, MIN);
        RuleGroup g = fx.group(DOWN, o, true);
        AlertingRule r = (AlertingRule) g.rules().getFirst();
        g.evaluate(300_000);
        r.restoreForState(300_000, fx.head, o.outageToleranceMs(), o.forGracePeriodMs());
        // 100s pending of 120s: 20s left < 60s grace, so it fires 60s after the restore.
        assertThat(r.activeAlerts().getFirst().activeAtMs()).isEqualTo(300_000 + MIN - 2 * MIN);
    }
}
