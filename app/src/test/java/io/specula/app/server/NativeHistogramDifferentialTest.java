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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Native histograms end to end against the real Prometheus 2.42: Specula and Prometheus, both
 * with {@code --enable-feature=native-histograms,exemplar-storage} and the same
 * {@code prometheus.yml}, scrape one target built on the Prometheus Java client 1.x over
 * protobuf, and the query API must answer the same JSON documents: raw samples, and
 * {@code histogram_quantile|count|sum|fraction}, {@code rate} and {@code query_exemplars}.
 *
 * <p>So that both servers store the same data, the target serves a fixed sequence of snapshots:
 * each server's n-th scrape gets snapshot n (requests are counted per User-Agent), and every
 * snapshot carries an explicit timestamp 5 s after the previous one. The servers may scrape at
 * any moment; they still hold the same samples at the same times.
 */
class NativeHistogramDifferentialTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int STEPS = 16;
    private static final long STEP_MS = 5_000;

    @TempDir
    Path dir;

    @Test
    void clientJavaTarget_sameQueryAnswersAsPrometheus() throws Exception {
        assumeTrue(RealPrometheus.available(), RealPrometheus.BINARY + " missing: install Debian's prometheus (or run .ci/run)");
        long t0 = (System.currentTimeMillis() / 60_000 - 3) * 60_000; // on a minute, so that query steps align
        List<MetricSnapshots> steps = snapshots(t0);
        Map<String, Integer> served = new HashMap<>();
        HttpServer target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExpositionFormats formats = ExpositionFormats.init();
        target.createContext("/metrics", ex -> {
            String ua = String.valueOf(ex.getRequestHeaders().getFirst("User-Agent"));
            int n;
            synchronized (served) {
                n = served.merge(ua.replaceAll("/.*", ""), 1, Integer::sum) - 1;
            }
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
        try {
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global: {scrape_interval: 1s}
                    storage: {exemplars: {max_exemplars: 10000}}
                    scrape_configs:
                      - job_name: h
                        static_configs: [{targets: ['127.0.0.1:%d']}]
                    """.formatted(target.getAddress().getPort()));
            try (RealPrometheus prom = RealPrometheus.start(config, dir.resolve("prom"), List.of(),
                    "--enable-feature=native-histograms,exemplar-storage");
                    Server specula = start(config, dir.resolve("specula"))) {
                String base = "http://127.0.0.1:" + specula.port();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
                while (System.nanoTime() < deadline) {
                    synchronized (served) {
                        if (served.size() >= 2 && served.values().stream().allMatch(c -> c > STEPS)) {
                            break;
                        }
                    }
                    Thread.sleep(100);
                }
                assertThat(served).as("requests per User-Agent").hasSize(2).allSatisfy((ua, c) -> assertThat(c).isGreaterThan(STEPS));
                Thread.sleep(500); // let the last scrapes commit

                long end = t0 + (STEPS - 1) * STEP_MS;
                // Evaluation times halfway between samples, from one full rate window into the data on:
                // Prometheus 3 (and Specula) select (t-range, t], 2.42 [t-range, t], and 3 also stops a
                // histogram rate's extrapolation at the zero point, so the first windows would differ by design.
                String range = "&start=" + (t0 + 22_500) / 1000.0 + "&end=" + (end + 2_500) / 1000.0 + "&step=5";
                List<String> queries = new ArrayList<>();
                JsonNode series = JSON.readTree(prom.get("/api/v1/series?match[]=" + enc("{job=\"h\"}"))).get("data");
                TreeSet<String> histograms = new TreeSet<>();
                for (JsonNode s : series) {
                    String name = s.get("__name__").asString();
                    if (name.startsWith("lat_") && !name.endsWith("_bucket") && !name.endsWith("_count") && !name.endsWith("_sum")) {
                        histograms.add(name + "{path=\"" + s.get("path").asString() + "\"}");
                    }
                }
                assertThat(histograms).as("native histograms Prometheus scraped; its log: %s", prom.log()).hasSizeGreaterThanOrEqualTo(5);
                // One histogram series per query: 2.42 answers wrong integer histograms when a range
                // result holds several of them.
                for (String h : histograms) {
                    queries.add("query?time=" + end / 1000 + "&query=" + enc(h + "[2m]"));
                    queries.add("query?time=" + (end + 2_500) / 1000.0 + "&query=" + enc(h)); // "histogram" of a vector
                    queries.add("query?time=" + (end + 2_500) / 1000.0 + "&query=" + enc("histogram_fraction(0, 0.25, " + h + ")"));
                    queries.add("query_range?query=" + enc(h) + range);
                    queries.add("query_range?query=" + enc("histogram_count(" + h + ")") + range);
                    queries.add("query_range?query=" + enc("histogram_sum(" + h + ")") + range);
                    // Fraction bounds on bucket boundaries: inside a bucket 2.42 interpolates linearly, Prometheus 3 exponentially.
                    queries.add("query_range?query=" + enc("histogram_fraction(-0.5, 2, " + h + ")") + range);
                    queries.add("query_range?query=" + enc("histogram_quantile(0.9, " + h + ")") + range);
                    queries.add("query_range?query=" + enc("histogram_quantile(0.5, rate(" + h + "[20s]))") + range);
                    queries.add("query_range?query=" + enc("rate(" + h + "[20s])") + range);
                }
                queries.add("query_range?query=" + enc("histogram_quantile(0.9, sum by (le) (rate(lat_classic_seconds_bucket[20s])))") + range);
                queries.add("query_range?query=" + enc("rate(lat_classic_seconds_count[20s])") + range);
                queries.add("query_range?query=" + enc("histogram_count(sum(rate(lat_native_seconds[20s])))") + range);
                // rate drops the names: series that differ only in them collide (an error in both).
                queries.add("query_range?query=" + enc("histogram_count(sum(rate({__name__=~\"lat_.+\",path=\"/a\"}[20s])))") + range);
                queries.add("query_range?query=" + enc("histogram_quantile(0.99, sum(rate(lat_native_seconds[20s])))") + range);
                queries.add("query_exemplars?query=" + enc("{job=\"h\"}") + "&start=" + (t0 / 1000 - 60) + "&end=" + (end / 1000 + 60));
                List<String> differ = new ArrayList<>();
                StringBuilder log = new StringBuilder();
                for (String q : queries) {
                    String p = normalize(prom.get("/api/v1/" + q));
                    String s = normalize(TargetsComparison.get(base + "/api/v1/" + q));
                    if (q.startsWith("query_exemplars")) {
                        s = nativeExemplarsAsIn242(p, s);
                    } else if (q.contains("histogram_quantile") && !q.contains("_bucket")) {
                        s = sameBucketAsIn242(prom, q, p, s);
                    }
                    log.append(q).append("\n  prometheus: ").append(p).append("\n  specula:    ").append(s).append('\n');
                    if (!p.equals(s)) {
                        differ.add(q + "\n  prometheus: " + p + "\n  specula:    " + s);
                    }
                }
                Files.writeString(Path.of("target/native-histogram-answers.txt"), log);
                assertThat(differ).as("answers that differ from Prometheus 2.42's").isEmpty();
                String exemplars = prom.get("/api/v1/query_exemplars?query=" + enc("{job=\"h\"}") + "&start=0&end=" + (end / 1000 + 60));
                assertThat(exemplars).contains("trace_id");
            }
        } finally {
            target.stop(0);
        }
    }

    /**
     * The target's STEPS snapshots: client_java histograms (native only, classic + native,
     * classic only, one whose resolution the client must reduce, one reset half-way) fed with
     * positive, negative and zero observations, each snapshot stamped with its own time.
     */
    private static List<MetricSnapshots> snapshots(long t0) {
        PrometheusRegistry registry = new PrometheusRegistry();
        Histogram nativeOnly = Histogram.builder().name("lat_native_seconds").help("Native only.").nativeOnly()
                .labelNames("path").register(registry);
        Histogram both = Histogram.builder().name("lat_both_seconds").help("Classic and native.")
                .classicUpperBounds(0.01, 0.1, 1.0, 10.0).labelNames("path").register(registry);
        Histogram classic = Histogram.builder().name("lat_classic_seconds").help("Classic only.").classicOnly()
                .classicUpperBounds(0.1, 0.5, 1.0, 2.5, 10.0).labelNames("path").register(registry);
        Histogram reduced = Histogram.builder().name("lat_reduced_seconds").help("Few buckets.")
                .nativeMaxNumberOfBuckets(12).nativeOnly().labelNames("path").register(registry);
        // Schema 2 keeps it below the client's bucket limit, so the reset does not change the schema:
        // 2.42 reduces a rate over a reset to the first sample's schema, Prometheus 3 ignores that sample.
        Histogram reset = Histogram.builder().name("lat_reset_seconds").help("Reset half-way.").nativeOnly().nativeInitialSchema(2)
                .labelNames("path").register(registry);
        Random rnd = new Random(42);
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
                reduced.labelValues("/a").observe(rnd.nextBoolean() ? v * 1e4 : v / 1e4);
                reset.labelValues("/a").observe(signed * 3);
            }
            // Exemplars are client_java's own (observeWithExemplar), rate-limited by its sampler.
            both.labelValues("/a").observeWithExemplar(0.05 * (k + 1),
                    io.prometheus.metrics.model.snapshots.Labels.of("trace_id", "t" + k));
            classic.labelValues("/a").observeWithExemplar(0.3 * (k % 4 + 1),
                    io.prometheus.metrics.model.snapshots.Labels.of("trace_id", "c" + k, "span_id", "s" + k));
            List<MetricSnapshot> stamped = new ArrayList<>();
            for (MetricSnapshot m : registry.scrape()) {
                HistogramSnapshot h = (HistogramSnapshot) m;
                List<HistogramDataPointSnapshot> points = new ArrayList<>();
                for (HistogramDataPointSnapshot p : h.getDataPoints()) {
                    points.add(new HistogramDataPointSnapshot(p.getClassicBuckets(), p.getNativeSchema(), p.getNativeZeroCount(),
                            p.getNativeZeroThreshold(), p.getNativeBucketsForPositiveValues(), p.getNativeBucketsForNegativeValues(),
                            p.getSum(), p.getLabels(), stamp(p.getExemplars(), t), 0, t));
                }
                stamped.add(new HistogramSnapshot(h.isGaugeHistogram(), h.getMetadata(), points));
            }
            out.add(new MetricSnapshots(stamped));
        }
        return out;
    }

    /** The exemplars with timestamps just before the sample's: wall-clock times would differ between runs only. */
    private static Exemplars stamp(Exemplars in, long t) {
        List<Exemplar> out = new ArrayList<>();
        int i = 0;
        for (Exemplar e : in) {
            out.add(new Exemplar(e.getValue(), e.getLabels(), t - 100 + i++));
        }
        return Exemplars.of(out);
    }

    /**
     * Specula's answer with each native-histogram quantile replaced by 2.42's when both lie in the
     * same bucket of the histogram: 2.42 interpolates linearly inside a bucket, Prometheus 3 (and
     * Specula) exponentially for exponential buckets. Anything else stays as it was, so it shows.
     */
    private static String sameBucketAsIn242(RealPrometheus prom, String q, String p, String s) throws Exception {
        String expr = java.net.URLDecoder.decode(q.substring(q.indexOf("query=") + 6, q.indexOf('&')), StandardCharsets.UTF_8);
        String inner = expr.substring(expr.indexOf(", ") + 2, expr.length() - 1);
        JsonNode hists = JSON.readTree(prom.get("/api/v1/query_range?query=" + enc(inner) + q.substring(q.indexOf('&'))))
                .get("data").get("result");
        JsonNode pr = JSON.readTree(p), sr = JSON.readTree(s);
        JsonNode pres = pr.get("data").get("result"), sres = sr.path("data").path("result");
        if (pres.size() != 1 || sres.size() != 1 || hists.size() != 1 || pres.get(0).get("values").size() != sres.get(0).get("values").size()) {
            return s;
        }
        Map<Double, JsonNode> byTime = new HashMap<>();
        for (JsonNode h : hists.get(0).get("histograms")) {
            byTime.put(h.get(0).asDouble(), h.get(1).get("buckets"));
        }
        JsonNode pv = pres.get(0).get("values");
        JsonNode sv = sres.get(0).get("values");
        for (int i = 0; i < pv.size(); i++) {
            double a = Double.parseDouble(pv.get(i).get(1).asString()), b = Double.parseDouble(sv.get(i).get(1).asString());
            if (a == b || pv.get(i).get(0).asDouble() != sv.get(i).get(0).asDouble()) {
                continue;
            }
            JsonNode buckets = byTime.getOrDefault(pv.get(i).get(0).asDouble(), JSON.createArrayNode());
            for (int j = 0; j < buckets.size(); j++) {
                double lo = bound(buckets.get(j), 1), hi = bound(buckets.get(j), 2);
                boolean same = within(a, lo, hi) && within(b, lo, hi);
                // A rank that falls exactly between two populated buckets: 2.42 (iterating upwards)
                // answers the lower one's upper bound, Prometheus 3 (from the top for q >= 0.5)
                // the upper one's lower bound; only empty buckets lie between the two.
                boolean tie = j + 1 < buckets.size() && near(a, hi) && near(b, bound(buckets.get(j + 1), 1));
                if (same || tie) {
                    ((tools.jackson.databind.node.ArrayNode) sv.get(i)).set(1, pv.get(i).get(1));
                    break;
                }
            }
        }
        return sr.toString();
    }

    private static double bound(JsonNode bucket, int i) {
        return Double.parseDouble(bucket.get(i).asString());
    }

    /** Inside [lo, hi] up to rounding: an exponential interpolation can land an ulp beyond a bound. */
    private static boolean within(double v, double lo, double hi) {
        return (lo <= v || near(v, lo)) && (v <= hi || near(v, hi));
    }

    private static boolean near(double a, double b) {
        return Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
    }

    /**
     * Specula's exemplars with those of native histograms cut down to 2.42's: 2.42 keeps one
     * exemplar (the lowest bucket's) per native-histogram sample, Prometheus 3 (and Specula) all of
     * them. 2.42's must be among Specula's; classic series are compared unchanged.
     */
    private static String nativeExemplarsAsIn242(String p, String s) {
        JsonNode pr = JSON.readTree(p), sr = JSON.readTree(s);
        if (!pr.path("data").isArray() || !sr.path("data").isArray()) {
            return s;
        }
        Map<String, JsonNode> theirs = new HashMap<>();
        for (JsonNode series : pr.get("data")) {
            theirs.put(series.get("seriesLabels").toString(), series.get("exemplars"));
        }
        for (JsonNode series : sr.get("data")) {
            JsonNode labels = series.get("seriesLabels");
            String name = labels.path("__name__").asString();
            JsonNode t = theirs.get(labels.toString());
            if (t == null || labels.has("le") || name.endsWith("_count") || name.endsWith("_sum")) {
                continue;
            }
            List<JsonNode> mine = new ArrayList<>();
            series.get("exemplars").forEach(mine::add);
            boolean all = true;
            for (JsonNode e : t) {
                all &= mine.contains(e);
            }
            if (all) {
                ((ObjectNode) series).set("exemplars", t);
            }
        }
        return sr.toString();
    }

    private static Server start(Path config, Path data) throws Exception {
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs("--web.listen-address=127.0.0.1:0", "--storage.tsdb.path=" + data,
                "--config.file=" + config, "--enable-feature=native-histograms,exemplar-storage");
        return Server.start(cmd.options());
    }

    /** The JSON with classic {@code le} values as numbers: 2.42 writes "1" where Prometheus 3 (and Specula) write "1.0". */
    static String normalize(String body) {
        JsonNode root = JSON.readTree(body);
        JsonNode data = root.path("data");
        JsonNode list = data.isArray() ? data : data.path("result");
        for (JsonNode s : list) {
            JsonNode labels = s.has("metric") ? s.get("metric") : s.get("seriesLabels");
            JsonNode le = labels == null ? null : labels.get("le");
            if (le != null && !le.asString().contains("Inf")) {
                ((ObjectNode) labels).put("le", Double.toString(Double.parseDouble(le.asString())));
            }
        }
        return root.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
