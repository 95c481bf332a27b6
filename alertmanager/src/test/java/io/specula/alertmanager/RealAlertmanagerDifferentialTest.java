package io.specula.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The real Alertmanager (Debian's prometheus-alertmanager) and Specula's, same config, same
 * alerts: the webhook payloads must be equal but for the external URL, and the API must
 * report the same fingerprints.
 */
class RealAlertmanagerDifferentialTest {
    private static final Path BINARY = Path.of(System.getProperty("specula.alertmanager",
            "/usr/bin/prometheus-alertmanager"));

    @TempDir
    Path dir;

    private static final String ALERTS = """
            [{"labels":{"alertname":"Disk","instance":"b","job":"node","severity":"page"},
              "annotations":{"summary":"full","description":"97%%"},"startsAt":"%1$s","generatorURL":"http://p/g"},
             {"labels":{"alertname":"Disk","instance":"a","job":"node","severity":"page"},
              "annotations":{"summary":"full"},"startsAt":"%1$s"},
             {"labels":{"alertname":"Disk","instance":"c","severity":"page","zone":"ö"},
              "annotations":{"summary":"full"},"startsAt":"%1$s","endsAt":"%2$s"}]
            """;

    @Test
    void webhookPayload_equalsTheRealAlertmanagers() throws Exception {
        assumeTrue(Files.isExecutable(BINARY), "SKIPPED: " + BINARY
                + " not found (install Debian's 'prometheus-alertmanager', or run .ci/run); differential test not run");
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
            Path theirDir = Files.createDirectories(dir.resolve("theirs"));
            Files.writeString(theirDir.resolve("am.yml"), config.formatted(theirsHook.url()));
            int port = freePort();
            Process real = new ProcessBuilder(BINARY.toString(), "--config.file=" + theirDir.resolve("am.yml"),
                    "--storage.path=" + theirDir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                    "--cluster.listen-address=", "--web.external-url=http://am.example:9093")
                    .redirectErrorStream(true).redirectOutput(theirDir.resolve("log").toFile()).start();
            Path ourDir = Files.createDirectories(dir.resolve("ours"));
            try (TestAlertmanager ours = TestAlertmanager.start(ourDir, config.formatted(oursHook.url()))) {
                String theirBase = "http://127.0.0.1:" + port;
                waitReady(theirBase);
                Instant start = Instant.now().minusSeconds(30).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
                String body = ALERTS.formatted(start, start.plusSeconds(10));
                assertThat(post(theirBase + "/api/v2/alerts", body)).isEqualTo(200);
                assertThat(ours.post("/api/v2/alerts", body).status()).isEqualTo(200);

                JsonNode theirs = theirsHook.poll(Duration.ofSeconds(15)).body();
                JsonNode mine = oursHook.poll(Duration.ofSeconds(15)).body();
                assertThat(mine.get("externalURL").asString()).isEqualTo("http://am.example:9093");
                assertThat(mine).isEqualTo(theirs);

                JsonNode theirAlerts = TestAlertmanager.JSON.readTree(get(theirBase + "/api/v2/alerts"));
                JsonNode ourAlerts = ours.get("/api/v2/alerts").json();
                assertThat(fingerprints(ourAlerts)).isEqualTo(fingerprints(theirAlerts));
            } finally {
                real.destroy();
                real.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static java.util.List<String> fingerprints(JsonNode alerts) {
        java.util.List<String> out = new java.util.ArrayList<>();
        alerts.forEach(a -> out.add(a.get("fingerprint").asString()));
        out.sort(null);
        return out;
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

    private static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void waitReady(String base) throws Exception {
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
        throw new AssertionError("real Alertmanager did not become ready at " + base);
    }

}
