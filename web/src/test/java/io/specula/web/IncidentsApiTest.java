package io.specula.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.incident.IncidentManager;
import io.specula.incident.SeriesSource;
import io.specula.incident.Topology;
import io.specula.incident.config.IncidentsConfig;
import io.specula.model.labels.Labels;
import io.specula.rules.Alert;
import io.specula.rules.RuleManager;
import io.specula.rules.RuleManagerOptions;
import io.specula.tsdb.DB;
import io.specula.web.api.ApiV1;
import io.specula.web.api.Params;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /api/v1/incidents} over a real rule manager whose alerts go through the
 * {@link IncidentManager}: the envelope, list and detail shapes, filters and errors, and the
 * decoration of the alerts the notifier receives.
 */
class IncidentsApiTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void incidents_listDetailFiltersAndErrors() throws Exception {
        Files.writeString(dir.resolve("rules.yml"), """
                groups:
                - name: g
                  interval: 100ms
                  rules:
                  - alert: DBDown
                    expr: vector(1)
                    labels: {job: db}
                  - alert: AppErrors
                    expr: vector(1)
                    labels: {job: app}
                """);
        List<Alert> sent = Collections.synchronizedList(new ArrayList<>());
        TestContext ctx = new TestContext();
        try (DB db = DB.open(dir.resolve("data"), DB.Options.defaults())) {
            ctx.db = db;
            RuleManager[] rm = new RuleManager[1];
            IncidentManager im = new IncidentManager(sent::addAll, new SeriesSource(ctx.engine, () -> db), () -> rm[0],
                    List::<Topology.Target>of);
            im.applyConfig(new IncidentsConfig.Resolved(true, 60_000, List.of(new Topology.Dependency(
                    io.specula.incident.Entity.service("app"), io.specula.incident.Entity.service("db"), "calls it"))), 60_000);
            im.refresh(System.currentTimeMillis()); // the graph before the first alert (the server's first refresh runs at once)
            rm[0] = new RuleManager(db, db, ctx.engine, im, RuleManagerOptions.defaults());
            ctx.rules = rm[0];
            ctx.incidents = im;
            ApiV1 api = new ApiV1(ctx, new WebOptions("127.0.0.1:0", "", "", false, false, Duration.ofMinutes(2),
                    Duration.ofMinutes(5)), null);
            try {
                rm[0].update(List.of(dir.resolve("rules.yml").toString()), 60_000);
                long deadline = System.currentTimeMillis() + 15_000;
                while (sent.size() < 2 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                im.refresh(System.currentTimeMillis());
                assertThat(sent).hasSizeGreaterThanOrEqualTo(2);
                for (Alert a : sent) {
                    assertThat(a.labels().get("incident")).hasSize(16);
                    assertThat(a.annotations()).containsKeys("root_cause", "incident_summary");
                }
                assertThat(sent.get(0).labels().get("incident")).isEqualTo(sent.get(1).labels().get("incident"));

                JsonNode list = call(api, "/incidents");
                assertThat(list.get("status").asString()).isEqualTo("success");
                JsonNode incidents = list.get("data").get("incidents");
                assertThat(incidents.size()).isEqualTo(1);
                JsonNode inc = incidents.get(0);
                assertThat(inc.get("state").asString()).isEqualTo("open");
                assertThat(inc.get("alertCount").asInt()).isEqualTo(2);
                assertThat(inc.get("rootCause").get("text").asString()).isEqualTo("DBDown on service db");
                assertThat(inc.get("rootCause").get("entity").toString()).isEqualTo("{\"kind\":\"service\",\"name\":\"db\"}");
                assertThat(inc.get("path").get(1).get("via").asString()).isEqualTo("declared: calls it");
                assertThat(inc.get("startsAt").asString()).endsWith("Z");
                assertThat(inc.has("timeline")).isFalse();
                String id = inc.get("id").asString();

                JsonNode one = call(api, "/incidents/" + id).get("data");
                assertThat(one.get("id").asString()).isEqualTo(id);
                assertThat(one.get("timeline").get(0).get("type").asString()).isEqualTo("alert_firing");
                assertThat(one.get("alerts").get(0).get("labels").get("alertname").asString()).isIn("DBDown", "AppErrors");

                assertThat(call(api, "/incidents", "state", "resolved").get("data").get("incidents").size()).isZero();
                ApiV1.Response missing = api.handle("/incidents/nope", "GET", Params.of());
                assertThat(missing.status()).isEqualTo(404);
                assertThat(missing.body()).isEqualTo(
                        "{\"status\":\"error\",\"errorType\":\"not_found\",\"error\":\"incident \\\"nope\\\" not found\"}");
                ApiV1.Response bad = api.handle("/incidents", "GET", Params.of("state", "x"));
                assertThat(bad.status()).isEqualTo(400);
                assertThat(ApiV1.route("/incidents/" + id, "POST")).isEqualTo(ApiV1.Route.METHOD_NOT_ALLOWED);
                assertThat(ApiV1.route("/incidents/a/b", "GET")).isEqualTo(ApiV1.Route.NOT_FOUND);
                assertThat(ApiV1.handlerName("/incidents/" + id)).isEqualTo("/api/v1/incidents/:id");

                // One key turns it off: alerts pass undecorated and the API lists nothing.
                im.applyConfig(new IncidentsConfig.Resolved(false, 60_000, List.of()), 60_000);
                sent.clear();
                im.send(List.of(new Alert(Labels.of("alertname", "X"), java.util.Map.of(), 1, 0, "")));
                assertThat(sent.getFirst().labels().has("incident")).isFalse();
                assertThat(call(api, "/incidents").get("data").get("incidents").size()).isZero();
                im.close();
            } finally {
                rm[0].close();
                api.close();
            }
        }
    }

    private static JsonNode call(ApiV1 api, String path, String... params) {
        ApiV1.Response r = api.handle(path, "GET", Params.of(params));
        return JSON.readTree(r.reply() != null ? ApiV1.renderForTest(r.reply()) : r.body());
    }
}
