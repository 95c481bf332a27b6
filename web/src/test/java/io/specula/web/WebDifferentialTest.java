package io.specula.web;

import static io.specula.web.Http.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.specula.tsdb.DB;
import io.specula.tsdb.head.Head;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs the real Prometheus (Debian's 2.42) and Specula's {@link WebServer} on copies of the same
 * blocks, made by {@code promtool tsdb create-blocks-from openmetrics}, and compares the JSON of
 * queries, range queries, series, label and error requests. Normalized: annotations (2.42 has
 * no {@code infos} and words warnings differently) and the order of instant-vector results
 * (Prometheus leaves it unspecified). Sample times sit off the query grid, so the 2.x/3.x change
 * to left-open range windows does not show.
 */
class WebDifferentialTest {
    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    /** Divisible by 60: query times on whole minutes never coincide with a sample (at :07, :22, …). */
    static final long T0 = 1_699_999_980L;

    @TempDir
    static Path tmp;
    static Process prometheus;
    static Http prom;
    static Http specula;
    static WebServer server;
    static TestContext ctx;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PROMETHEUS) && Files.isExecutable(PROMTOOL),
                "SKIPPED LOUDLY: " + PROMETHEUS + " or " + PROMTOOL + " not installed (Debian package prometheus); "
                        + "the differential API test needs both");
        Path om = tmp.resolve("data.om");
        Files.writeString(om, openMetrics());
        Path blocks = tmp.resolve("blocks");
        run(PROMTOOL.toString(), "tsdb", "create-blocks-from", "openmetrics", om.toString(), blocks.toString());
        Path promData = tmp.resolve("prom-data"), specData = tmp.resolve("specula-data");
        copy(blocks, promData);
        copy(blocks, specData);
        Path config = tmp.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 15s\n  external_labels:\n    site: eu1\n    zone: z\n");
        int port = freePort();
        prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + promData, "--storage.tsdb.retention.time=100000d",
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("prometheus.log").toFile()).start();
        prom = new Http(port);
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try {
                if (prom.get("/-/ready").status() == 200) {
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.currentTimeMillis() > deadline || !prometheus.isAlive()) {
                throw new IllegalStateException("prometheus did not become ready: " + Files.readString(tmp.resolve("prometheus.log")));
            }
            Thread.sleep(100);
        }
        ctx = new TestContext();
        ctx.externalLabels = io.specula.model.labels.Labels.of("site", "eu1", "zone", "z");
        ctx.db = DB.open(specData, new DB.Options(Head.DEFAULT_CHUNK_RANGE, 10 * Head.DEFAULT_CHUNK_RANGE, 0, 0));
        server = WebServer.start(ctx, new WebOptions("127.0.0.1:0", "", "", false, false, Duration.ofMinutes(2),
                Duration.ofMinutes(5)));
        specula = new Http(server.port());
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
        if (server != null) {
            server.stop();
            ctx.db.close();
        }
    }

    /** Counters (one with a reset), gauges with awkward floats, a classic histogram; samples every 15s for 50 minutes. */
    static String openMetrics() {
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP http_requests Requests.\n# TYPE http_requests counter\n");
        String[][] rq = {{"200", "GET", "a:80"}, {"200", "POST", "a:80"}, {"500", "GET", "b:80"}};
        for (int s = 0; s < rq.length; s++) {
            double v = 0;
            for (int i = 0; i < 200; i++) {
                v = (s == 2 && i == 100) ? 3 : v + (s + 1) * 1.5 + (i % 7);
                sb.append(String.format(Locale.ROOT, "http_requests_total{code=\"%s\",method=\"%s\",instance=\"%s\"} %s %d%n",
                        rq[s][0], rq[s][1], rq[s][2], Double.toString(v), ts(i)));
            }
        }
        sb.append("# TYPE node_temp gauge\n");
        String[] rooms = {"a", "b", "c"};
        for (int s = 0; s < rooms.length; s++) {
            for (int i = 0; i < 200; i++) {
                double v = switch (s) {
                    case 0 -> 20 + Math.sin(i / 10.0) * 3.3;
                    case 1 -> -0.000123 * i;
                    default -> 1e22 / (i + 1);
                };
                sb.append(String.format(Locale.ROOT, "node_temp{room=\"%s\"} %s %d%n", rooms[s], Double.toString(v), ts(i)));
            }
        }
        sb.append("# TYPE request_duration_seconds histogram\n");
        double[] les = {0.1, 0.5, 1};
        for (int i = 0; i < 200; i++) {
            long c = 0;
            for (int b = 0; b < les.length; b++) {
                c += (long) (i * (b + 1) * 3);
                sb.append(String.format(Locale.ROOT, "request_duration_seconds_bucket{le=\"%s\"} %d %d%n", Double.toString(les[b]), c, ts(i)));
            }
            sb.append(String.format(Locale.ROOT, "request_duration_seconds_bucket{le=\"+Inf\"} %d %d%n", c + i, ts(i)));
            sb.append(String.format(Locale.ROOT, "request_duration_seconds_sum %s %d%n", Double.toString(i * 7.25), ts(i)));
            sb.append(String.format(Locale.ROOT, "request_duration_seconds_count %d %d%n", c + i, ts(i)));
        }
        // Recent samples, for /federate (which looks back 5 minutes from now).
        sb.append("# TYPE fed_gauge gauge\n");
        long now = System.currentTimeMillis() / 1000;
        String[] fed = {"{job=\"a\"}", "{job=\"b\",instance=\"h:9\"}", "{job=\"c\",site=\"own\"}", "{job=\"d\",x=\"q\\\"uote\"}"};
        double[] vals = {1.5, 1e-7, 12345678912.0, Double.NaN};
        for (int s = 0; s < fed.length; s++) {
            sb.append("fed_gauge").append(fed[s]).append(' ').append(Double.isNaN(vals[s]) ? "NaN" : Double.toString(vals[s]))
                    .append(' ').append(now - 100 + s).append('\n');
            sb.append("fed_gauge").append(fed[s]).append(' ').append(s).append(' ').append(now - 200 + s).append('\n');
        }
        return sb.append("# EOF\n").toString();
    }

    static long ts(int i) {
        return T0 + 7 + 15L * i;
    }

    static List<String> requests() {
        List<String> r = new ArrayList<>();
        String[] instant = {
            "http_requests_total", "rate(http_requests_total[5m])", "sum by (code) (rate(http_requests_total[5m]))",
            "increase(http_requests_total[10m])", "resets(http_requests_total[30m])", "node_temp", "node_temp * 2",
            "-node_temp", "node_temp > 0", "count(node_temp)", "avg(node_temp)", "max_over_time(node_temp[10m])",
            "histogram_quantile(0.9, sum by (le) (rate(request_duration_seconds_bucket[5m])))",
            "topk(2, http_requests_total)", "scalar(sum(node_temp{room=\"a\"}))", "vector(1)", "time()", "\"str\"", "1e-7", "1/0",
            "absent(nope)", "nope", "http_requests_total offset 5m", "node_temp @ 1700000580", "node_temp[1m]",
            "max_over_time(rate(http_requests_total[5m])[10m:1m])", "label_replace(node_temp, \"r\", \"$1\", \"room\", \"(.*)\")",
            "http_requests_total / on(instance) group_left sum by (instance) (http_requests_total)",
            "sort_desc(sum by (method) (http_requests_total))", "quantile(0.5, node_temp)", "stddev(node_temp{room!=\"c\"})",
            "deriv(node_temp[10m])", "predict_linear(node_temp[10m], 60)", "count_values(\"v\", request_duration_seconds_count > 0)",
        };
        for (String e : instant) {
            r.add("/api/v1/query?" + q("query", e, "time", String.valueOf(T0 + 1800)));
        }
        r.add("/api/v1/query?" + q("query", "http_requests_total", "time", String.valueOf(T0 + 1800) + ".5"));
        r.add("/api/v1/query?" + q("query", "node_temp", "time", "2023-11-14T22:43:00Z"));
        String[] range = {"rate(http_requests_total[5m])", "sum(node_temp)", "node_temp{room=\"b\"}",
            "histogram_quantile(0.5, rate(request_duration_seconds_bucket[2m]))", "1", "time()"};
        for (String e : range) {
            // Windows start after the series' first sample: at the very first points, 2.42 extrapolates
            // a counter's rate towards zero differently from Specula's (3.x) engine.
            r.add("/api/v1/query_range?" + q("query", e, "start", String.valueOf(T0 + 360), "end", String.valueOf(T0 + 3000), "step", "60"));
            // 45s keeps every step off the sample grid (samples at T0+7+15i), like whole minutes do.
            r.add("/api/v1/query_range?" + q("query", e, "start", String.valueOf(T0 + 390), "end", String.valueOf(T0 + 2000), "step", "45s"));
        }
        String s = String.valueOf(T0), e = String.valueOf(T0 + 3000);
        r.add("/api/v1/series?" + q("match[]", "http_requests_total", "start", s, "end", e));
        r.add("/api/v1/series?" + q("match[]", "{__name__=~\"node.*\"}", "match[]", "request_duration_seconds_count"));
        r.add("/api/v1/series?" + q("match[]", "http_requests_total{code=\"500\"}", "start", "1", "end", "2"));
        r.add("/api/v1/labels");
        r.add("/api/v1/labels?" + q("match[]", "node_temp"));
        r.add("/api/v1/labels?" + q("start", s, "end", e, "match[]", "http_requests_total", "match[]", "request_duration_seconds_bucket"));
        r.add("/api/v1/label/__name__/values");
        r.add("/api/v1/label/code/values");
        r.add("/api/v1/label/room/values?" + q("match[]", "node_temp{room!=\"a\"}"));
        r.add("/api/v1/label/le/values?" + q("start", s, "end", e));
        r.add("/api/v1/scrape_pools");
        r.add("/api/v1/metadata");
        r.add("/api/v1/targets/metadata");
        r.add("/api/v1/targets"); // droppedTargetCounts (3.x only) is normalized away
        r.add("/api/v1/status/walreplay");
        // Errors whose texts did not change between 2.42 and 3.x.
        r.add("/api/v1/query_range?" + q("query", "up", "start", "10", "end", "5", "step", "1"));
        r.add("/api/v1/query_range?" + q("query", "up", "start", "0", "end", "10", "step", "0"));
        r.add("/api/v1/query_range?" + q("query", "up", "start", "0", "end", "100000", "step", "1"));
        r.add("/api/v1/query?" + q("query", "sum(rate(x[5m])"));
        r.add("/api/v1/query?" + q("query", "rate(x)"));
        r.add("/api/v1/series");
        r.add("/api/v1/series?" + q("match[]", "{a=~\".*\"}"));
        r.add("/api/v1/query?" + q("query", "up", "timeout", "soon"));
        return r;
    }

    @Test
    void federate_sameTextAsPrometheus() throws Exception {
        for (String sel : new String[] {"fed_gauge", "{__name__=~\"fed.*|http.*\"}", "fed_gauge{job=~\"b|d\"}", "nothing"}) {
            String r = "/federate?" + q("match[]", sel);
            Http.Resp a = prom.get(r), b = specula.get(r);
            assertThat(b.status()).isEqualTo(a.status());
            assertThat(b.contentType()).isEqualTo(a.contentType());
            assertThat(b.body()).as(sel).isEqualTo(a.body());
        }
        assertThat(specula.get("/federate?" + q("match[]", "fed_gauge")).body()).contains("fed_gauge{job=\"a\",instance=\"\",site=\"eu1\",zone=\"z\"} 1.5");
    }

    /** Prometheus 2.42's Accept header when it scrapes with native histograms on: protobuf first. */
    static final String PROTOBUF_ACCEPT = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
            + "encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;"
            + "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    @Test
    void federate_sameProtobufAsPrometheus() throws Exception {
        try (java.net.http.HttpClient c = java.net.http.HttpClient.newHttpClient()) {
            for (String sel : new String[] {"fed_gauge", "{__name__=~\"fed.*|http.*\"}", "nothing"}) {
                List<List<io.specula.model.exposition.proto.MetricFamily>> answers = new ArrayList<>();
                for (Http h : new Http[] {prom, specula}) {
                    var resp = c.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                    h.base() + "/federate?" + q("match[]", sel)))
                                    .header("Accept", PROTOBUF_ACCEPT).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                    assertThat(resp.statusCode()).isEqualTo(200);
                    assertThat(resp.headers().firstValue("Content-Type")).hasValue(
                            io.specula.model.exposition.proto.DelimitedMetricFamilies.MEDIA_TYPE);
                    answers.add(io.specula.model.exposition.proto.DelimitedMetricFamilies.readAll(
                            new java.io.ByteArrayInputStream(resp.body()), 1 << 24));
                }
                assertThat(answers.get(1)).as(sel).isEqualTo(answers.get(0));
                if (!sel.equals("nothing")) {
                    assertThat(answers.get(0)).isNotEmpty();
                }
            }
        }
    }

    @Test
    void statusTsdbBlocks_listsTheBlocksPromtoolWrote() throws Exception {
        JsonNode blocks = WebServerTest.JSON.readTree(specula.get("/api/v1/status/tsdb/blocks").body()).get("data").get("blocks");
        assertThat(blocks.size()).isPositive();
        try (Stream<Path> dirs = Files.list(tmp.resolve("blocks"))) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                JsonNode onDisk = WebServerTest.JSON.readTree(Files.readString(d.resolve("meta.json")));
                boolean found = false;
                for (JsonNode b : blocks) {
                    found |= b.equals(onDisk);
                }
                assertThat(found).as("block %s listed as in its meta.json", d.getFileName()).isTrue();
            }
        }
    }

    @Test
    void sameJsonAsPrometheus_queriesSeriesLabelsErrors() throws Exception {
        List<String> mismatches = new ArrayList<>();
        List<String> reqs = requests();
        for (String r : reqs) {
            Http.Resp a = prom.get(r), b = specula.get(r);
            JsonNode ja = normalize(WebServerTest.JSON.readTree(a.body()));
            JsonNode jb = normalize(WebServerTest.JSON.readTree(b.body()));
            if (a.status() != b.status() || !ja.equals(jb)) {
                mismatches.add(r + "\n  status " + a.status() + " vs " + b.status() + "; first difference " + firstDifference("", ja, jb));
            }
        }
        assertThat(mismatches).as("requests answered differently, of " + reqs.size()).isEmpty();
    }

    /** Where two JSON trees first differ, with both values (short, unlike printing whole answers). */
    static String firstDifference(String path, JsonNode a, JsonNode b) {
        if ((a.isArray() && b.isArray()) || (a.isObject() && b.isObject())) {
            if (a.isArray()) {
                for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                    if (!a.get(i).equals(b.get(i))) {
                        return firstDifference(path + "[" + i + "]", a.get(i), b.get(i));
                    }
                }
                return path + " sizes " + a.size() + " vs " + b.size();
            }
            for (String k : a.propertyNames()) {
                if (!b.has(k)) {
                    return path + "." + k + " only in prometheus: " + a.get(k);
                }
                if (!a.get(k).equals(b.get(k))) {
                    return firstDifference(path + "." + k, a.get(k), b.get(k));
                }
            }
            for (String k : b.propertyNames()) {
                if (!a.has(k)) {
                    return path + "." + k + " only in specula: " + b.get(k);
                }
            }
        }
        return path + ": prometheus " + a + " specula " + b;
    }

    static JsonNode normalize(JsonNode n) {
        if (n instanceof ObjectNode o) {
            o.remove("warnings");
            o.remove("infos");
            JsonNode data = o.get("data");
            if (data instanceof ObjectNode d) {
                d.remove("droppedTargetCounts");
            }
            if (data instanceof ObjectNode d && "vector".equals(d.path("resultType").asString(""))) {
                ArrayNode res = (ArrayNode) d.get("result");
                List<JsonNode> items = new ArrayList<>();
                res.forEach(items::add);
                items.sort(Comparator.comparing(x -> x.get("metric").toString()));
                res.removeAll();
                items.forEach(res::add);
            }
        }
        return n;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t);
                }
            }
        }
    }
}
