package io.specula.app.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Exemplar;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.specula.testsupport.RealPrometheus;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Native histograms and exemplars sent to a real receiver: a Specula server and a Specula agent
 * ({@code --agent}) scrape the same client_java target (protobuf exposition: native-only
 * histograms with positive, negative and zero observations and a counter reset, a classic
 * histogram with exemplars, each snapshot with its own timestamp) and remote-write with
 * {@code send_native_histograms} and {@code send_exemplars} to Prometheus 2.42 started with
 * {@code --web.enable-remote-write-receiver --enable-feature=native-histograms,exemplar-storage}.
 * The receiver's raw samples, {@code query_range} answers and {@code query_exemplars} for each
 * sender (told apart by an external label) must equal the Specula server's own answers.
 */
class RemoteWriteHistogramsPeersTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final int STEPS = 12;
    static final long STEP_MS = 5_000;

    @TempDir
    Path dir;

    @Test
    void serverAndAgent_sendHistogramsAndExemplars_receiverAnswersAsSpecula() throws Exception {
        assumeTrue(RealPrometheus.available(), RealPrometheus.BINARY + " missing: install Debian's prometheus (or run .ci/run)");
        // Ahead of the senders' start: a queue sends only samples newer than its start, as Prometheus's.
        long t0 = (System.currentTimeMillis() / 5_000 + 6) * 5_000;
        long end = t0 + (STEPS - 1) * STEP_MS;
        List<MetricSnapshots> steps = snapshots(t0);
        Map<String, Integer> served = new ConcurrentHashMap<>();
        HttpServer target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExpositionFormats formats = ExpositionFormats.init();
        target.createContext("/", ex -> {
            // Each sender scrapes its own path, so each sees every snapshot once, then the last again.
            int n = served.merge(ex.getRequestURI().getPath(), 1, Integer::sum) - 1;
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
        Path rxCfg = Files.writeString(dir.resolve("rx.yml"), "global: {scrape_interval: 1m}\n");
        try (RealPrometheus rx = RealPrometheus.start(rxCfg, dir.resolve("rx"), List.of(), "--web.enable-remote-write-receiver",
                "--enable-feature=native-histograms,exemplar-storage");
                Server server = start(config("server", target, rx), false);
                Server agent = start(config("agent", target, rx), true)) {
            String local = "http://127.0.0.1:" + server.port();
            Await.until(60, () -> served.getOrDefault("/server", 0) > STEPS && served.getOrDefault("/agent", 0) > STEPS);
            String range = "&start=" + t0 / 1000 + "&end=" + end / 1000 + "&step=5";
            List<String> queries = new ArrayList<>();
            for (String h : List.of("lat_native_seconds{path=\"/a\"%s}", "lat_native_seconds{path=\"/b\"%s}",
                    "lat_reset_seconds{path=\"/a\"%s}", "lat_both_seconds{path=\"/a\"%s}")) {
                queries.add("query?time=" + (end + 1000) / 1000.0 + "&query=" + enc(h + "[2m]"));
                queries.add("query_range?query=" + enc(h) + range);
                // Functions whose result does not depend on the engine's version (2.42 interpolates quantiles
                // linearly inside a bucket, Prometheus 3 and Specula exponentially).
                queries.add("query_range?query=" + enc("histogram_count(" + h + ")") + range);
                queries.add("query_range?query=" + enc("histogram_sum(" + h + ")") + range);
            }
            queries.add("query?time=" + (end + 1000) / 1000.0 + "&query=" + enc("{__name__=~\"lat_classic_seconds_.+\"%s}[2m]"));
            queries.add("query_exemplars?query=" + enc("{job=\"h\"%s}") + "&start=" + (t0 / 1000 - 60) + "&end=" + (end / 1000 + 60));
            for (String sender : List.of("server", "agent")) {
                List<String> differ = new ArrayList<>();
                // The queues send in the background: wait until the receiver has everything, then compare.
                long deadline = System.currentTimeMillis() + 60_000;
                do {
                    differ.clear();
                    for (String q : queries) {
                        String mine = canonical(TargetsComparison.get(local + "/api/v1/" + q.replace("%25s", "")), null);
                        String theirs = canonical(rx.get("/api/v1/" + q.replace("%25s", enc(",sender=\"" + sender + "\""))), sender);
                        if (!mine.equals(theirs)) {
                            differ.add(q + "\n  specula:  " + mine + "\n  receiver: " + theirs);
                        }
                    }
                    if (!differ.isEmpty()) {
                        Thread.sleep(1000);
                    }
                } while (!differ.isEmpty() && System.currentTimeMillis() < deadline);
                assertThat(differ).as("answers of the receiver for sender=%s that differ from Specula's own; receiver log: %s",
                        sender, rx.log()).isEmpty();
            }
            // The comparison is not vacuous: histograms and exemplars are there.
            String raw = TargetsComparison.get(local + "/api/v1/query?time=" + (end + 1000) / 1000.0 + "&query="
                    + enc("lat_native_seconds{path=\"/a\"}[2m]"));
            assertThat(JSON.readTree(raw).path("data").path("result").get(0).path("histograms").size()).isEqualTo(STEPS);
            String ex = TargetsComparison.get(local + "/api/v1/query_exemplars?query=" + enc("{job=\"h\"}") + "&start="
                    + (t0 / 1000 - 60) + "&end=" + (end / 1000 + 60));
            assertThat(JSON.readTree(ex).path("data").get(0).path("exemplars").size()).as(ex).isEqualTo(STEPS);
        } finally {
            target.stop(0);
        }
        // The agent kept no TSDB: only its WAL and the sender's positions.
        try (Stream<Path> files = Files.list(dir.resolve("agent-data"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("remote_write", "wal");
        }
    }

    /** Polls a condition for up to {@code seconds}. */
    static final class Await {
        interface Cond {
            boolean ok() throws Exception;
        }

        static void until(int seconds, Cond c) throws Exception {
            long deadline = System.currentTimeMillis() + seconds * 1000L;
            while (!c.ok()) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("condition not met within " + seconds + " s");
                }
                Thread.sleep(200);
            }
        }
    }

    private String config(String sender, HttpServer target, RealPrometheus rx) {
        return """
                global: {scrape_interval: 500ms, external_labels: {sender: %s}}
                scrape_configs:
                  - job_name: h
                    metrics_path: /%s
                    static_configs: [{targets: ['127.0.0.1:%d']}]
                remote_write:
                  - url: %s
                    send_native_histograms: true
                    send_exemplars: true
                    queue_config: {batch_send_deadline: 200ms, max_samples_per_send: 50}
                """.formatted(sender, sender, target.getAddress().getPort(), rx.url("/api/v1/write"));
    }

    private Server start(String config, boolean agent) throws Exception {
        String name = agent ? "agent" : "server";
        Path cfg = Files.writeString(dir.resolve(name + ".yml"), config);
        List<String> args = new ArrayList<>(List.of("--web.listen-address=127.0.0.1:0", "--config.file=" + cfg,
                "--enable-feature=native-histograms,exemplar-storage"));
        if (agent) {
            args.addAll(List.of("--agent", "--storage.agent.path=" + dir.resolve("agent-data")));
        } else {
            args.add("--storage.tsdb.path=" + dir.resolve("server-data"));
        }
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs(args.toArray(String[]::new));
        return Server.start(cmd.options());
    }

    /**
     * The answer with the given external label removed from every series and the series sorted
     * by their labels (exemplar results come in no fixed order).
     */
    static String canonical(String body, String dropSender) {
        JsonNode root = JSON.readTree(body);
        JsonNode data = root.path("data");
        JsonNode list = data.isArray() ? data : data.path("result");
        if (!list.isArray()) {
            return root.toString();
        }
        List<JsonNode> items = new ArrayList<>();
        for (JsonNode s : list) {
            JsonNode labels = s.has("metric") ? s.get("metric") : s.get("seriesLabels");
            if (labels instanceof ObjectNode o && dropSender != null) {
                o.remove("sender");
            }
            items.add(s);
        }
        items.sort(Comparator.comparing(n -> String.valueOf(n.has("metric") ? n.get("metric") : n.get("seriesLabels"))));
        ArrayNode sorted = JSON.createArrayNode();
        items.forEach(sorted::add);
        if (data.isArray()) {
            ((ObjectNode) root).set("data", sorted);
        } else {
            ((ObjectNode) data).set("result", sorted);
        }
        return root.toString();
    }

    /**
     * STEPS snapshots of client_java histograms, each stamped with its own time: native only
     * (with negative and zero observations), classic and native, a reset half-way, and a classic
     * one carrying an exemplar per step.
     */
    static List<MetricSnapshots> snapshots(long t0) {
        PrometheusRegistry registry = new PrometheusRegistry();
        Histogram nativeOnly = Histogram.builder().name("lat_native_seconds").help("Native only.").nativeOnly()
                .labelNames("path").register(registry);
        Histogram both = Histogram.builder().name("lat_both_seconds").help("Classic and native.")
                .classicUpperBounds(0.01, 0.1, 1.0, 10.0).labelNames("path").register(registry);
        Histogram classic = Histogram.builder().name("lat_classic_seconds").help("Classic only.").classicOnly()
                .classicUpperBounds(0.1, 0.5, 1.0, 2.5, 10.0).labelNames("path").register(registry);
        Histogram reset = Histogram.builder().name("lat_reset_seconds").help("Reset half-way.").nativeOnly().nativeInitialSchema(2)
                .labelNames("path").register(registry);
        Random rnd = new Random(7);
        List<MetricSnapshots> out = new ArrayList<>();
        for (int k = 0; k < STEPS; k++) {
            long t = t0 + k * STEP_MS;
            if (k == STEPS / 2) {
                reset.clear();
            }
            for (int i = 0; i < 20 + 5 * k; i++) {
                double v = Math.exp(rnd.nextGaussian() * 1.5);
                double signed = i % 9 == 0 ? 0 : i % 4 == 0 ? -v : v;
                nativeOnly.labelValues("/a").observe(signed);
                nativeOnly.labelValues("/b").observe(v * 100);
                both.labelValues("/a").observe(v);
                classic.labelValues("/a").observe(v);
                reset.labelValues("/a").observe(signed * 3);
            }
            classic.labelValues("/a").observeWithExemplar(0.3 * (k % 4 + 1),
                    io.prometheus.metrics.model.snapshots.Labels.of("trace_id", "c" + k, "span_id", "s" + k));
            List<MetricSnapshot> stamped = new ArrayList<>();
            for (MetricSnapshot m : registry.scrape()) {
                HistogramSnapshot h = (HistogramSnapshot) m;
                List<HistogramDataPointSnapshot> points = new ArrayList<>();
                for (HistogramDataPointSnapshot p : h.getDataPoints()) {
                    List<Exemplar> ex = new ArrayList<>();
                    int i = 0;
                    for (Exemplar e : p.getExemplars()) {
                        ex.add(new Exemplar(e.getValue(), e.getLabels(), t - 100 + i++));
                    }
                    points.add(new HistogramDataPointSnapshot(p.getClassicBuckets(), p.getNativeSchema(), p.getNativeZeroCount(),
                            p.getNativeZeroThreshold(), p.getNativeBucketsForPositiveValues(), p.getNativeBucketsForNegativeValues(),
                            p.getSum(), p.getLabels(), Exemplars.of(ex), 0, t));
                }
                stamped.add(new HistogramSnapshot(h.isGaugeHistogram(), h.getMetadata(), points));
            }
            out.add(new MetricSnapshots(stamped));
        }
        return out;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
