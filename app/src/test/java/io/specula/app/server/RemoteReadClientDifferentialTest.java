package io.specula.app.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.specula.testsupport.RealPrometheus;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Specula as a {@code remote_read} client of the real Prometheus 2.42: Prometheus scrapes itself
 * every second; Specula, with no data of its own, answers range queries over a past window with
 * exactly Prometheus's own answers (its {@code /api/v1/read} streams XOR chunks). The shared
 * external label is filtered out, and an endpoint whose {@code required_matchers} the query
 * lacks is never asked (it points at a closed port, which would add a warning). Range functions
 * are left out: 2.42's windows are left-closed, Specula's left-open as in Prometheus 3.
 */
class RemoteReadClientDifferentialTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void rangeQueries_equalPrometheusOwn() throws Exception {
        assumeTrue(RealPrometheus.available(),
                "SKIPPED LOUDLY: /usr/bin/prometheus not installed (Debian package prometheus); the remote_read client test needs it");
        Path promCfg = dir.resolve("prom.yml");
        Files.writeString(promCfg, """
                global:
                  scrape_interval: 1s
                  external_labels: {site: a}
                scrape_configs:
                  - job_name: prom
                    static_configs: [{targets: ['127.0.0.1:PORT']}]
                """);
        // The port is known only once started: reload with the real target.
        try (RealPrometheus prom = RealPrometheus.start(promCfg, dir.resolve("prom"), List.of())) {
            Files.writeString(promCfg, Files.readString(promCfg).replace("PORT", String.valueOf(prom.port())));
            http.send(HttpRequest.newBuilder(URI.create(prom.url("/-/reload"))).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            Path cfg = dir.resolve("specula.yml");
            Files.writeString(cfg, """
                    global:
                      external_labels: {site: a}
                    remote_read:
                      - url: http://127.0.0.1:%d/api/v1/read
                        name: prom
                        read_recent: true
                        remote_timeout: 10s
                        headers: {X-Scope-OrgID: tenant-1}
                      - url: http://127.0.0.1:1/api/v1/read
                        name: gated
                        required_matchers: {job: never}
                    """.formatted(prom.port()));
            ServerCommand cmd = new ServerCommand();
            new CommandLine(cmd).parseArgs("--web.listen-address=127.0.0.1:0", "--storage.tsdb.path=" + dir.resolve("data"),
                    "--config.file=" + cfg);
            try (Server s = Server.start(cmd.options())) {
                // The window starts once Prometheus has scraped itself after the reload.
                long ready = System.currentTimeMillis() + 20_000;
                while (!prom.get("/api/v1/query?query=up").contains("\"job\":\"prom\"") && System.currentTimeMillis() < ready) {
                    Thread.sleep(200);
                }
                long t0 = System.currentTimeMillis() / 1000 + 1;
                long end = t0 + 6;
                while (System.currentTimeMillis() / 1000 < end + 2) {
                    Thread.sleep(250);
                }
                String range = "&start=" + t0 + "&end=" + end + "&step=1";
                for (String q : List.of("up", "prometheus_tsdb_head_samples_appended_total{job=\"prom\"}",
                        "sum by (handler) (prometheus_http_requests_total)", "count by (job) ({__name__=~\"prometheus_tsdb_.*\"})")) {
                    String p = "/api/v1/query_range?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + range;
                    JsonNode theirs = JSON.readTree(prom.get(p));
                    JsonNode ours = JSON.readTree(get(s, p));
                    assertThat(theirs.get("data").get("result").size()).as(q).isGreaterThan(0);
                    assertThat(ours.get("data")).as(q).isEqualTo(theirs.get("data"));
                    assertThat(ours.has("warnings")).as(q + ": " + ours).isFalse();
                }
                // The gated endpoint is asked when the query names its required matcher, and fails: a warning, not an error.
                JsonNode gated = JSON.readTree(get(s, "/api/v1/query?query=" + URLEncoder.encode("up{job=\"never\"}", StandardCharsets.UTF_8)));
                assertThat(gated.get("status").asString()).isEqualTo("success");
                assertThat(gated.get("warnings").toString()).contains("gated");
            }
        }
    }

    String get(Server s, String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
