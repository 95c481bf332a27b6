package io.specula.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /api/v1/targets} (discovered labels, {@code keep_dropped_targets},
 * {@code droppedTargetCounts}) and {@code /api/v1/targets/relabel_steps} on a running server.
 */
class TargetsApiEndToEndTest {
    @TempDir
    Path dir;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(Server s, String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void relabelSteps_replayEachRule_andDroppedTargetsAreCountedAndCapped() throws Exception {
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global: {scrape_interval: 1h}
                scrape_configs:
                  - job_name: web
                    keep_dropped_targets: 1
                    static_configs:
                      - targets: [a.example:80, b.example:80, c.example:80]
                        labels: {__meta_env: prod, team: core}
                    relabel_configs:
                      - {source_labels: [__address__], regex: "c\\\\..*", action: drop}
                      - {source_labels: [__meta_env], target_label: env}
                      - {source_labels: [__address__], regex: "b\\\\..*", action: drop}
                      - {regex: team, action: labeldrop}
                """);
        try (Server s = TargetsComparison.startSpecula(config, dir.resolve("data"))) {
            JsonNode targets = null;
            long deadline = System.currentTimeMillis() + 15_000;
            while (System.currentTimeMillis() < deadline) {
                targets = JSON.readTree(get(s, "/api/v1/targets").body()).get("data");
                if (targets.get("activeTargets").size() == 1) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(targets.get("activeTargets")).hasSize(1);
            JsonNode a = targets.get("activeTargets").get(0);
            assertThat(a.get("labels").toString()).isEqualTo("{\"env\":\"prod\",\"instance\":\"a.example:80\",\"job\":\"web\"}");
            assertThat(a.get("discoveredLabels").get("__meta_env").asString()).isEqualTo("prod");
            assertThat(a.get("discoveredLabels").get("team").asString()).isEqualTo("core");
            // two dropped, one kept for display (keep_dropped_targets: 1), both counted
            assertThat(targets.get("droppedTargets")).hasSize(1);
            assertThat(targets.get("droppedTargetCounts").get("web").asInt()).isEqualTo(2);

            String labels = "{\"__address__\":\"b.example:80\",\"__meta_env\":\"prod\",\"team\":\"core\",\"job\":\"web\"}";
            HttpResponse<String> r = get(s, "/api/v1/targets/relabel_steps?scrapePool=web&labels="
                    + URLEncoder.encode(labels, StandardCharsets.UTF_8));
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode steps = JSON.readTree(r.body()).get("data").get("steps");
            assertThat(steps).hasSize(4);
            assertThat(steps.get(0).get("rule").toString()).isEqualTo(
                    "{\"source_labels\":[\"__address__\"],\"separator\":\";\",\"regex\":\"c\\\\..*\",\"replacement\":\"$1\",\"action\":\"drop\"}");
            assertThat(steps.get(0).get("keep").asBoolean()).isTrue();
            assertThat(steps.get(0).get("output").get("team").asString()).isEqualTo("core");
            assertThat(steps.get(1).get("output").get("env").asString()).isEqualTo("prod");
            assertThat(steps.get(2).get("keep").asBoolean()).isFalse();
            assertThat(steps.get(2).get("output").toString()).isEqualTo("{}");
            assertThat(steps.get(3).get("keep").asBoolean()).isFalse();

            HttpResponse<String> kept = get(s, "/api/v1/targets/relabel_steps?scrapePool=web&labels="
                    + URLEncoder.encode("{\"__address__\":\"a.example:80\",\"team\":\"core\"}", StandardCharsets.UTF_8));
            JsonNode last = JSON.readTree(kept.body()).get("data").get("steps").get(3);
            assertThat(last.get("keep").asBoolean()).isTrue();
            assertThat(last.get("output").toString()).isEqualTo("{\"__address__\":\"a.example:80\"}");

            HttpResponse<String> noPool = get(s, "/api/v1/targets/relabel_steps?labels=%7B%7D");
            assertThat(noPool.statusCode()).isEqualTo(400);
            assertThat(noPool.body()).contains("invalid parameter \\\"scrapePool\\\": no scrapePool parameter provided");
            HttpResponse<String> unknown = get(s, "/api/v1/targets/relabel_steps?scrapePool=nope&labels=%7B%7D");
            assertThat(unknown.statusCode()).isEqualTo(400);
            assertThat(unknown.body()).contains("scrape pool \\\"nope\\\" not found");
            // discovery's counters are exported under Prometheus's names
            io.specula.discovery.SdMetrics.inc(io.specula.discovery.SdMetrics.REFRESH_FAILURES, "docker");
            String metrics = get(s, "/metrics").body();
            assertThat(metrics).contains("# TYPE prometheus_sd_dns_lookups_total counter")
                    .contains("prometheus_sd_consul_rpc_failures_total ")
                    .containsPattern("prometheus_sd_refresh_failures_total\\{mechanism=\"docker\"} [1-9]");
            HttpResponse<String> bad = get(s, "/api/v1/targets/relabel_steps?scrapePool=web&labels=%7Bx");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("error parsing labels");
        }
    }
}
