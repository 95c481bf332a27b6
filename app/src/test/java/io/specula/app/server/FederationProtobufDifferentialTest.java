package io.specula.app.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Spans;
import io.specula.model.labels.Labels;
import io.specula.testsupport.RealPrometheus;
import io.specula.testsupport.TestServer;
import io.specula.tsdb.storage.Appender;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prometheus 2.42 with {@code --enable-feature=native-histograms} (so it asks for protobuf
 * first) federates from Specula's {@code /federate}, and must then hold the same samples as
 * Specula: the same instant-query answer over the federated series. Native-histogram series go
 * along when Specula's head stores them (appended directly here; skipped while the head refuses
 * histograms).
 */
class FederationProtobufDifferentialTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void prometheusFederatingFromSpecula_getsEqualSamples() throws Exception {
        assumeTrue(RealPrometheus.available(), RealPrometheus.BINARY + " missing: install Debian's prometheus (or run .ci/run)");
        try (TestServer target = new TestServer()) {
            target.body = """
                    # TYPE src_requests_total counter
                    src_requests_total{code="200"} 1027
                    src_requests_total{code="500"} 3
                    # TYPE src_temp gauge
                    src_temp -1.5e-7
                    src_temp_big 12345678912.25
                    """;
            Path speculaConfig = dir.resolve("specula.yml");
            Files.writeString(speculaConfig, """
                    global: {scrape_interval: 1s, external_labels: {site: eu1}}
                    scrape_configs:
                      - job_name: src
                        static_configs: [{targets: ['%s']}]
                    """.formatted(target.address()));
            try (Server specula = TargetsComparison.startSpecula(speculaConfig, dir.resolve("specula"))) {
                String speculaBase = "http://127.0.0.1:" + specula.port();
                appendHistograms(specula);
                Path promConfig = dir.resolve("prometheus.yml");
                Files.writeString(promConfig, """
                        global: {scrape_interval: 1s}
                        scrape_configs:
                          - job_name: federate
                            honor_labels: true
                            metrics_path: /federate
                            params: {'match[]': ['{__name__=~"src_.+|fed_hist"}']}
                            static_configs: [{targets: ['127.0.0.1:%d']}]
                        """.formatted(specula.port()));
                try (RealPrometheus prom = RealPrometheus.start(promConfig, dir.resolve("prom"), List.of(),
                        "--enable-feature=native-histograms")) {
                    String q = "/api/v1/query?query=" + URLEncoder.encode("{__name__=~\"src_.+|fed_hist\"}", StandardCharsets.UTF_8);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    JsonNode p, s;
                    int expected = 5; // four float series and one native histogram
                    while (true) {
                        long t = System.currentTimeMillis() / 1000 - 1;
                        p = JSON.readTree(prom.get(q + "&time=" + t)).get("data");
                        s = JSON.readTree(TargetsComparison.get(speculaBase + q + "&time=" + t)).get("data");
                        for (JsonNode r : s.get("result")) { // federation adds Specula's external labels
                            ((tools.jackson.databind.node.ObjectNode) r.get("metric")).put("site", "eu1");
                        }
                        if ((p.get("result").size() == expected && p.equals(s)) || System.nanoTime() > deadline) {
                            break;
                        }
                        Thread.sleep(500);
                    }
                    assertThat(p.get("result").size()).as("federated series; Prometheus log: %s", prom.log()).isEqualTo(expected);
                    assertThat(p.toString()).contains("\"site\":\"eu1\"", "-1.5e-07", "12345678912.25");
                    assertThat(s).isEqualTo(p);
                    String targets = prom.get("/api/v1/targets");
                    assertThat(targets).contains("\"health\":\"up\"");
                }
            }
        }
    }

    /** Appends a native-histogram series to Specula's head around now. */
    private static void appendHistograms(Server specula) throws Exception {
        Labels l = Labels.of("__name__", "fed_hist", "job", "src", "instance", "h");
        FloatHistogram h = new FloatHistogram();
        h.schema = 0;
        h.zeroThreshold = 0.001;
        h.zeroCount = 2;
        h.count = 12;
        h.sum = 18.5;
        h.positiveSpans = Spans.of(0, 2, 1, 1);
        h.positiveBuckets = new double[] {3, 4, 1};
        h.negativeSpans = Spans.of(1, 1);
        h.negativeBuckets = new double[] {2};
        long now = System.currentTimeMillis();
        Appender app = specula.db().appender();
        for (long t = now - 60_000; t <= now + 120_000; t += 5_000) { // ahead too: the test reads "now"
            app.appendHistogram(0, l, 0, t, null, h);
        }
        app.commit();
    }
}
