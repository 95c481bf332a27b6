package io.specula.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Acceptance tests in the style of Alertmanager's own: a real daemon in-process, alerts in
 * over API v2, notifications out to a local webhook, with short timers.
 */
class WebhookNotificationTest {
    @TempDir
    Path dir;

    private static String config(String url, String extra) {
        return """
                route:
                  receiver: hook
                  group_by: [alertname]
                  group_wait: 300ms
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: hook
                    webhook_configs:
                      - url: %s
                %s""".formatted(url, extra);
    }

    @Test
    void webhook_sendsTheExactV4PayloadAfterGroupWait() throws Exception {
        try (WebhookReceiver hook = new WebhookReceiver();
                TestAlertmanager t = TestAlertmanager.start(dir, config(hook.url(), ""))) {
            var r = t.post("/api/v2/alerts", """
                    [{"labels":{"alertname":"HighLatency","instance":"b:9100","severity":"page"},
                      "annotations":{"summary":"slow"},"startsAt":"2026-01-02T03:04:05.5Z",
                      "generatorURL":"http://prom/graph"},
                     {"labels":{"alertname":"HighLatency","instance":"a:9100","severity":"page"},
                      "annotations":{"summary":"slow","runbook":"r"},"startsAt":"2026-01-02T03:04:05Z"}]
                    """);
            assertThat(r.status()).isEqualTo(200);
            WebhookReceiver.Received got = hook.poll(Duration.ofSeconds(5));
            assertThat(got).isNotNull();
            assertThat(got.userAgent()).startsWith("Alertmanager/");
            JsonNode expected = TestAlertmanager.JSON.readTree("""
                    {"receiver":"hook","status":"firing","alerts":[
                      {"status":"firing","labels":{"alertname":"HighLatency","instance":"a:9100","severity":"page"},
                       "annotations":{"runbook":"r","summary":"slow"},"startsAt":"2026-01-02T03:04:05Z",
                       "endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"%s"},
                      {"status":"firing","labels":{"alertname":"HighLatency","instance":"b:9100","severity":"page"},
                       "annotations":{"summary":"slow"},"startsAt":"2026-01-02T03:04:05.5Z",
                       "endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prom/graph","fingerprint":"%s"}],
                     "groupLabels":{"alertname":"HighLatency"},
                     "commonLabels":{"alertname":"HighLatency","severity":"page"},
                     "commonAnnotations":{"summary":"slow"},
                     "externalURL":"http://am.example:9093","version":"4",
                     "groupKey":"{}:{alertname=\\"HighLatency\\"}","truncatedAlerts":0}
                    """.formatted(fp("alertname", "HighLatency", "instance", "a:9100", "severity", "page"),
                    fp("alertname", "HighLatency", "instance", "b:9100", "severity", "page")));
            assertThat(got.body()).isEqualTo(expected);
            // Field order is Alertmanager's too.
            assertThat(got.body().propertyNames()).containsExactly("receiver", "status", "alerts", "groupLabels",
                    "commonLabels", "commonAnnotations", "externalURL", "version", "groupKey", "truncatedAlerts");
            // Nothing changed: no second notification within group_interval + margin.
            assertThat(hook.poll(Duration.ofMillis(2500))).isNull();
        }
    }

    @Test
    void webhook_waitsGroupWaitForFreshAlertsAndBatchesThem() throws Exception {
        try (WebhookReceiver hook = new WebhookReceiver();
                TestAlertmanager t = TestAlertmanager.start(dir, config(hook.url(), ""))) {
            Instant posted = Instant.now();
            t.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"A\",\"i\":\"1\"}}]");
            Thread.sleep(100);
            t.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"A\",\"i\":\"2\"}}]");
            WebhookReceiver.Received got = hook.poll(Duration.ofSeconds(5));
            assertThat(Duration.between(posted, got.at())).isGreaterThanOrEqualTo(Duration.ofMillis(280));
            assertThat(got.body().get("alerts")).hasSize(2);
            // A new alert in the group goes out at the next group_interval tick.
            t.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"A\",\"i\":\"3\"}}]");
            WebhookReceiver.Received next = hook.poll(Duration.ofSeconds(5));
            assertThat(next.body().get("alerts")).hasSize(3);
            assertThat(Duration.between(got.at(), next.at())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        }
    }

    @Test
    void webhook_sendsResolvedAndMaxAlertsTruncates() throws Exception {
        try (WebhookReceiver hook = new WebhookReceiver();
                TestAlertmanager t = TestAlertmanager.start(dir, config(hook.url(), "        max_alerts: 1\n"))) {
            Instant end = Instant.now().plusMillis(1200);
            t.post("/api/v2/alerts", """
                    [{"labels":{"alertname":"B","i":"1"},"endsAt":"%s"},{"labels":{"alertname":"B","i":"2"},"endsAt":"%s"}]
                    """.formatted(end, end));
            JsonNode first = hook.poll(Duration.ofSeconds(5)).body();
            assertThat(first.get("status").asString()).isEqualTo("firing");
            assertThat(first.get("alerts")).hasSize(1);
            assertThat(first.get("truncatedAlerts").asInt()).isEqualTo(1);
            JsonNode second = hook.poll(Duration.ofSeconds(5)).body();
            assertThat(second.get("status").asString()).isEqualTo("resolved");
            assertThat(second.get("alerts").get(0).get("endsAt").asString()).isNotEqualTo("0001-01-01T00:00:00Z");
        }
    }

    @Test
    void resolveTimeout_resolvesAlertsThatAreNotRenewed() throws Exception {
        try (WebhookReceiver hook = new WebhookReceiver();
                TestAlertmanager t = TestAlertmanager.start(dir, "global:\n  resolve_timeout: 1s\n" + config(hook.url(), ""))) {
            t.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"Gone\"}}]");
            assertThat(hook.poll(Duration.ofSeconds(5)).body().get("status").asString()).isEqualTo("firing");
            JsonNode resolved = hook.poll(Duration.ofSeconds(5)).body();
            assertThat(resolved.get("status").asString()).isEqualTo("resolved");
            assertThat(t.get("/api/v2/alerts").json()).isEmpty();
        }
    }

    @Test
    void webhook_retriesAFailingReceiverWithBackoff() throws Exception {
        try (WebhookReceiver hook = new WebhookReceiver();
                TestAlertmanager t = TestAlertmanager.start(dir, config(hook.url(), ""))) {
            hook.failFirst.set(2);
            t.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"C\"}}]");
            assertThat(hook.poll(Duration.ofSeconds(10))).isNotNull();
            assertThat(hook.attempts.get()).isEqualTo(3);
            assertThat(t.am.metrics().requests("webhook")).isEqualTo(3);
            assertThat(t.am.metrics().notifications("webhook")).isEqualTo(1);
            assertThat(t.get("/metrics").body()).contains("alertmanager_notification_requests_total{integration=\"webhook\"} 3")
                    .contains("alertmanager_notifications_total{integration=\"webhook\"} 1")
                    .contains("alertmanager_alerts{state=\"active\"} 1");
        }
    }

    @Test
    void webhook_readsTheUrlFromUrlFile() throws Exception {
        try (WebhookReceiver hook = new WebhookReceiver()) {
            java.nio.file.Files.writeString(dir.resolve("url"), hook.url() + "\n");
            String cfg = config(hook.url(), "").replace("- url: " + hook.url(), "- url_file: " + dir.resolve("url"));
            try (TestAlertmanager t = TestAlertmanager.start(dir, cfg)) {
                t.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"F\"}}]");
                assertThat(hook.poll(Duration.ofSeconds(5))).isNotNull();
            }
        }
    }

    @Test
    void webhook_clientErrorIsNotRetried() throws Exception {
        try (WebhookReceiver hook = new WebhookReceiver();
                TestAlertmanager t = TestAlertmanager.start(dir, config(hook.url(), ""))) {
            hook.failStatus = 400;
            hook.failFirst.set(1);
            t.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"C\"}}]");
            // The failed flush is not logged, so the next group_interval tick tries again.
            WebhookReceiver.Received got = hook.poll(Duration.ofSeconds(5));
            assertThat(got).isNotNull();
            assertThat(hook.attempts.get()).isEqualTo(2);
            assertThat(t.am.metrics().sent("webhook", false)).isEqualTo(1);
        }
    }

    @Test
    void hangingReceiver_doesNotHoldUpOtherGroups() throws Exception {
        try (WebhookReceiver slow = new WebhookReceiver(); WebhookReceiver fast = new WebhookReceiver();
                TestAlertmanager t = TestAlertmanager.start(dir, """
                        route:
                          receiver: fast
                          group_by: [alertname]
                          group_wait: 100ms
                          group_interval: 1s
                          routes:
                            - matchers: ['alertname="Slow"']
                              receiver: slow
                        receivers:
                          - name: fast
                            webhook_configs: [{url: '%s'}]
                          - name: slow
                            webhook_configs: [{url: '%s'}]
                        """.formatted(fast.url(), slow.url()))) {
            slow.delayMillis = 4000;
            t.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"Slow\"}}]");
            Thread.sleep(300);
            Instant posted = Instant.now();
            t.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"Fast\"}}]");
            WebhookReceiver.Received got = fast.poll(Duration.ofSeconds(3));
            assertThat(got).isNotNull();
            assertThat(Duration.between(posted, got.at())).isLessThan(Duration.ofSeconds(2));
            assertThat(slow.attempts.get()).isEqualTo(1);
        }
    }

    @Test
    void silence_mutesMatchingAlertsAndShowsThemSuppressed() throws Exception {
        try (WebhookReceiver hook = new WebhookReceiver();
                TestAlertmanager t = TestAlertmanager.start(dir, config(hook.url(), ""))) {
            Instant now = Instant.now();
            var r = t.post("/api/v2/silences", """
                    {"matchers":[{"name":"alertname","value":"Quiet","isRegex":false}],
                     "startsAt":"%s","endsAt":"%s","createdBy":"me","comment":"shh"}
                    """.formatted(now, now.plusSeconds(3600)));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            String id = r.json().get("silenceID").asString();
            t.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"Quiet\"}},{\"labels\":{\"alertname\":\"Loud\"}}]");
            WebhookReceiver.Received got = hook.poll(Duration.ofSeconds(5));
            assertThat(got.body().get("groupLabels").get("alertname").asString()).isEqualTo("Loud");
            assertThat(hook.poll(Duration.ofMillis(1500))).isNull();
            JsonNode alerts = t.get("/api/v2/alerts?filter=alertname%3D%22Quiet%22").json();
            assertThat(alerts).hasSize(1);
            assertThat(alerts.get(0).get("status").get("state").asString()).isEqualTo("suppressed");
            assertThat(alerts.get(0).get("status").get("silencedBy").get(0).asString()).isEqualTo(id);
            assertThat(t.get("/api/v2/alerts?silenced=false").json()).hasSize(1);
            // Expiring the silence lets the notification through at the next tick.
            assertThat(t.delete("/api/v2/silence/" + id).status()).isEqualTo(200);
            assertThat(t.get("/api/v2/silence/" + id).json().get("status").get("state").asString()).isEqualTo("expired");
            WebhookReceiver.Received quiet = hook.poll(Duration.ofSeconds(5));
            assertThat(quiet.body().get("groupLabels").get("alertname").asString()).isEqualTo("Quiet");
        }
    }

    @Test
    void inhibition_mutesTargetsWhileTheSourceFires() throws Exception {
        String extra = """
                inhibit_rules:
                  - source_matchers: ['severity="critical"']
                    target_matchers: ['severity="warning"']
                    equal: [cluster]
                """;
        try (WebhookReceiver hook = new WebhookReceiver();
                TestAlertmanager t = TestAlertmanager.start(dir, config(hook.url(), extra))) {
            t.post("/api/v2/alerts", """
                    [{"labels":{"alertname":"Down","severity":"critical","cluster":"x"}},
                     {"labels":{"alertname":"Slow","severity":"warning","cluster":"x"}},
                     {"labels":{"alertname":"Slow2","severity":"warning","cluster":"y"}}]""");
            Thread.sleep(1500);
            var names = hook.drain().stream().map(x -> x.body().get("groupLabels").get("alertname").asString()).sorted().toList();
            assertThat(names).containsExactly("Down", "Slow2");
            JsonNode slow = t.get("/api/v2/alerts?filter=alertname%3DSlow").json().get(0);
            assertThat(slow.get("status").get("inhibitedBy")).hasSize(1);
            assertThat(t.get("/api/v2/alerts?inhibited=false").json()).hasSize(2);
        }
    }

    @Test
    void timeIntervals_muteAndActivateRoutes() throws Exception {
        try (WebhookReceiver hook = new WebhookReceiver();
                TestAlertmanager t = TestAlertmanager.start(dir, """
                        route:
                          receiver: hook
                          group_by: [alertname]
                          group_wait: 100ms
                          group_interval: 1s
                          routes:
                            - matchers: ['alertname="Muted"']
                              mute_time_intervals: [always]
                            - matchers: ['alertname="Inactive"']
                              active_time_intervals: [never]
                            - matchers: ['alertname="Active"']
                              active_time_intervals: [always]
                        receivers:
                          - name: hook
                            webhook_configs:
                              - url: %s
                        time_intervals:
                          - name: always
                            time_intervals:
                              - times: [{start_time: "00:00", end_time: "24:00"}]
                          - name: never
                            time_intervals:
                              - years: ['1999']
                        """.formatted(hook.url()))) {
            t.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"Muted\"}},{\"labels\":{\"alertname\":\"Inactive\"}},"
                    + "{\"labels\":{\"alertname\":\"Active\"}}]");
            Thread.sleep(1500);
            var names = hook.drain().stream().map(x -> x.body().get("groupLabels").get("alertname").asString()).toList();
            assertThat(names).containsExactly("Active");
        }
    }

    @Test
    void restart_keepsSilencesAndTheNotificationLog() throws Exception {
        try (WebhookReceiver hook = new WebhookReceiver()) {
            String id;
            try (TestAlertmanager t = TestAlertmanager.start(dir, config(hook.url(), ""))) {
                Instant now = Instant.now();
                id = t.post("/api/v2/silences", """
                        {"matchers":[{"name":"a","value":"b","isRegex":false}],
                         "startsAt":"%s","endsAt":"%s","createdBy":"me","comment":"c"}
                        """.formatted(now, now.plusSeconds(3600))).json().get("silenceID").asString();
                t.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"Persist\"}}]");
                assertThat(hook.poll(Duration.ofSeconds(5))).isNotNull();
            }
            try (TestAlertmanager t = TestAlertmanager.start(dir)) {
                assertThat(t.get("/api/v2/silence/" + id).json().get("status").get("state").asString()).isEqualTo("active");
                // The same alert again: the notification log says it was sent, so no repeat.
                t.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"Persist\"}}]");
                assertThat(hook.poll(Duration.ofMillis(2000))).isNull();
            }
        }
    }

    private static String fp(String... kv) {
        return io.specula.alertmanager.types.Fingerprints.format(
                io.specula.alertmanager.types.Fingerprints.of(io.specula.model.labels.Labels.of(kv)));
    }
}
