package io.specula.app.server;

import static io.specula.app.server.RemoteWriteHistogramsPeersTest.STEPS;
import static io.specula.app.server.RemoteWriteHistogramsPeersTest.STEP_MS;
import static io.specula.app.server.RemoteWriteHistogramsPeersTest.canonical;
import static io.specula.app.server.RemoteWriteHistogramsPeersTest.enc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.specula.testsupport.RealPrometheus;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.json.JsonMapper;

/**
 * The receiver's side of {@link RemoteWriteHistogramsPeersTest}: Prometheus 2.42 (native
 * histograms and exemplar storage on) scrapes the same client_java target and remote-writes
 * with {@code send_native_histograms} and {@code send_exemplars} to a Specula server started
 * with {@code --web.enable-remote-write-receiver}. Specula's raw samples, {@code query_range}
 * answers of the histograms and {@code query_exemplars} must equal Prometheus's own answers.
 */
class RemoteWriteReceiverHistogramsPeersTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void prometheusSendsHistogramsAndExemplars_speculaAnswersAsPrometheus() throws Exception {
        assumeTrue(RealPrometheus.available(), RealPrometheus.BINARY + " missing: install Debian's prometheus (or run .ci/run)");
        // Ahead of the sender's start: its queue sends only samples newer than its start.
        long t0 = (System.currentTimeMillis() / 5_000 + 6) * 5_000;
        long end = t0 + (STEPS - 1) * STEP_MS;
        List<MetricSnapshots> steps = RemoteWriteHistogramsPeersTest.snapshots(t0);
        AtomicInteger served = new AtomicInteger();
        HttpServer target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExpositionFormats formats = ExpositionFormats.init();
        target.createContext("/", ex -> {
            // Every snapshot once, then the last again.
            int n = served.getAndIncrement();
            ExpositionFormatWriter w = formats.findWriter(ex.getRequestHeaders().getFirst("Accept"));
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            w.write(body, steps.get(Math.min(n, STEPS - 1)));
            ex.getResponseHeaders().set("Content-Type", w.getContentType());
            ex.sendResponseHeaders(200, body.size());
            try (OutputStream out = ex.getResponseBody()) {
                body.writeTo(out);
            }
        });
        target.start();
        Path cfg = Files.writeString(dir.resolve("specula.yml"), "global: {scrape_interval: 1m}\n");
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs("--web.listen-address=127.0.0.1:0", "--config.file=" + cfg,
                "--storage.tsdb.path=" + dir.resolve("specula-data"), "--web.enable-remote-write-receiver",
                "--enable-feature=native-histograms,exemplar-storage");
        try (Server server = Server.start(cmd.options())) {
            String local = "http://127.0.0.1:" + server.port();
            Path promCfg = Files.writeString(dir.resolve("prom.yml"), """
                    global: {scrape_interval: 500ms}
                    scrape_configs:
                      - job_name: h
                        static_configs: [{targets: ['127.0.0.1:%d']}]
                    remote_write:
                      - url: %s/api/v1/write
                        send_native_histograms: true
                        send_exemplars: true
                        queue_config: {batch_send_deadline: 200ms, max_samples_per_send: 50}
                    """.formatted(target.getAddress().getPort(), local));
            try (RealPrometheus prom = RealPrometheus.start(promCfg, dir.resolve("prom"), List.of(),
                    "--enable-feature=native-histograms,exemplar-storage")) {
                RemoteWriteHistogramsPeersTest.Await.until(60, () -> served.get() > STEPS);
                String range = "&start=" + t0 / 1000 + "&end=" + end / 1000 + "&step=5";
                String at = "query?time=" + (end + 1000) / 1000.0 + "&query=";
                List<String> queries = new ArrayList<>();
                for (String h : List.of("lat_native_seconds{path=\"/a\"}", "lat_native_seconds{path=\"/b\"}",
                        "lat_reset_seconds{path=\"/a\"}", "lat_both_seconds{path=\"/a\"}")) {
                    queries.add(at + enc(h + "[2m]"));
                    queries.add("query_range?query=" + enc(h) + range);
                    // Functions whose result does not depend on the engine's version (2.42 interpolates
                    // quantiles linearly inside a bucket, Prometheus 3 and Specula exponentially).
                    queries.add("query_range?query=" + enc("histogram_count(" + h + ")") + range);
                    queries.add("query_range?query=" + enc("histogram_sum(" + h + ")") + range);
                }
                queries.add(at + enc("{__name__=~\"lat_classic_seconds_.+\"}[2m]"));
                queries.add("query_exemplars?query=" + enc("{job=\"h\"}") + "&start=" + (t0 / 1000 - 60) + "&end=" + (end / 1000 + 60));
                List<String> differ = new ArrayList<>();
                // The queue sends in the background: wait until Specula has everything, then compare.
                long deadline = System.currentTimeMillis() + 30_000;
                do {
                    differ.clear();
                    for (String q : queries) {
                        String mine = canonical(TargetsComparison.get(local + "/api/v1/" + q), null);
                        String theirs = canonical(prom.get("/api/v1/" + q), null);
                        if (!mine.equals(theirs)) {
                            differ.add(q + "\n  specula:    " + mine + "\n  prometheus: " + theirs);
                        }
                    }
                    if (!differ.isEmpty()) {
                        Thread.sleep(1000);
                    }
                } while (!differ.isEmpty() && System.currentTimeMillis() < deadline);
                assertThat(differ).as("Specula's answers that differ from the sender's own; Prometheus log: %s", prom.log()).isEmpty();

                // The comparison is not vacuous: every histogram and exemplar arrived.
                String raw = TargetsComparison.get(local + "/api/v1/" + at + enc("lat_native_seconds{path=\"/a\"}[2m]"));
                assertThat(JSON.readTree(raw).path("data").path("result").get(0).path("histograms").size()).as(raw).isEqualTo(STEPS);
                String ex = TargetsComparison.get(local + "/api/v1/query_exemplars?query=" + enc("{job=\"h\"}") + "&start="
                        + (t0 / 1000 - 60) + "&end=" + (end / 1000 + 60));
                assertThat(JSON.readTree(ex).path("data").get(0).path("exemplars").size()).as(ex).isEqualTo(STEPS);
            }
        } finally {
            target.stop(0);
        }
    }
}
