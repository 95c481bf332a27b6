package io.specula.web;

import static io.specula.web.Http.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.tsdb.DB;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.storage.Appender;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The request set Grafana's Prometheus data source sends (health check, buildinfo, aligned
 * range queries as a form POST, label/series/metadata lookups of the query editor), with the
 * headers and parameter spellings Grafana uses.
 */
class ApiGrafanaTest {
    static final long T = 1_700_000_000L; // seconds
    static final String[] GRAFANA_HEADERS = {"User-Agent", "Grafana/11.3.0", "X-Grafana-Org-Id", "1",
        "Accept", "application/json, text/plain, */*", "Accept-Encoding", "identity"};

    @TempDir
    static Path tmp;
    static TestContext ctx;
    static WebServer server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        ctx = new TestContext();
        ctx.db = DB.open(tmp, new DB.Options(Head.DEFAULT_CHUNK_RANGE, 10 * Head.DEFAULT_CHUNK_RANGE, 0, 0));
        Appender a = ctx.db.appender();
        for (int i = 0; i <= 40; i++) {
            long t = (T + i * 15L) * 1000;
            a.append(0, Labels.of("__name__", "node_cpu_seconds_total", "cpu", "0", "job", "node", "mode", "idle"), t, 10.0 * i);
            a.append(0, Labels.of("__name__", "node_cpu_seconds_total", "cpu", "1", "job", "node", "mode", "idle"), t, 5.0 * i);
            a.append(0, Labels.of("__name__", "up", "job", "node", "instance", "n1:9100"), t, 1);
        }
        a.commit();
        server = WebServer.start(ctx, new WebOptions("127.0.0.1:0", "", "", false, false, Duration.ofMinutes(2),
                Duration.ofMinutes(5)));
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        ctx.db.close();
    }

    static JsonNode ok(Http.Resp r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("application/json");
        JsonNode n = WebServerTest.JSON.readTree(r.body());
        assertThat(n.get("status").asString()).isEqualTo("success");
        return n.get("data");
    }

    @Test
    void healthCheck_instantQueryAndBuildinfo() throws Exception {
        JsonNode d = ok(http.post("/api/v1/query", q("query", "1+1", "time", String.valueOf(T + 600)), GRAFANA_HEADERS));
        assertThat(d.toString()).isEqualTo("{\"resultType\":\"scalar\",\"result\":[1700000600,\"2\"]}");
        JsonNode b = ok(http.get("/api/v1/status/buildinfo", GRAFANA_HEADERS));
        assertThat(b.get("version").asString()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void queryRange_alignedStepFormPost_pointsOnStepGrid() throws Exception {
        long step = 30;
        long from = T + 7, to = T + 595;
        long start = Math.floorDiv(from, step) * step, end = Math.ceilDiv(to, step) * step;
        JsonNode d = ok(http.post("/api/v1/query_range", q("query", "sum by (mode) (rate(node_cpu_seconds_total{job=\"node\"}[1m]))",
                "start", String.valueOf(start), "end", String.valueOf(end), "step", String.valueOf(step)), GRAFANA_HEADERS));
        assertThat(d.get("resultType").asString()).isEqualTo("matrix");
        JsonNode series = d.get("result").get(0);
        assertThat(series.get("metric").toString()).isEqualTo("{\"mode\":\"idle\"}");
        JsonNode values = series.get("values");
        for (JsonNode p : values) {
            assertThat(p.get(0).asLong() % step).isZero();
        }
        // The grid starts at 1699999980 (aligned down); the first step with two samples in its window is T+40.
        assertThat(values.get(0).get(0).asLong()).isEqualTo(T + 40);
        assertThat(values.get(values.size() - 1).toString()).isEqualTo("[" + (T + 610) + ",\"1\"]");
        // Grafana's "step" may also be a float in seconds and times RFC 3339.
        JsonNode d2 = ok(http.get("/api/v1/query_range?" + q("query", "up", "start", "2023-11-14T22:13:20Z",
                "end", "2023-11-14T22:23:20.000Z", "step", "30.0"), GRAFANA_HEADERS));
        assertThat(d2.get("result").get(0).get("values")).hasSize(21);
    }

    @Test
    void queryEditor_labelsSeriesValuesMetadata() throws Exception {
        String s = String.valueOf(T), e = String.valueOf(T + 600);
        assertThat(ok(http.get("/api/v1/labels?" + q("start", s, "end", e), GRAFANA_HEADERS)).toString())
                .isEqualTo("[\"__name__\",\"cpu\",\"instance\",\"job\",\"mode\"]");
        assertThat(ok(http.get("/api/v1/label/__name__/values?" + q("start", s, "end", e), GRAFANA_HEADERS)).toString())
                .isEqualTo("[\"node_cpu_seconds_total\",\"up\"]");
        assertThat(ok(http.get("/api/v1/series?" + q("match[]", "up", "start", s, "end", e), GRAFANA_HEADERS)).toString())
                .isEqualTo("[{\"__name__\":\"up\",\"instance\":\"n1:9100\",\"job\":\"node\"}]");
        assertThat(ok(http.get("/api/v1/label/cpu/values?" + q("match[]", "node_cpu_seconds_total{job=\"node\"}", "start", s,
                "end", e), GRAFANA_HEADERS)).toString()).isEqualTo("[\"0\",\"1\"]");
        assertThat(ok(http.post("/api/v1/labels", q("match[]", "up", "start", s, "end", e), GRAFANA_HEADERS)).toString())
                .isEqualTo("[\"__name__\",\"instance\",\"job\"]");
        assertThat(ok(http.get("/api/v1/metadata", GRAFANA_HEADERS)).toString()).isEqualTo("{}");
        assertThat(ok(http.get("/api/v1/query_exemplars?" + q("query", "up", "start", s, "end", e), GRAFANA_HEADERS)).toString())
                .isEqualTo("[]");
    }

    @Test
    void browserMode_corsHeadersAndGzip() throws Exception {
        Http.Resp r = http.get("/api/v1/query?" + q("query", "up", "time", String.valueOf(T + 60)), "Origin", "http://grafana:3000");
        assertThat(r.status()).isEqualTo(200);
        java.net.http.HttpResponse<Void> pre = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/api/v1/query_range"))
                        .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                        .header("Origin", "http://grafana:3000").header("Access-Control-Request-Method", "POST").build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        assertThat(pre.statusCode()).isEqualTo(204);
        assertThat(pre.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET, POST, OPTIONS");
        java.net.http.HttpResponse<byte[]> z = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port()
                        + "/api/v1/query_range?" + q("query", "node_cpu_seconds_total", "start", String.valueOf(T), "end",
                        String.valueOf(T + 600), "step", "15"))).header("Accept-Encoding", "gzip")
                        .header("Origin", "http://grafana:3000").build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(z.headers().firstValue("Content-Encoding")).hasValue("gzip");
        // The default --web.cors.origin '.*' answers "*", as Prometheus does.
        assertThat(z.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(z.headers().allValues("Vary")).contains("Origin", "Accept-Encoding");
        String body = new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(z.body())).readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(body).startsWith("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\"");
    }
}
