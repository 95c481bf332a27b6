package io.specula.rules.notifier;

import io.specula.rules.Alert;
import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.config.YamlConfigLoader;
import io.specula.model.labels.Labels;
import io.specula.rules.notifier.config.AlertingConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Sends alerts through the notifier to the real Alertmanager (Debian's
 * {@code prometheus-alertmanager}) and reads them back with {@code amtool}, as an operator would.
 */
class NotifierAlertmanagerInteropTest {
    private static final Path ALERTMANAGER = Path.of("/usr/bin/prometheus-alertmanager");
    private static final Path AMTOOL = Path.of("/usr/bin/amtool");

    @TempDir
    Path dir;
    private Process alertmanager;
    private String amUrl;
    private Notifier notifier;

    @BeforeEach
    void startAlertmanager() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(ALERTMANAGER) && Files.isExecutable(AMTOOL),
                "SKIPPED: real Alertmanager not installed (looked for " + ALERTMANAGER + " and " + AMTOOL
                        + "; apt-get install prometheus-alertmanager)");
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, """
                route:
                  receiver: blackhole
                receivers:
                  - name: blackhole
                """);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        amUrl = "http://127.0.0.1:" + port + "/am"; // behind a route prefix, to exercise path_prefix
        alertmanager = new ProcessBuilder(ALERTMANAGER.toString(), "--config.file=" + config,
                "--storage.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--web.route-prefix=/am", "--cluster.listen-address=")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("alertmanager.log").toFile())
                .start();
        HttpClient http = HttpClient.newHttpClient();
        Await.until(Duration.ofSeconds(20), () -> {
            try {
                return http.send(HttpRequest.newBuilder(URI.create(amUrl + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        if (notifier != null) {
            notifier.close();
        }
        if (alertmanager != null) {
            alertmanager.destroy();
            if (!alertmanager.waitFor(10, TimeUnit.SECONDS)) {
                alertmanager.destroyForcibly();
            }
        }
    }

    /** {@code amtool alert query -o json}: the alerts Alertmanager shows as active. */
    private JsonNode amtoolQuery() throws Exception {
        Process p = new ProcessBuilder(AMTOOL.toString(), "alert", "query", "--alertmanager.url=" + amUrl, "-o", "json")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("amtool output: %s", out).isZero();
        return YamlConfigLoader.mapper().readTree(out);
    }

    private static JsonNode find(JsonNode alerts, String alertname) {
        for (JsonNode a : alerts) {
            if (alertname.equals(a.get("labels").get("alertname").asString())) {
                return a;
            }
        }
        return null;
    }

    @Test
    void send_alertReachesRealAlertmanagerAndResolves() throws Exception {
        notifier = new Notifier(NotifierOptions.defaults().withDiscoveryUpdateMillis(50));
        AlertingConfig cfg = YamlConfigLoader.parse("""
                alertmanagers:
                  - path_prefix: /am
                    static_configs: [{targets: ['%s']}]
                """.formatted(URI.create(amUrl).getAuthority()), "prometheus.yml", AlertingConfig.class);
        cfg.applyDefaults();
        notifier.applyConfig(cfg, Labels.of("cluster", "interop"));
        Await.until(Duration.ofSeconds(10), () -> notifier.alertmanagers().size() == 1);

        long now = System.currentTimeMillis();
        Labels labels = Labels.of("alertname", "InstanceDown", "instance", "node:9100", "job", "node", "severity", "page");
        Map<String, String> annotations = Map.of("summary", "node:9100 is down", "description", "unreachable for 5m \"really\"");
        String generator = "http://specula:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1";
        notifier.send(List.of(new Alert(labels, annotations, now - 60_000, now + 300_000, generator)));

        Await.until(Duration.ofSeconds(20), () -> {
            try {
                return find(amtoolQuery(), "InstanceDown") != null;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        JsonNode a = find(amtoolQuery(), "InstanceDown");
        assertThat(a.get("labels").get("instance").asString()).isEqualTo("node:9100");
        assertThat(a.get("labels").get("severity").asString()).isEqualTo("page");
        assertThat(a.get("labels").get("cluster").asString()).as("external label").isEqualTo("interop");
        assertThat(a.get("annotations").get("summary").asString()).isEqualTo("node:9100 is down");
        assertThat(a.get("annotations").get("description").asString()).isEqualTo("unreachable for 5m \"really\"");
        assertThat(a.get("generatorURL").asString()).isEqualTo(generator);
        assertThat(a.get("status").get("state").asString()).isEqualTo("active");
        assertThat(a.get("startsAt").asString()).isEqualTo(AlertsV2Encoder.formatTime(now - 60_000));

        // Resolved: the same alert with endsAt in the past leaves the active list.
        notifier.send(List.of(new Alert(labels, annotations, now - 60_000, System.currentTimeMillis() - 1000, generator)));
        Await.until(Duration.ofSeconds(20), () -> {
            try {
                return find(amtoolQuery(), "InstanceDown") == null;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        String url = notifier.alertmanagers().getFirst();
        // Counted when the answer arrives, which can be after Alertmanager already shows the change.
        Await.until(Duration.ofSeconds(10), () -> notifier.metrics().alertmanagers().get(url).sent() == 2);
        assertThat(notifier.metrics().alertmanagers().get(url).errors()).isZero();
    }
}
