package io.specula.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.specula.model.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon with Slack and email receivers and a {@code templates:} file: alerts posted to
 * the API reach both, rendered with the user's and the built-in templates; resolved
 * notifications follow each integration's {@code send_resolved}; a config whose templates do
 * not parse is refused on reload and the running one kept.
 */
class ReceiversEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void slackAndEmail_receiveRenderedNotificationsAndResolvedOnlyWhereWanted() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        Files.writeString(dir.resolve("custom.tmpl"),
                "{{ define \"custom.title\" }}{{ .Status | toUpper }} {{ .CommonLabels.alertname }}{{ end }}");
        try (WebhookReceiver slack = new WebhookReceiver();
                TestAlertmanager t = TestAlertmanager.start(dir, """
                        templates: ['*.tmpl']
                        route:
                          receiver: team
                          group_by: [alertname]
                          group_wait: 200ms
                          group_interval: 1s
                          repeat_interval: 1h
                        receivers:
                        - name: team
                          slack_configs:
                          - api_url: %s
                            title: '{{ template "custom.title" . }}'
                            send_resolved: true
                          email_configs:
                          - to: ops@example.org
                            from: am@example.org
                            smarthost: 127.0.0.1:%d
                            require_tls: false
                        """.formatted(slack.url(), smtp.getSmtp().getPort()))) {
            slack.failFirst.set(2); // Slack answers 500 twice: retried with backoff, then delivered once
            t.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"DiskFull\",\"instance\":\"a\"}}]");
            WebhookReceiver.Received firing = slack.poll(Duration.ofSeconds(5));
            assertThat(slack.attempts.get()).isEqualTo(3);
            assertThat(t.am.metrics().requests("slack")).isEqualTo(3);
            assertThat(firing).isNotNull();
            assertThat(firing.body().at("/attachments/0/title").asString()).isEqualTo("FIRING DiskFull");
            assertThat(firing.body().at("/attachments/0/color").asString()).isEqualTo("danger");
            assertThat(firing.body().get("username").asString()).isEqualTo("Alertmanager");
            assertThat(smtp.waitForIncomingEmail(5000, 1)).isTrue();
            assertThat(smtp.getReceivedMessages()[0].getSubject()).isEqualTo("[FIRING:1] DiskFull (a)");

            t.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"DiskFull\",\"instance\":\"a\"},\"endsAt\":\""
                    + Instant.now().minusSeconds(1) + "\"}]");
            WebhookReceiver.Received resolved = slack.poll(Duration.ofSeconds(5));
            assertThat(resolved).isNotNull();
            assertThat(resolved.body().at("/attachments/0/title").asString()).isEqualTo("RESOLVED DiskFull");
            assertThat(resolved.body().at("/attachments/0/color").asString()).isEqualTo("good");
            Thread.sleep(500);
            assertThat(smtp.getReceivedMessages()).hasSize(1); // email's send_resolved defaults to false
            assertThat(t.am.metrics().sent("slack", true)).isEqualTo(2);
            assertThat(t.am.metrics().sent("email", true)).isEqualTo(1);
            assertThat(t.get("/metrics").body()).contains("alertmanager_notifications_total{integration=\"slack\"} 2")
                    .contains("alertmanager_notifications_total{integration=\"email\"} 1")
                    .contains("alertmanager_notifications_failed_total{integration=\"pagerduty\"} 0");

            Files.writeString(dir.resolve("custom.tmpl"), "{{ define \"custom.title\" }}{{ .Broken ");
            assertThatThrownBy(() -> t.am.reload()).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("template: custom.tmpl:1:");
            assertThat(t.am.lastReloadOk()).isFalse();
            assertThat(t.am.running().config().receivers().getFirst().slacks()).hasSize(1);
        } finally {
            smtp.stop();
        }
    }
}
