package io.specula.web;

import static io.specula.web.Http.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.config.YamlConfigLoader;
import io.specula.model.labels.Labels;
import io.specula.rules.AlertSink;
import io.specula.rules.AlertState;
import io.specula.rules.AlertingRule;
import io.specula.rules.Rule;
import io.specula.rules.RuleGroup;
import io.specula.rules.RuleManager;
import io.specula.rules.RuleManagerOptions;
import io.specula.rules.notifier.Notifier;
import io.specula.rules.notifier.NotifierOptions;
import io.specula.rules.notifier.config.AlertingConfig;
import io.specula.tsdb.DB;
import io.specula.web.api.ApiV1;
import io.specula.web.api.Params;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code /api/v1/rules}, {@code /alerts} and {@code /alertmanagers} over a real rule manager
 * evaluating a rule file against a temporary DB: JSON shape, filters, pagination, bad parameters.
 */
class RulesApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RFC3339 = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z";

    @TempDir
    static Path dir;
    static DB db;
    static RuleManager manager;
    static TestContext ctx;
    static ApiV1 api;
    static String ruleFile;

    @BeforeAll
    static void start() throws Exception {
        Path rules = dir.resolve("rules.yml");
        Files.writeString(rules, """
                groups:
                - name: recs
                  interval: 100ms
                  rules:
                  - record: job:answer
                    expr: vector(42)
                    labels:
                      team: a
                  - record: plain
                    expr: vector(2)
                  - record: dup
                    expr: label_replace(vector(1), "x", "1", "", "") or label_replace(vector(1), "x", "2", "", "")
                    labels:
                      x: same
                - name: alerts
                  interval: 100ms
                  limit: 10
                  rules:
                  - alert: AlwaysFiring
                    expr: vector(1)
                    labels:
                      severity: page
                    annotations:
                      summary: "value is {{ $value }} <now>"
                  - alert: LongPending
                    expr: vector(3) > 1
                    for: 1h
                    keep_firing_for: 5m
                    labels:
                      severity: ticket
                  - alert: Never
                    expr: vector(1) < 0
                """);
        ruleFile = rules.toString();
        db = DB.open(dir.resolve("data"), DB.Options.defaults());
        ctx = new TestContext();
        ctx.db = db;
        manager = new RuleManager(db, db, ctx.engine, AlertSink.NONE, RuleManagerOptions.defaults());
        manager.update(List.of(ruleFile), 60_000);
        ctx.rules = manager;
        api = new ApiV1(ctx, new WebOptions("127.0.0.1:0", "", "", false, false, Duration.ofMinutes(2),
                Duration.ofMinutes(5)), null);
        await(() -> {
            for (RuleGroup g : manager.groups()) {
                for (Rule r : g.rules()) {
                    if (r.lastEvaluationMs() == 0) {
                        return false;
                    }
                }
            }
            AlertingRule firing = manager.alertingRules().getFirst();
            return firing.state() == AlertState.FIRING;
        }, "every rule evaluated and AlwaysFiring firing");
    }

    @AfterAll
    static void stop() throws Exception {
        if (manager != null) {
            manager.close();
        }
        if (api != null) {
            api.close();
        }
        if (db != null) {
            db.close();
        }
    }

    static void await(BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Calls the endpoint; returns the whole envelope as JSON (success or error). */
    static JsonNode call(String path, String... params) {
        ApiV1.Response r = api.handle(path, "GET", Params.of(params));
        String body = r.reply() != null ? ApiV1.renderForTest(r.reply()) : r.body();
        JsonNode n = JSON.readTree(body);
        if (r.reply() != null) {
            assertThat(r.status()).isEqualTo(200);
        }
        return n;
    }

    static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.propertyNames().forEach(out::add);
        return out;
    }

    static List<String> groupNames(JsonNode env) {
        List<String> out = new ArrayList<>();
        env.get("data").get("groups").forEach(g -> out.add(g.get("name").asString()));
        return out;
    }

    static List<String> ruleNames(JsonNode env) {
        List<String> out = new ArrayList<>();
        env.get("data").get("groups").forEach(g -> g.get("rules").forEach(r -> out.add(r.get("name").asString())));
        return out;
    }

    @Test
    void rules_groupShapeAsPrometheus() {
        JsonNode env = call("/rules");
        assertThat(env.get("status").asString()).isEqualTo("success");
        assertThat(groupNames(env)).as("sorted by file, then name").containsExactly("alerts", "recs");
        JsonNode g = env.get("data").get("groups").get(0);
        assertThat(names(g)).containsExactly("name", "file", "rules", "interval", "limit", "evaluationTime",
                "lastEvaluation");
        assertThat(g.get("file").asString()).isEqualTo(ruleFile);
        assertThat(g.get("interval").asDouble()).isEqualTo(0.1);
        assertThat(g.get("limit").asInt()).isEqualTo(10);
        assertThat(g.get("evaluationTime").isNumber()).isTrue();
        assertThat(g.get("lastEvaluation").asString()).matches(RFC3339);
        assertThat(env.get("data").has("groupNextToken")).isFalse();
    }

    @Test
    void rules_alertingRuleShapeAsPrometheus() {
        JsonNode rules = call("/rules").get("data").get("groups").get(0).get("rules");
        JsonNode firing = rules.get(0);
        assertThat(names(firing)).containsExactly("state", "name", "query", "duration", "keepFiringFor", "labels",
                "annotations", "alerts", "health", "evaluationTime", "lastEvaluation", "type");
        assertThat(firing.get("state").asString()).isEqualTo("firing");
        assertThat(firing.get("name").asString()).isEqualTo("AlwaysFiring");
        assertThat(firing.get("query").asString()).isEqualTo("vector(1)");
        assertThat(firing.get("duration").asDouble()).isZero();
        assertThat(firing.get("labels").toString()).isEqualTo("{\"severity\":\"page\"}");
        assertThat(firing.get("annotations").get("summary").asString()).isEqualTo("value is {{ $value }} <now>");
        assertThat(firing.get("health").asString()).isEqualTo("ok");
        assertThat(firing.get("type").asString()).isEqualTo("alerting");
        JsonNode alert = firing.get("alerts").get(0);
        assertThat(names(alert)).containsExactly("labels", "annotations", "state", "activeAt", "value");
        assertThat(alert.get("labels").toString()).isEqualTo("{\"alertname\":\"AlwaysFiring\",\"severity\":\"page\"}");
        assertThat(alert.get("annotations").get("summary").asString()).as("expanded").isEqualTo("value is 1 <now>");
        assertThat(alert.get("state").asString()).isEqualTo("firing");
        assertThat(alert.get("activeAt").asString()).matches(RFC3339);
        assertThat(alert.get("value").asString()).isEqualTo("1e+00");

        JsonNode pending = rules.get(1);
        assertThat(pending.get("state").asString()).isEqualTo("pending");
        assertThat(pending.get("query").asString()).isEqualTo("vector(3) > 1");
        assertThat(pending.get("duration").asDouble()).isEqualTo(3600);
        assertThat(pending.get("keepFiringFor").asDouble()).isEqualTo(300);
        assertThat(pending.get("annotations").toString()).isEqualTo("{}");
        assertThat(pending.get("alerts").get(0).get("value").asString()).isEqualTo("3e+00");

        JsonNode never = rules.get(2);
        assertThat(never.get("state").asString()).isEqualTo("inactive");
        assertThat(never.get("labels").toString()).isEqualTo("{}");
        assertThat(never.get("alerts").isArray()).isTrue();
        assertThat(never.get("alerts")).isEmpty();
    }

    @Test
    void rules_recordingRuleShapeAsPrometheus() {
        JsonNode rules = call("/rules").get("data").get("groups").get(1).get("rules");
        JsonNode answer = rules.get(0);
        assertThat(names(answer)).containsExactly("name", "query", "labels", "health", "evaluationTime",
                "lastEvaluation", "type");
        assertThat(answer.get("labels").toString()).isEqualTo("{\"team\":\"a\"}");
        assertThat(answer.get("type").asString()).isEqualTo("recording");
        assertThat(answer.get("lastEvaluation").asString()).matches(RFC3339);
        assertThat(names(rules.get(1))).as("no labels: the member is left out")
                .containsExactly("name", "query", "health", "evaluationTime", "lastEvaluation", "type");
        JsonNode dup = rules.get(2);
        assertThat(names(dup)).containsExactly("name", "query", "labels", "health", "lastError", "evaluationTime",
                "lastEvaluation", "type");
        assertThat(dup.get("health").asString()).isEqualTo("err");
        assertThat(dup.get("lastError").asString())
                .isEqualTo("vector contains metrics with the same labelset after applying rule labels");
    }

    @Test
    void rules_typeFilterDropsEmptiedGroups() {
        assertThat(groupNames(call("/rules", "type", "alert"))).containsExactly("alerts");
        assertThat(groupNames(call("/rules", "type", "RECORD"))).containsExactly("recs");
    }

    @Test
    void rules_nameGroupAndFileFilters() {
        assertThat(ruleNames(call("/rules", "rule_name[]", "plain", "rule_name[]", "Never")))
                .containsExactly("Never", "plain");
        assertThat(ruleNames(call("/rules", "rule_group[]", "recs"))).containsExactly("job:answer", "plain", "dup");
        assertThat(groupNames(call("/rules", "file[]", ruleFile))).containsExactly("alerts", "recs");
        assertThat(groupNames(call("/rules", "file[]", "/elsewhere.yml"))).isEmpty();
        assertThat(call("/rules", "rule_group[]", "nope").get("data").toString()).isEqualTo("{\"groups\":[]}");
    }

    @Test
    void rules_matchFiltersOnRuleLabels() {
        assertThat(ruleNames(call("/rules", "match[]", "{severity=\"page\"}"))).containsExactly("AlwaysFiring");
        assertThat(ruleNames(call("/rules", "match[]", "{severity=~\"page|ticket\"}", "match[]", "{team=\"a\"}")))
                .containsExactly("AlwaysFiring", "LongPending", "job:answer");
        assertThat(ruleNames(call("/rules", "match[]", "{__name__=\"plain\"}"))).as("not the output's labels").isEmpty();
    }

    @Test
    void rules_excludeAlertsWritesNullAlerts() {
        JsonNode rule = call("/rules", "exclude_alerts", "true").get("data").get("groups").get(0).get("rules").get(0);
        assertThat(rule.get("alerts").isNull()).isTrue();
        JsonNode kept = call("/rules", "exclude_alerts", "0").get("data").get("groups").get(0).get("rules").get(0);
        assertThat(kept.get("alerts")).hasSize(1);
    }

    @Test
    void rules_paginationFollowsTokens() {
        JsonNode first = call("/rules", "group_limit", "1");
        assertThat(groupNames(first)).containsExactly("alerts");
        String token = first.get("data").get("groupNextToken").asString();
        assertThat(token).matches("[0-9a-f]{40}");
        JsonNode second = call("/rules", "group_limit", "1", "group_next_token", token);
        assertThat(groupNames(second)).containsExactly("recs");
        assertThat(second.get("data").has("groupNextToken")).isFalse();
        assertThat(groupNames(call("/rules", "group_limit", "5"))).containsExactly("alerts", "recs");
    }

    @Test
    void rules_badParametersAnsweredAsPrometheus() {
        assertError(call("/rules", "type", "Foo"), "invalid parameter \"type\": not supported value \"foo\"");
        assertError(call("/rules", "exclude_alerts", "maybe"), "invalid parameter \"exclude_alerts\": error converting "
                + "exclude_alerts: strconv.ParseBool: parsing \"maybe\": invalid syntax");
        assertError(call("/rules", "group_next_token", "abc"), "invalid parameter \"group_next_token\": group_limit "
                + "needs to be present in order to paginate over the groups");
        assertError(call("/rules", "group_limit", "0"), "invalid parameter \"group_limit\": group_limit needs to be "
                + "greater than 0");
        assertError(call("/rules", "group_limit", "x1"), "invalid parameter \"group_limit\": group_limit needs to be "
                + "a valid number: strconv.ParseInt: parsing \"x1\": invalid syntax");
        assertError(call("/rules", "group_limit", "9999999999"), "invalid parameter \"group_limit\": group_limit needs "
                + "to be a valid number: strconv.ParseInt: parsing \"9999999999\": value out of range");
        assertError(call("/rules", "group_limit", "1", "group_next_token", "feed"), "invalid parameter "
                + "\"group_next_token\": invalid group_next_token 'feed'. were rule groups changed?");
        assertError(call("/rules", "match[]", "{x=~\".*\"}"), "match[] must contain at least one non-empty matcher");
        JsonNode parse = call("/rules", "match[]", "{x=");
        assertThat(parse.get("errorType").asString()).isEqualTo("bad_data");
        assertThat(parse.get("error").asString()).isNotBlank().doesNotContain("Exception");
    }

    static void assertError(JsonNode env, String message) {
        assertThat(env.get("status").asString()).isEqualTo("error");
        assertThat(env.get("errorType").asString()).isEqualTo("bad_data");
        assertThat(env.get("error").asString()).isEqualTo(message);
    }

    @Test
    void alerts_listsPendingAndFiring() {
        JsonNode alerts = call("/alerts").get("data").get("alerts");
        assertThat(alerts).hasSize(2);
        assertThat(alerts.get(0).get("labels").get("alertname").asString()).isEqualTo("AlwaysFiring");
        assertThat(alerts.get(0).get("state").asString()).isEqualTo("firing");
        assertThat(alerts.get(1).get("labels").toString())
                .isEqualTo("{\"alertname\":\"LongPending\",\"severity\":\"ticket\"}");
        assertThat(alerts.get(1).get("state").asString()).isEqualTo("pending");
        assertThat(alerts.get(1).get("value").asString()).isEqualTo("3e+00");
        assertThat(names(alerts.get(1))).containsExactly("labels", "annotations", "state", "activeAt", "value");
    }

    @Test
    void alerts_keepFiringSinceShownWhileKeptFiring() throws Exception {
        // The expression holds for about a second, then keep_firing_for keeps the alert firing.
        double until = System.currentTimeMillis() / 1000.0 + 1;
        Path file = dir.resolve("keep.yml");
        Files.writeString(file, """
                groups:
                - name: keep
                  interval: 100ms
                  rules:
                  - alert: Kept
                    expr: vector(time()) < %s
                    keep_firing_for: 10m
                """.formatted(until));
        RuleManager m = new RuleManager(db, db, ctx.engine, AlertSink.NONE, RuleManagerOptions.defaults());
        TestContext c = new TestContext();
        c.rules = m;
        ApiV1 a = new ApiV1(c, new WebOptions("127.0.0.1:0", "", "", false, false, Duration.ofMinutes(2),
                Duration.ofMinutes(5)), null);
        try {
            m.update(List.of(file.toString()), 60_000);
            AlertingRule kept = m.alertingRules().getFirst();
            await(() -> !kept.activeAlerts().isEmpty() && kept.activeAlerts().getFirst().keepFiringSinceMs() != 0,
                    "the alert is kept firing");
            JsonNode alert = JSON.readTree(ApiV1.renderForTest(a.handle("/alerts", "GET", Params.of()).reply()))
                    .get("data").get("alerts").get(0);
            assertThat(names(alert)).containsExactly("labels", "annotations", "state", "activeAt", "keepFiringSince",
                    "value");
            assertThat(alert.get("state").asString()).isEqualTo("firing");
            assertThat(alert.get("keepFiringSince").asString()).matches(RFC3339);
            assertThat(alert.get("value").asString()).as("the last value seen, in Go's 'e' layout")
                    .matches("1\\.\\d+e\\+09");
        } finally {
            a.close();
            m.close();
        }
    }

    @Test
    void endpoints_withoutRuleManagerOrNotifierAnswerEmpty() {
        TestContext empty = new TestContext();
        ApiV1 a = new ApiV1(empty, new WebOptions("127.0.0.1:0", "", "", false, false, Duration.ofMinutes(2),
                Duration.ofMinutes(5)), null);
        try {
            assertThat(ApiV1.renderForTest(a.handle("/rules", "GET", Params.of()).reply()))
                    .isEqualTo("{\"status\":\"success\",\"data\":{\"groups\":[]}}");
            assertThat(ApiV1.renderForTest(a.handle("/alerts", "GET", Params.of()).reply()))
                    .isEqualTo("{\"status\":\"success\",\"data\":{\"alerts\":[]}}");
            assertThat(ApiV1.renderForTest(a.handle("/alertmanagers", "GET", Params.of()).reply())).isEqualTo(
                    "{\"status\":\"success\",\"data\":{\"activeAlertmanagers\":[],\"droppedAlertmanagers\":[]}}");
        } finally {
            a.close();
        }
    }

    @Test
    void alertmanagers_listsActiveAndDropped() throws Exception {
        Notifier n = new Notifier(NotifierOptions.defaults().withDiscoveryUpdateMillis(50));
        try {
            AlertingConfig cfg = YamlConfigLoader.parse("""
                    alertmanagers:
                      - path_prefix: /am
                        static_configs: [{targets: ['127.0.0.1:9093', '127.0.0.1:9094']}]
                        relabel_configs:
                          - source_labels: [__address__]
                            regex: '127.0.0.1:9094'
                            action: drop
                    """, "prometheus.yml", AlertingConfig.class);
            cfg.applyDefaults();
            n.applyConfig(cfg, Labels.EMPTY);
            await(() -> n.alertmanagers().size() == 1 && n.droppedAlertmanagers().size() == 1, "alertmanagers discovered");
            TestContext c = new TestContext();
            c.notifier = n;
            ApiV1 a = new ApiV1(c, new WebOptions("127.0.0.1:0", "", "", false, false, Duration.ofMinutes(2),
                    Duration.ofMinutes(5)), null);
            try {
                assertThat(ApiV1.renderForTest(a.handle("/alertmanagers", "GET", Params.of()).reply())).isEqualTo(
                        "{\"status\":\"success\",\"data\":{\"activeAlertmanagers\":[{\"url\":"
                                + "\"http://127.0.0.1:9093/am/api/v2/alerts\"}],\"droppedAlertmanagers\":[{\"url\":"
                                + "\"http://127.0.0.1:9094/am/api/v2/alerts\"}]}}");
            } finally {
                a.close();
            }
        } finally {
            n.close();
        }
    }

    @Test
    void rules_servedOverHttpGetOnly() throws Exception {
        WebServer server = WebServer.start(ctx, new WebOptions("127.0.0.1:0", "", "", false, false,
                Duration.ofMinutes(2), Duration.ofMinutes(5)));
        try {
            Http http = new Http(server.port());
            Http.Resp r = http.get("/api/v1/rules?" + q("type", "alert", "rule_name[]", "Never"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.contentType()).startsWith("application/json");
            assertThat(ruleNames(JSON.readTree(r.body()))).containsExactly("Never");
            assertThat(http.get("/api/v1/alerts").status()).isEqualTo(200);
            assertThat(http.get("/api/v1/alertmanagers").status()).isEqualTo(200);
            assertThat(http.post("/api/v1/rules", "").status()).isEqualTo(405);
            Http.Resp bad = http.get("/api/v1/rules?type=x");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body()).isEqualTo(
                    "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"type\\\": "
                            + "not supported value \\\"x\\\"\"}");
        } finally {
            server.stop();
        }
    }
}
