package io.specula.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class ApiV2Test {
    @TempDir
    Path dir;

    private static final String CONFIG = """
            route:
              receiver: a
              group_by: [alertname]
              group_wait: 1h
            receivers:
              - name: a
            """;

    @Test
    void postAlerts_badAlertsGet400AndTheRestOfTheBatchIsStored() throws Exception {
        try (TestAlertmanager t = TestAlertmanager.start(dir, CONFIG)) {
            var r = t.post("/api/v2/alerts", """
                    [{"labels":{}},
                     {"labels":{"alertname":"Good"}},
                     {"labels":{"alertname":"BadTime"},"startsAt":"yesterday"},
                     {"labels":{"bad-name":"x"}},
                     {"labels":{"alertname":"Backwards"},"startsAt":"2026-01-02T00:00:00Z","endsAt":"2026-01-01T00:00:00Z"}]
                    """);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.json().asString()).contains("alert 0: at least one label pair required")
                    .contains("alert 2: startsAt: invalid time").contains("alert 3: invalid label set")
                    .contains("alert 4: start time must be before end time");
            JsonNode alerts = t.get("/api/v2/alerts").json();
            assertThat(alerts).hasSize(1);
            JsonNode a = alerts.get(0);
            assertThat(a.get("labels").get("alertname").asString()).isEqualTo("Good");
            assertThat(a.get("status").get("state").asString()).isEqualTo("active");
            assertThat(a.get("receivers").get(0).get("name").asString()).isEqualTo("a");
            assertThat(a.get("startsAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(t.post("/api/v2/alerts", "{not json").status()).isEqualTo(400);
            assertThat(t.post("/api/v2/alerts", "{\"labels\":{}}").status()).isEqualTo(400);
        }
    }

    @Test
    void postAlerts_hugeBodyIsRefused() throws Exception {
        try (TestAlertmanager t = TestAlertmanager.start(dir, CONFIG)) {
            String huge = "[" + "{\"labels\":{\"alertname\":\"x\"}},".repeat(1_200_000) + "{\"labels\":{\"a\":\"b\"}}]";
            var r = t.post("/api/v2/alerts", huge);
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.json().asString()).contains("request body larger than 32 MiB");
            assertThat(t.get("/api/v2/alerts").json()).isEmpty();
        }
    }

    @Test
    void alertGroups_listGroupsWithTheirReceiver() throws Exception {
        try (TestAlertmanager t = TestAlertmanager.start(dir, CONFIG)) {
            t.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"X\",\"i\":\"1\"}},{\"labels\":{\"alertname\":\"X\",\"i\":\"2\"}},"
                    + "{\"labels\":{\"alertname\":\"Y\"}}]");
            JsonNode groups = t.get("/api/v2/alerts/groups").json();
            assertThat(groups).hasSize(2);
            assertThat(groups.get(0).get("labels").get("alertname").asString()).isEqualTo("X");
            assertThat(groups.get(0).get("receiver").get("name").asString()).isEqualTo("a");
            assertThat(groups.get(0).get("alerts")).hasSize(2);
            assertThat(t.get("/api/v2/alerts/groups?filter=i%3D%222%22").json().get(0).get("alerts")).hasSize(1);
            assertThat(t.get("/api/v2/alerts?receiver=nope").json()).isEmpty();
            assertThat(t.get("/api/v2/alerts?receiver=a").json()).hasSize(3);
            assertThat(t.get("/api/v2/alerts?active=maybe").status()).isEqualTo(400);
        }
    }

    @Test
    void reload_keepsTheOldConfigWhenTheNewOneIsBad() throws Exception {
        try (TestAlertmanager t = TestAlertmanager.start(dir, CONFIG)) {
            Files.writeString(dir.resolve("alertmanager.yml"), "route:\n  receiver: missing\nreceivers: [{name: a}]\n");
            var r = t.post("/-/reload", "");
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.body()).contains("undefined receiver \"missing\" used in route");
            assertThat(t.get("/api/v2/receivers").json()).hasSize(1);
            assertThat(t.get("/metrics").body()).contains("alertmanager_config_last_reload_successful 0");
            Files.writeString(dir.resolve("alertmanager.yml"), CONFIG + "  - name: b\n");
            assertThat(t.post("/-/reload", "").status()).isEqualTo(200);
            assertThat(t.get("/api/v2/receivers").json()).hasSize(2);
            JsonNode status = t.get("/api/v2/status").json();
            assertThat(status.get("config").get("original").asString()).contains("name: \"b\"");
            assertThat(status.get("cluster").get("status").asString()).isEqualTo("disabled");
            assertThat(t.get("/-/healthy").status()).isEqualTo(200);
            assertThat(t.get("/-/ready").status()).isEqualTo(200);
        }
    }

    @Test
    void routePrefix_comesFromTheExternalUrlPath() throws Exception {
        Files.writeString(dir.resolve("alertmanager.yml"), CONFIG);
        AlertmanagerOptions o = new AlertmanagerOptions();
        o.configFile = dir.resolve("alertmanager.yml");
        o.storagePath = dir.resolve("data");
        o.listenAddress = "127.0.0.1:0";
        o.externalUrl = "http://example.org/am/";
        try (Alertmanager am = Alertmanager.start(o)) {
            var http = java.net.http.HttpClient.newHttpClient();
            var ok = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://" + am.boundAddress() + "/am/api/v2/status")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            var missing = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://" + am.boundAddress() + "/api/v2/status")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(am.externalUrl()).isEqualTo("http://example.org/am");
        }
    }
}
