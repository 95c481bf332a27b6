package io.specula.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The real Alertmanager (Debian's prometheus-alertmanager) and Specula's, same config, same
 * alerts: the webhook payloads must be equal but for the external URL, and the API must
 * report the same fingerprints.
 */
class RealAlertmanagerDifferentialTest {
    @TempDir
    Path dir;

    private static final String ALERTS = """
            [{"labels":{"alertname":"Disk","instance":"b","job":"node","severity":"page"},
              "annotations":{"summary":"full","description":"97%%"},"startsAt":"%3$s","generatorURL":"http://p/g"},
             {"labels":{"alertname":"Disk","instance":"a","job":"node","severity":"page"},
              "annotations":{"summary":"full"},"startsAt":"%3$s"},
             {"labels":{"alertname":"Disk","instance":"c","severity":"page","zone":"ö"},
              "annotations":{"summary":"full"},"startsAt":"%1$s","endsAt":"%2$s"}]
            """;

    @Test
    void webhookPayload_equalsTheRealAlertmanagers() throws Exception {
        RealAlertmanager.assumeInstalled();
        try (WebhookReceiver theirsHook = new WebhookReceiver(); WebhookReceiver oursHook = new WebhookReceiver()) {
            String config = """
                    route:
                      receiver: hook
                      group_by: [alertname]
                      group_wait: 1s
                      group_interval: 10m
                    receivers:
                      - name: hook
                        webhook_configs:
                          - url: %s
                            send_resolved: true
                    """;
            Path ourDir = Files.createDirectories(dir.resolve("ours"));
            try (RealAlertmanager real = RealAlertmanager.start(dir.resolve("theirs"), config.formatted(theirsHook.url()));
                    TestAlertmanager ours = TestAlertmanager.start(ourDir, config.formatted(oursHook.url()))) {
                Instant start = Instant.now().minusSeconds(30).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
                // Only the last alert (resolved) starts before group_wait: Alertmanager flushes a
                // group at once for such an alert, so one arriving first would race the others.
                String body = ALERTS.formatted(start, start.plusSeconds(10), start.plusSeconds(30));
                assertThat(real.post("/api/v2/alerts", body)).isEqualTo(200);
                assertThat(ours.post("/api/v2/alerts", body).status()).isEqualTo(200);

                JsonNode theirs = theirsHook.poll(Duration.ofSeconds(15)).body();
                JsonNode mine = oursHook.poll(Duration.ofSeconds(15)).body();
                assertThat(mine.get("externalURL").asString()).isEqualTo("http://am.example:9093");
                assertThat(mine).isEqualTo(theirs);

                JsonNode theirAlerts = TestAlertmanager.JSON.readTree(real.get("/api/v2/alerts"));
                JsonNode ourAlerts = ours.get("/api/v2/alerts").json();
                assertThat(fingerprints(ourAlerts)).isEqualTo(fingerprints(theirAlerts));
            }
        }
    }

    private static java.util.List<String> fingerprints(JsonNode alerts) {
        java.util.List<String> out = new java.util.ArrayList<>();
        alerts.forEach(a -> out.add(a.get("fingerprint").asString()));
        out.sort(null);
        return out;
    }
}
