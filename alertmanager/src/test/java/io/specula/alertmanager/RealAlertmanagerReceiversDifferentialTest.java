package io.specula.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.specula.alertmanager.notify.FakeEndpoint;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Alertmanager (Debian's 0.25, with its own default.tmpl) and Specula's, same
 * config with Slack, PagerDuty, Opsgenie, Telegram, Discord, VictorOps and Webex receivers
 * pointed at local fakes, same alerts, first firing then resolved: every request must go to
 * the same path with the same body (rendered from the default templates) and authorization.
 */
class RealAlertmanagerReceiversDifferentialTest {
    private static final Path BINARY = Path.of(System.getProperty("specula.alertmanager",
            "/usr/bin/prometheus-alertmanager"));
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
        assumeTrue(Files.isExecutable(BINARY), "SKIPPED: " + BINARY
                + " not found (install Debian's 'prometheus-alertmanager', or run .ci/run); differential test not run");
        try (FakeEndpoint theirsFake = new FakeEndpoint(); FakeEndpoint oursFake = new FakeEndpoint()) {
            for (FakeEndpoint f : new FakeEndpoint[] {theirsFake, oursFake}) {
                // What Telegram answers; Slack and the others only look at the status.
                f.contentType = "application/json";
                f.replyBody = "{\"ok\":true,\"result\":{\"message_id\":1,\"date\":0,\"chat\":{\"id\":-1005,\"type\":\"group\"}}}";
            }
            Path theirDir = Files.createDirectories(dir.resolve("theirs"));
            Files.writeString(theirDir.resolve("am.yml"), CONFIG.formatted(theirsFake.url("")));
            Files.writeString(theirDir.resolve("custom.tmpl"), CUSTOM);
            int port = freePort();
            Process real = new ProcessBuilder(BINARY.toString(), "--config.file=" + theirDir.resolve("am.yml"),
                    "--storage.path=" + theirDir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                    "--cluster.listen-address=", "--web.external-url=http://am.example:9093")
                    .redirectErrorStream(true).redirectOutput(theirDir.resolve("log").toFile()).start();
            Path ourDir = Files.createDirectories(dir.resolve("ours"));
            Files.writeString(ourDir.resolve("custom.tmpl"), CUSTOM);
            try (TestAlertmanager ours = TestAlertmanager.start(ourDir, CONFIG.formatted(oursFake.url("")))) {
                String theirBase = "http://127.0.0.1:" + port;
                waitReady(theirBase, theirDir.resolve("log"));
                Instant start = Instant.now().minusSeconds(30).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
                String body = ALERTS.formatted(start);
                assertThat(post(theirBase + "/api/v2/alerts", body)).isEqualTo(200);
                assertThat(ours.post("/api/v2/alerts", body).status()).isEqualTo(200);
                compare(collect(theirsFake, RECEIVERS), collect(oursFake, RECEIVERS), RECEIVERS);

                // Resolved: everything but Slack (send_resolved defaults to false there) hears of it.
                String resolved = RESOLVED.formatted(start, Instant.now().minusSeconds(1));
                assertThat(post(theirBase + "/api/v2/alerts", resolved)).isEqualTo(200);
                assertThat(ours.post("/api/v2/alerts", resolved).status()).isEqualTo(200);
                compare(collect(theirsFake, RECEIVERS - 1), collect(oursFake, RECEIVERS - 1), RECEIVERS - 1);
            } finally {
                real.destroy();
                real.waitFor(10, TimeUnit.SECONDS);
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

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static int post(String url, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void waitReady(String base, Path log) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not up yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("real Alertmanager did not become ready at " + base + ":\n" + Files.readString(log));
    }
}
