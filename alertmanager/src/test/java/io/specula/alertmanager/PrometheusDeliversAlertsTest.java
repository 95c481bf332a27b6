package io.specula.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The real Prometheus (Debian's 2.42) sends its firing alerts to Specula's Alertmanager. */
class PrometheusDeliversAlertsTest {
    private static final Path PROMETHEUS = Path.of(System.getProperty("specula.prometheus", "/usr/bin/prometheus"));

    @TempDir
    Path dir;

    @Test
    void prometheus_deliversAlertsThatReachTheWebhook() throws Exception {
        assumeTrue(Files.isExecutable(PROMETHEUS), "SKIPPED: " + PROMETHEUS
                + " not found (install Debian's 'prometheus', or run .ci/run); Prometheus delivery not tested");
        try (WebhookReceiver hook = new WebhookReceiver();
                TestAlertmanager am = TestAlertmanager.start(Files.createDirectories(dir.resolve("am")), """
                        route:
                          receiver: hook
                          group_by: [alertname]
                          group_wait: 200ms
                        receivers:
                          - name: hook
                            webhook_configs: [{url: '%s'}]
                        """.formatted(hook.url()))) {
            Files.writeString(dir.resolve("rules.yml"), """
                    groups:
                      - name: g
                        interval: 1s
                        rules:
                          - alert: AlwaysFiring
                            expr: vector(1)
                            labels: {severity: page}
                            annotations: {summary: 'value {{ $value }}'}
                    """);
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global: {evaluation_interval: 1s}
                    rule_files: [rules.yml]
                    alerting:
                      alertmanagers:
                        - api_version: v2
                          static_configs: [{targets: ['%s']}]
                    """.formatted(am.am.boundAddress()));
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Process prom = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port,
                    // Alert sending starts before the Alertmanager is discovered; resend soon, not after 1m.
                    "--rules.alert.resend-delay=1s")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            try {
                WebhookReceiver.Received got = hook.poll(Duration.ofSeconds(30));
                assertThat(got).as("no notification; Prometheus log:%n%s", Files.readString(dir.resolve("prometheus.log")))
                        .isNotNull();
                JsonNode alert = got.body().get("alerts").get(0);
                assertThat(alert.get("labels").get("alertname").asString()).isEqualTo("AlwaysFiring");
                assertThat(alert.get("labels").get("severity").asString()).isEqualTo("page");
                assertThat(alert.get("annotations").get("summary").asString()).isEqualTo("value 1");
                assertThat(alert.get("generatorURL").asString()).contains("/graph?g0.expr=");
            } finally {
                prom.destroy();
                prom.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }
}
