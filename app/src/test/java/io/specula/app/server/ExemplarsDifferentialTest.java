package io.specula.app.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.specula.testsupport.RealPrometheus;
import io.specula.testsupport.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Exemplars end to end against the real Prometheus 2.42: both servers, with
 * {@code --enable-feature=exemplar-storage}, scrape the same OpenMetrics target whose exemplars
 * change between phases (new ones, a repeat, an out-of-order one, repeats without timestamps),
 * and {@code /api/v1/query_exemplars} must answer the same JSON for several queries, errors
 * included. Exemplars without a timestamp get each server's own scrape time: those times are
 * compared only for being there, and {@code le} values are compared as numbers (Prometheus 3,
 * like Specula, writes {@code le="1.0"} where 2.42 kept {@code "1"}). A restart of Specula must
 * keep them (WAL replay).
 */
class ExemplarsDifferentialTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private static final String PHASE_A = """
            # TYPE req counter
            # HELP req Requests.
            req_total{path="/a"} 10 # {trace_id="a1"} 1.5 1700000000.123
            req_total{path="/b"} 3 # {trace_id="nots-b"} 0.25
            # TYPE lat histogram
            lat_bucket{le="0.1"} 1 # {trace_id="h1",span_id="s1"} 0.05 1700000001
            lat_bucket{le="1"} 2 # {trace_id="h2"} 0.5 1700000002.5
            lat_bucket{le="+Inf"} 3 # {trace_id="h3"} 7 1700000003
            lat_count 3
            lat_sum 7.55
            # EOF
            """;

    private static final String PHASE_B = """
            # TYPE req counter
            # HELP req Requests.
            req_total{path="/a"} 11 # {trace_id="a2"} 2.5 1700000010
            req_total{path="/b"} 4 # {trace_id="nots-b"} 0.75
            # TYPE lat histogram
            lat_bucket{le="0.1"} 1 # {trace_id="h0"} 0.01 1700000000.5
            lat_bucket{le="1"} 2 # {trace_id="h2"} 0.5 1700000002.5
            lat_bucket{le="+Inf"} 4 # {trace_id="h4",empty=""} 9 1700000020
            lat_count 4
            lat_sum 16.55
            # EOF
            """;

    private static final List<String> QUERIES = List.of(
            "query=" + enc("{job=\"ex\"}"),
            "query=" + enc("rate(req_total[5m]) + on() group_left sum(lat_bucket{le=\"+Inf\"})"),
            "query=" + enc("lat_bucket") + "&start=1700000001&end=1700000003",
            "query=" + enc("1 + 1"),
            "query=" + enc("req_total{"),
            "query=" + enc("up") + "&start=10&end=5",
            "query=" + enc("up") + "&start=abc");

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void queryExemplars_sameAsPrometheus() throws Exception {
        assumeTrue(RealPrometheus.available(), RealPrometheus.BINARY + " missing: install Debian's prometheus (or run .ci/run)");
        try (TestServer target = new TestServer()) {
            target.contentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";
            target.body = PHASE_A;
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global: {scrape_interval: 1s}
                    storage: {exemplars: {max_exemplars: 1000}}
                    scrape_configs:
                      - job_name: ex
                        static_configs: [{targets: ['%s']}]
                    """.formatted(target.address()));
            Path data = dir.resolve("specula");
            try (RealPrometheus prom = RealPrometheus.start(config, dir.resolve("prom"), List.of(),
                    "--enable-feature=exemplar-storage");
                    Server specula = start(config, data)) {
                String speculaBase = "http://127.0.0.1:" + specula.port();
                awaitScrapes(target, 3);
                target.body = PHASE_B;
                awaitScrapes(target, 6);
                Map<String, String> expected = new TreeMap<>();
                for (String q : QUERIES) {
                    // Prometheus 3 (and Specula) start this error text in lower case; 2.42 in upper.
                    String p = normalize(prom.get("/api/v1/query_exemplars?" + q).replace("Invalid time value", "invalid time value"));
                    String s = normalize(TargetsComparison.get(speculaBase + "/api/v1/query_exemplars?" + q));
                    assertThat(s).as("query_exemplars?%s", q).isEqualTo(p);
                    expected.put(q, p);
                }
                assertThat(expected.get(QUERIES.get(0))).contains("a1", "a2", "h4", "nots-b").doesNotContain("h0");
                // The storage's metrics: same names, help and values (out-of-order counts depend on scrape timing).
                String pm = prom.get("/metrics"), sm = TargetsComparison.get(speculaBase + "/metrics");
                for (String m : List.of("exemplars_appended_total", "exemplars_in_storage", "series_with_exemplars_in_storage",
                        "max_exemplars", "last_exemplars_timestamp_seconds", "out_of_order_exemplars_total")) {
                    assertThat(line(sm, "# HELP prometheus_tsdb_exemplar_" + m + " ")).as(m)
                            .isEqualTo(line(pm, "# HELP prometheus_tsdb_exemplar_" + m + " "));
                }
                for (String m : List.of("exemplars_appended_total", "exemplars_in_storage", "series_with_exemplars_in_storage",
                        "max_exemplars")) {
                    assertThat(value(sm, "prometheus_tsdb_exemplar_" + m)).as(m).isEqualTo(value(pm, "prometheus_tsdb_exemplar_" + m));
                }
                target.status = 503; // nothing new from here on: a replayed exemplar is not "the same" as a re-scraped one
                specula.close();
                try (Server again = start(config, data)) {
                    String q = QUERIES.get(0);
                    assertThat(normalize(TargetsComparison.get("http://127.0.0.1:" + again.port() + "/api/v1/query_exemplars?" + q)))
                            .as("after a restart").isEqualTo(expected.get(q));
                    // A reload with a smaller ring keeps the newest: phase B's last scrape appended a2, nots-b 0.75, h4.
                    Files.writeString(config, Files.readString(config).replace("max_exemplars: 1000", "max_exemplars: 3"));
                    again.reload();
                    JsonNode after = JSON.readTree(TargetsComparison.get("http://127.0.0.1:" + again.port()
                            + "/api/v1/query_exemplars?" + q)).get("data");
                    List<String> kept = new java.util.ArrayList<>();
                    for (JsonNode series : after) {
                        for (JsonNode e : series.get("exemplars")) {
                            kept.add(e.get("labels").get("trace_id").asString() + "=" + e.get("value").asString());
                        }
                    }
                    assertThat(kept).containsExactlyInAnyOrder("a2=2.5", "nots-b=0.75", "h4=9");
                    String m = TargetsComparison.get("http://127.0.0.1:" + again.port() + "/metrics");
                    assertThat(value(m, "prometheus_tsdb_exemplar_max_exemplars")).isEqualTo(3);
                    assertThat(value(m, "prometheus_tsdb_exemplar_exemplars_in_storage")).isEqualTo(3);
                }
            }
        }
    }

    private static Server start(Path config, Path data) throws Exception {
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs("--web.listen-address=127.0.0.1:0", "--storage.tsdb.path=" + data,
                "--config.file=" + config, "--enable-feature=exemplar-storage");
        return Server.start(cmd.options());
    }

    /** Waits until the target has served {@code n} more scrapes to each of the two servers. */
    private static void awaitScrapes(TestServer target, int n) throws InterruptedException {
        int goal = target.requests.get() + 2 * n;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (target.requests.get() < goal && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(300); // let the last scrapes commit
    }

    /** The JSON with the times of exemplars that had none in the exposition (trace ids "nots-…") blanked. */
    static String normalize(String body) {
        if (body.isEmpty()) {
            return "(no content)";
        }
        JsonNode root = JSON.readTree(body);
        JsonNode data = root.get("data");
        if (data != null && data.isArray()) {
            for (JsonNode series : data) {
                // Prometheus 3 (and Specula) write le="1.0" where 2.42 kept the exposition's "1".
                JsonNode le = series.get("seriesLabels").get("le");
                if (le != null && !le.asString().contains("Inf")) {
                    ((ObjectNode) series.get("seriesLabels")).put("le", Double.toString(Double.parseDouble(le.asString())));
                }
                for (JsonNode e : series.get("exemplars")) {
                    if (e.get("labels").path("trace_id").asString("").startsWith("nots")) {
                        assertThat(e.get("timestamp").isNumber()).isTrue();
                        ((ObjectNode) e).put("timestamp", "scrape time");
                    }
                }
            }
        }
        return root.toString();
    }

    private static String line(String metrics, String prefix) {
        return metrics.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse("missing: " + prefix);
    }

    private static double value(String metrics, String name) {
        String l = line(metrics, name + " ");
        return l.startsWith("missing") ? Double.NaN : Double.parseDouble(l.substring(name.length() + 1).trim());
    }
}
