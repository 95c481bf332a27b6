package io.specula.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.alertmanager.notify.FakeEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Alertmanager (Debian's 0.25, with its own default.tmpl) and Specula's, same
 * config with Slack, PagerDuty, Opsgenie, Telegram, Discord, VictorOps and Webex receivers
 * pointed at local fakes, same alerts, first firing then resolved: every request must go to
 * the same path with the same body (rendered from the default templates) and authorization.
 */
class RealAlertmanagerReceiversDifferentialTest {
    private static final int RECEIVERS = 7;

    @TempDir
    Path dir;

    private static final String CONFIG = """
            global:
              slack_api_url: %1$s/slack
              pagerduty_url: %1$s/pd
              opsgenie_api_key: og-key
              opsgenie_api_url: %1$s/og/
              telegram_api_url: %1$s/tg
              victorops_api_key: vo-key
              victorops_api_url: %1$s/vo/
            templates: ['*.tmpl']
            route:
              receiver: all
              group_by: [alertname]
              group_wait: 1s
              group_interval: 2s
            receivers:
            - name: all
              slack_configs:
              - channel: '#ops'
                fields:
                - title: job
                  value: '{{ .CommonLabels.job }}'
                actions:
                - type: button
                  text: Runbook
                  url: http://runbook/disk
              pagerduty_configs:
              - routing_key: rk
                links:
                - href: http://runbook/disk
                  text: runbook
              opsgenie_configs:
              - tags: disk,storage
                priority: P2
                responders:
                - name: sre
                  type: team
              telegram_configs:
              - bot_token: '1:abc'
                chat_id: -1005
              discord_configs:
              - webhook_url: %1$s/discord
                title: '{{ template "custom.title" . }}'
              victorops_configs:
              - routing_key: storage
                custom_fields:
                  labels: '{{ range .Alerts }}{{ .Labels.SortedPairs.Values | join "," }};{{ end }}'
                  first: '{{ (index .Alerts 0).Labels.instance | toUpper }}'
                  cleaned: '{{ reReplaceAll "[^a-z]+" "-" .CommonAnnotations.summary }}'
              webex_configs:
              - api_url: %1$s/webex
                room_id: room-1
                http_config:
                  authorization:
                    credentials: wx-token
            """;

    private static final String ALERTS = """
            [{"labels":{"alertname":"Disk","instance":"b","job":"node","severity":"page"},
              "annotations":{"summary":"full","description":"97%%"},"startsAt":"%1$s","generatorURL":"http://p/g"},
             {"labels":{"alertname":"Disk","instance":"a","job":"node","severity":"page"},
              "annotations":{"summary":"full <&>"},"startsAt":"%1$s"}]
            """;

    /**
     * A user template file both load: redefines a built-in name and adds one. {@code title}
     * stays out of the names every integration renders at once: Alertmanager 0.25 shares one
     * case converter between goroutines and then sometimes returns the word unchanged.
     */
    private static final String CUSTOM = """
            {{ define "__alertmanager" }}AM-{{ .Receiver | toUpper }}{{ end }}
            {{ define "custom.title" -}}
              {{ .Status | title }}: {{ range $i, $p := .CommonLabels.SortedPairs }}{{ if $i }}, {{ end }}{{ $p.Name }}={{ $p.Value }}{{ end }}
              {{- with .CommonLabels.Remove (stringSlice "alertname" "job") }} [{{ .Names | join "+" }}]{{ end }}
            {{- end }}
            """;

    private static final String RESOLVED = """
            [{"labels":{"alertname":"Disk","instance":"b","job":"node","severity":"page"},
              "annotations":{"summary":"full","description":"97%%"},"startsAt":"%1$s","endsAt":"%2$s",
              "generatorURL":"http://p/g"},
             {"labels":{"alertname":"Disk","instance":"a","job":"node","severity":"page"},
              "annotations":{"summary":"full <&>"},"startsAt":"%1$s","endsAt":"%2$s"}]
            """;

    @Test
    void receiverRequests_equalTheRealAlertmanagers() throws Exception {
        RealAlertmanager.assumeInstalled();
        try (FakeEndpoint theirsFake = new FakeEndpoint(); FakeEndpoint oursFake = new FakeEndpoint()) {
            for (FakeEndpoint f : new FakeEndpoint[] {theirsFake, oursFake}) {
                // What Telegram answers; Slack and the others only look at the status.
                f.contentType = "application/json";
                f.replyBody = "{\"ok\":true,\"result\":{\"message_id\":1,\"date\":0,\"chat\":{\"id\":-1005,\"type\":\"group\"}}}";
            }
            Path theirDir = Files.createDirectories(dir.resolve("theirs"));
            Files.writeString(theirDir.resolve("custom.tmpl"), CUSTOM);
            Path ourDir = Files.createDirectories(dir.resolve("ours"));
            Files.writeString(ourDir.resolve("custom.tmpl"), CUSTOM);
            try (RealAlertmanager real = RealAlertmanager.start(theirDir, CONFIG.formatted(theirsFake.url("")));
                    TestAlertmanager ours = TestAlertmanager.start(ourDir, CONFIG.formatted(oursFake.url("")))) {
                Instant start = Instant.now().minusSeconds(30).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
                String body = ALERTS.formatted(start);
                assertThat(real.post("/api/v2/alerts", body)).isEqualTo(200);
                assertThat(ours.post("/api/v2/alerts", body).status()).isEqualTo(200);
                compare(collect(theirsFake, RECEIVERS), collect(oursFake, RECEIVERS), RECEIVERS);

                // Resolved: everything but Slack (send_resolved defaults to false there) hears of it.
                String resolved = RESOLVED.formatted(start, Instant.now().minusSeconds(1));
                assertThat(real.post("/api/v2/alerts", resolved)).isEqualTo(200);
                assertThat(ours.post("/api/v2/alerts", resolved).status()).isEqualTo(200);
                compare(collect(theirsFake, RECEIVERS - 1), collect(oursFake, RECEIVERS - 1), RECEIVERS - 1);
            }
        }
    }

    private static void compare(Map<String, FakeEndpoint.Received> theirs, Map<String, FakeEndpoint.Received> mine,
            int expected) {
        assertThat(theirs).hasSize(expected);
        assertThat(mine.keySet()).isEqualTo(theirs.keySet());
        for (String path : theirs.keySet()) {
            FakeEndpoint.Received t = theirs.get(path);
            FakeEndpoint.Received m = mine.get(path);
            assertThat(m.json()).as("request to %s", path).isEqualTo(t.json());
            assertThat(m.header("Authorization")).as("authorization to %s", path).isEqualTo(t.header("Authorization"));
        }
    }

    /** The first request to each path, once {@code n} paths have been seen. */
    private static Map<String, FakeEndpoint.Received> collect(FakeEndpoint f, int n) throws InterruptedException {
        Map<String, FakeEndpoint.Received> byPath = new TreeMap<>();
        Instant deadline = Instant.now().plusSeconds(20);
        while (byPath.size() < n && Instant.now().isBefore(deadline)) {
            FakeEndpoint.Received r = f.next();
            if (r != null) {
                byPath.putIfAbsent(r.pathAndQuery(), r);
            }
        }
        return byPath;
    }
}
