package io.specula.app.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.specula.model.config.ConfigException;
import io.specula.tsdb.record.RecordType;
import io.specula.tsdb.record.SamplesRecord;
import io.specula.tsdb.record.SeriesRecord;
import io.specula.tsdb.wal.WalReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code specula server --agent}: scrapes into a WAL-only storage under
 * {@code --storage.agent.path} (series and samples records in {@code wal/}, no blocks, no
 * {@code data/}), answers /-/ready, /metrics, targets and config, and refuses queries with
 * Prometheus's agent error.
 */
class AgentModeTest {
    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newHttpClient();

    Server start(Path config) throws Exception {
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs("--agent", "--web.enable-otlp-receiver", "--web.listen-address=127.0.0.1:0", "--config.file=" + config,
                "--storage.agent.path=" + dir.resolve("data-agent"), "--storage.tsdb.path=" + dir.resolve("data"));
        return Server.start(cmd.options());
    }

    HttpResponse<String> get(Server s, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void agent_scrapesIntoTheWal_andRefusesQueries() throws Exception {
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/metrics", ex -> {
            byte[] b = "# TYPE app_requests_total counter\napp_requests_total 42\n".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        });
        target.start();
        Path cfg = dir.resolve("agent.yml");
        Files.writeString(cfg, """
                global: {scrape_interval: 1s}
                scrape_configs:
                  - job_name: app
                    static_configs: [{targets: ['127.0.0.1:%d']}]
                """.formatted(target.getAddress().getPort()));
        try (Server s = start(cfg)) {
            assertThat(get(s, "/-/ready").statusCode()).isEqualTo(200);
            long deadline = System.currentTimeMillis() + 15_000;
            while (!get(s, "/api/v1/targets").body().contains("\"health\":\"up\"") && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            assertThat(get(s, "/api/v1/targets").body()).contains("\"health\":\"up\"");
            HttpResponse<String> q = get(s, "/api/v1/query?query=up");
            assertThat(q.statusCode()).isEqualTo(422);
            assertThat(q.body()).isEqualTo("{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"unavailable with Prometheus Agent\"}");
            assertThat(get(s, "/api/v1/label/job/values").statusCode()).isEqualTo(422);
            assertThat(get(s, "/api/v1/rules").statusCode()).isEqualTo(422);
            assertThat(get(s, "/api/v1/status/config").statusCode()).isEqualTo(200);
            assertThat(get(s, "/api/v1/status/flags").body()).contains("\"agent\":\"true\"");
            assertThat(get(s, "/metrics").statusCode()).isEqualTo(200);
            // OTLP into the agent: stored in its WAL like scraped samples.
            String otlp = """
                    {"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"relay"}}]},
                     "scopeMetrics":[{"metrics":[{"name":"relayed","gauge":{"dataPoints":[{"asDouble":7,"timeUnixNano":"%d"}]}}]}]}]}
                    """.formatted(System.currentTimeMillis() * 1_000_000L);
            HttpResponse<String> w = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/api/v1/otlp/v1/metrics"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(otlp)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(w.statusCode()).as(w.body()).isEqualTo(200);
        } finally {
            target.stop(0);
        }
        assertThat(dir.resolve("data")).doesNotExist();
        try (Stream<Path> files = Files.list(dir.resolve("data-agent"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("wal");
        }
        // The WAL holds the scraped series and their samples in the TSDB's record format.
        List<String> series = new ArrayList<>();
        int samples = 0;
        SeriesRecord sr = new SeriesRecord();
        SamplesRecord sm = new SamplesRecord();
        try (WalReader r = WalReader.openForReplay(dir.resolve("data-agent/wal"))) {
            while (r.next()) {
                RecordType t = RecordType.of(r.record(), r.recordLength());
                if (t == RecordType.SERIES) {
                    sr.decode(r.record(), r.recordLength());
                    for (int i = 0; i < sr.size(); i++) {
                        series.add(sr.labels(i).toString());
                    }
                } else if (t == RecordType.SAMPLES) {
                    sm.decode(r.record(), r.recordLength());
                    samples += sm.size();
                }
            }
        }
        assertThat(series).anySatisfy(l -> assertThat(l).contains("app_requests_total").contains("job=\"app\""));
        assertThat(series).anySatisfy(l -> assertThat(l).startsWith("{__name__=\"up\""));
        assertThat(series).contains("{__name__=\"relayed\", job=\"relay\"}");
        assertThat(samples).isGreaterThan(0);
    }

    @Test
    void agent_remoteWritesWhatItScrapes_toPrometheus() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.specula.testsupport.RealPrometheus.available(),
                "SKIPPED LOUDLY: /usr/bin/prometheus not installed (Debian package prometheus); the agent remote-write test needs it");
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/metrics", ex -> {
            byte[] b = "# TYPE app_requests_total counter\napp_requests_total 42\n".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        });
        target.start();
        Path rxCfg = Files.writeString(dir.resolve("rx.yml"), "global: {scrape_interval: 1m}\n");
        try (io.specula.testsupport.RealPrometheus rx = io.specula.testsupport.RealPrometheus.start(rxCfg, dir.resolve("rx"),
                List.of(), "--web.enable-remote-write-receiver")) {
            Path cfg = dir.resolve("agent.yml");
            Files.writeString(cfg, """
                    global: {scrape_interval: 1s, external_labels: {agent: a1}}
                    scrape_configs:
                      - job_name: app
                        static_configs: [{targets: ['127.0.0.1:%d']}]
                    remote_write:
                      - url: %s
                        queue_config: {batch_send_deadline: 200ms}
                    """.formatted(target.getAddress().getPort(), rx.url("/api/v1/write")));
            try (Server s = start(cfg)) {
                String q = "/api/v1/query?query=" + java.net.URLEncoder.encode("app_requests_total{job=\"app\",agent=\"a1\"}",
                        StandardCharsets.UTF_8);
                long deadline = System.currentTimeMillis() + 20_000;
                String body = rx.get(q);
                while (!body.contains("\"42\"") && System.currentTimeMillis() < deadline) {
                    Thread.sleep(200);
                    body = rx.get(q);
                }
                assertThat(body).as(rx.log()).contains("\"42\"");
                assertThat(get(s, "/api/v1/query?query=up").statusCode()).isEqualTo(422);
            }
        } finally {
            target.stop(0);
        }
        try (Stream<Path> files = Files.list(dir.resolve("data-agent"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("remote_write", "wal");
        }
    }

    @Test
    void agent_refusesServerOnlyConfig() throws Exception {
        Path cfg = dir.resolve("bad.yml");
        Files.writeString(cfg, "rule_files: [r.yml]\n");
        assertThatThrownBy(() -> start(cfg)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("field rule_files is not allowed in agent mode");
    }
}
