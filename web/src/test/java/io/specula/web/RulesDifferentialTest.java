package io.specula.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.config.YamlConfigLoader;
import io.specula.model.labels.Labels;
import io.specula.rules.AlertSink;
import io.specula.rules.RuleManager;
import io.specula.rules.RuleManagerOptions;
import io.specula.rules.notifier.Notifier;
import io.specula.rules.notifier.NotifierOptions;
import io.specula.rules.notifier.config.AlertingConfig;
import io.specula.tsdb.DB;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs the real Prometheus (Debian's 2.42) and Specula on copies of the same promtool-made
 * blocks with the same rule file and Alertmanager configuration, and compares
 * {@code /api/v1/rules}, {@code /alerts} and {@code /alertmanagers}. Normalized: evaluation
 * times and durations, {@code activeAt} (each side evaluates on its own clock), and the order of
 * a rule's alerts (Prometheus keeps them in a map).
 */
class RulesDifferentialTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALERTING = """
            alertmanagers:
              - static_configs: [{targets: ['127.0.0.1:1', '127.0.0.1:2']}]
                relabel_configs:
                  - source_labels: [__address__]
                    regex: '127.0.0.1:2'
                    action: drop
            """;

    @TempDir
    static Path tmp;
    static Process prometheus;
    static Http prom;
    static Http specula;
    static WebServer server;
    static TestContext ctx;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(WebDifferentialTest.PROMETHEUS)
                        && Files.isExecutable(WebDifferentialTest.PROMTOOL),
                "SKIPPED LOUDLY: " + WebDifferentialTest.PROMETHEUS + " or " + WebDifferentialTest.PROMTOOL
                        + " not installed (Debian package prometheus); the rules differential test needs both");
        Path om = tmp.resolve("data.om");
        Files.writeString(om, openMetrics());
        Path blocks = tmp.resolve("blocks");
        WebDifferentialTest.run(WebDifferentialTest.PROMTOOL.toString(), "tsdb", "create-blocks-from", "openmetrics",
                om.toString(), blocks.toString());
        Path promData = tmp.resolve("prom-data"), specData = tmp.resolve("specula-data");
        WebDifferentialTest.copy(blocks, promData);
        WebDifferentialTest.copy(blocks, specData);
        Path rules = tmp.resolve("rules.yml");
        Files.writeString(rules, RULES);
        Path config = tmp.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  evaluation_interval: 1s\nrule_files: ['" + rules + "']\nalerting:\n"
                + ALERTING.indent(2));
        int port = WebDifferentialTest.freePort();
        prometheus = new ProcessBuilder(WebDifferentialTest.PROMETHEUS.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + promData, "--storage.tsdb.retention.time=100000d",
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("prometheus.log").toFile()).start();
        prom = new Http(port);

        ctx = new TestContext();
        ctx.db = DB.open(specData, DB.Options.defaults());
        RuleManager m = new RuleManager(ctx.db, ctx.db, ctx.engine, AlertSink.NONE, RuleManagerOptions.defaults());
        m.update(List.of(rules.toString()), 1_000);
        ctx.rules = m;
        Notifier n = new Notifier(NotifierOptions.defaults().withDiscoveryUpdateMillis(50));
        AlertingConfig ac = YamlConfigLoader.parse(ALERTING, "prometheus.yml", AlertingConfig.class);
        ac.applyDefaults();
        n.applyConfig(ac, Labels.EMPTY);
        ctx.notifier = n;
        server = WebServer.start(ctx, new WebOptions("127.0.0.1:0", "", "", false, false, Duration.ofMinutes(2),
                Duration.ofMinutes(5)));
        specula = new Http(server.port());

        awaitSettled(prom, "prometheus");
        awaitSettled(specula, "specula");
    }

    /** Until every rule was evaluated at least twice over and the alerts are in their end states. */
    static void awaitSettled(Http http, String who) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            try {
                Http.Resp r = http.get("/api/v1/rules");
                if (r.status() == 200 && settled(JSON.readTree(r.body()))) {
                    Thread.sleep(1_500); // one more evaluation, so both report a steady state
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.currentTimeMillis() > deadline || (prometheus != null && !prometheus.isAlive())) {
                throw new IllegalStateException(who + " did not evaluate its rules in time: "
                        + Files.readString(tmp.resolve("prometheus.log")));
            }
            Thread.sleep(200);
        }
    }

    static boolean settled(JsonNode env) {
        JsonNode groups = env.path("data").path("groups");
        if (groups.size() != 2) {
            return false;
        }
        for (JsonNode g : groups) {
            for (JsonNode r : g.get("rules")) {
                if (r.get("lastEvaluation").asString().startsWith("0001-")) {
                    return false;
                }
                if (r.get("name").asString().equals("HighTemp") && !r.get("state").asString().equals("firing")) {
                    return false;
                }
            }
        }
        return true;
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
        if (server != null) {
            server.stop();
        }
        if (ctx != null) {
            if (ctx.rules != null) {
                ctx.rules.close();
            }
            if (ctx.notifier != null) {
                ctx.notifier.close();
            }
            if (ctx.db != null) {
                ctx.db.close();
            }
        }
    }

    static final String RULES = """
            groups:
            - name: temps
              interval: 1s
              rules:
              - record: room:temp:max
                expr: max by (room) (temp)
                labels:
                  source: "rule"
              - record: dup
                expr: label_replace(temp, "room", "x", "", "")
              - record: plain
                expr: sum(temp)
            - name: alerts
              interval: 1s
              limit: 10
              rules:
              - alert: HighTemp
                expr: temp > 20
                labels:
                  severity: page
                annotations:
                  summary: "room {{ $labels.room }} at {{ $value }}"
                  link: "<a href=x>&</a>"
              - alert: WarmFor
                expr: temp > 5
                for: 1h
                keep_firing_for: 2m
                labels:
                  severity: ticket
                annotations:
                  description: "{{ $value | humanize }} degrees"
              - alert: Never
                expr: absent(temp)
            """;

    /** Two rooms' temperatures over the last two minutes, so the rules see them now. */
    static String openMetrics() {
        long now = System.currentTimeMillis() / 1000;
        StringBuilder sb = new StringBuilder("# TYPE temp gauge\n");
        for (int i = 12; i >= 1; i--) {
            sb.append("temp{room=\"a\"} 30.5 ").append(now - 10L * i).append('\n');
            sb.append("temp{room=\"b\"} 10 ").append(now - 10L * i).append('\n');
        }
        return sb.append("# EOF\n").toString();
    }

    static JsonNode fetch(Http http, String path) throws Exception {
        Http.Resp r = http.get(path);
        return normalize(JSON.readTree(r.body()));
    }

    /** Clock-dependent members become placeholders; a rule's alerts are sorted by their labels. */
    static JsonNode normalize(JsonNode n) {
        if (n instanceof ObjectNode o) {
            for (String k : List.of("lastEvaluation", "activeAt", "keepFiringSince")) {
                if (o.has(k)) {
                    o.put(k, o.get(k).asString().startsWith("0001-") ? "zero" : "set");
                }
            }
            if (o.has("evaluationTime")) {
                o.put("evaluationTime", "t");
            }
            if (o.get("alerts") instanceof ArrayNode alerts) {
                List<JsonNode> items = new ArrayList<>();
                alerts.forEach(items::add);
                items.sort(Comparator.comparing(x -> x.get("labels").toString()));
                alerts.removeAll();
                items.forEach(alerts::add);
            }
            for (String k : new ArrayList<>(o.propertyNames())) {
                normalize(o.get(k));
            }
        } else if (n instanceof ArrayNode a) {
            a.forEach(RulesDifferentialTest::normalize);
        }
        return n;
    }

    private static void assertSame(String path) throws Exception {
        JsonNode p = fetch(prom, path), s = fetch(specula, path);
        assertThat(s).as(path + ": " + WebDifferentialTest.firstDifference("", p, s)).isEqualTo(p);
        // Tree equality ignores member order; the printed trees keep it, as Go's encoder writes it.
        assertThat(s.toString()).as(path + ": member order").isEqualTo(p.toString());
    }

    @Test
    void rules_htmlCharactersEscapedAsPrometheus() throws Exception {
        String escaped = "\\u003ca href=x\\u003e\\u0026\\u003c/a\\u003e";
        assertThat(prom.get("/api/v1/rules").body()).contains(escaped);
        assertThat(specula.get("/api/v1/rules").body()).contains(escaped);
    }

    @Test
    void rules_sameAsPrometheus() throws Exception {
        JsonNode p = fetch(prom, "/api/v1/rules");
        // Guard against comparing two empty answers: the rules must have produced something.
        JsonNode alerting = p.get("data").get("groups").get(0).get("rules");
        assertThat(alerting.get(0).get("state").asString()).isEqualTo("firing");
        assertThat(alerting.get(0).get("alerts")).hasSize(1);
        assertThat(alerting.get(1).get("alerts")).hasSize(2);
        assertThat(p.get("data").get("groups").get(1).get("rules").get(1).get("health").asString()).isEqualTo("err");
        assertSame("/api/v1/rules");
    }

    @Test
    void alerts_sameAsPrometheus() throws Exception {
        JsonNode p = fetch(prom, "/api/v1/alerts"), s = fetch(specula, "/api/v1/alerts");
        // Across rules the order is each rule's map order in Prometheus: compare as sorted lists.
        for (JsonNode n : List.of(p, s)) {
            ArrayNode a = (ArrayNode) n.get("data").get("alerts");
            List<JsonNode> items = new ArrayList<>();
            a.forEach(items::add);
            items.sort(Comparator.comparing(x -> x.get("labels").toString()));
            a.removeAll();
            items.forEach(a::add);
        }
        assertThat(s.get("data").get("alerts")).as("alerts present").hasSize(3);
        assertThat(s).as(WebDifferentialTest.firstDifference("", p, s)).isEqualTo(p);
        assertThat(s.toString()).as("member order").isEqualTo(p.toString());
    }

    @Test
    void alertmanagers_sameAsPrometheus() throws Exception {
        // Prometheus's discovery hands out targets every few seconds: wait until both list one.
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline
                && (fetch(prom, "/api/v1/alertmanagers").path("data").path("activeAlertmanagers").isEmpty()
                        || fetch(specula, "/api/v1/alertmanagers").path("data").path("activeAlertmanagers").isEmpty())) {
            Thread.sleep(200);
        }
        assertThat(fetch(specula, "/api/v1/alertmanagers").get("data").get("activeAlertmanagers")).hasSize(1);
        assertSame("/api/v1/alertmanagers");
    }

    @Test
    void rules_badTypeSameAsPrometheus() throws Exception {
        Http.Resp p = prom.get("/api/v1/rules?type=bogus"), s = specula.get("/api/v1/rules?type=bogus");
        assertThat(s.status()).isEqualTo(p.status());
        assertThat(s.body()).isEqualTo(p.body());
    }
}
