package io.specula.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.specula.discovery.TargetGroup;
import io.specula.httpclient.HttpClients;
import io.specula.model.histogram.BucketIterator;
import io.specula.model.histogram.FloatHistogram;
import io.specula.model.labels.Labels;
import io.specula.scrape.config.GlobalConfig;
import io.specula.scrape.config.ScrapeConfig;
import io.specula.scrape.config.ScrapeConfigs;
import io.specula.testsupport.RealPrometheus;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The same Prometheus Java client 1.x target (classic + native buckets in one histogram, positive,
 * negative and zero observations) scraped by Prometheus 2.42 with
 * {@code --enable-feature=native-histograms} and by Specula's scrape loop: the histogram Specula
 * appends has the count, sum and buckets (bounds and counts, as the query API lists them) that
 * Prometheus's API returns, and both keep the same series (the native histogram, no classic
 * series: 2.42 cannot keep both).
 */
class PrometheusNativeHistogramDifferentialTest {
    @TempDir
    Path tmp;

    @Test
    void clientJavaTarget_sameHistogramAndSeriesAsPrometheus() throws Exception {
        Assumptions.assumeTrue(RealPrometheus.available(),
                RealPrometheus.BINARY + " not found: install Debian's 'prometheus' package to compare native-histogram scraping with Prometheus 2.42");
        PrometheusRegistry registry = new PrometheusRegistry();
        Histogram h = Histogram.builder().name("latency_seconds").help("Latency.").classicUpperBounds(0.1, 1.0, 10.0)
                .labelNames("path").register(registry);
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < 500; i++) {
            h.labelValues("/a").observe(Math.exp(rnd.nextGaussian() * 2));
            h.labelValues("/b").observe(i % 7 == 0 ? 0 : -Math.exp(rnd.nextGaussian()));
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        HTTPServer target = HTTPServer.builder().inetAddress(InetAddress.getLoopbackAddress()).port(port).registry(registry).buildAndStart();
        JsonMapper json = JsonMapper.builder().build();
        try {
            // Prometheus 2.42 has no scrape_classic_histograms (2.45): native only is what it can compare.
            for (boolean classic : new boolean[] {false}) {
                Path dir = tmp.resolve("p" + classic);
                Files.createDirectories(dir);
                Path cfg = dir.resolve("prometheus.yml");
                Files.writeString(cfg, "global: {scrape_interval: 1s}\nscrape_configs:\n  - job_name: h\n"
                        + "    static_configs: [{targets: ['127.0.0.1:" + port + "']}]\n");
                List<String> theirs;
                JsonNode theirHist;
                try (RealPrometheus prom = RealPrometheus.start(cfg, dir, List.of(), "--enable-feature=native-histograms")) {
                    JsonNode r = null;
                    for (int i = 0; i < 100; i++) {
                        r = json.readTree(prom.get("/api/v1/query?query=" + enc("latency_seconds{path=\"/a\"}"))).get("data").get("result");
                        if (!r.isEmpty()) {
                            break;
                        }
                        Thread.sleep(200);
                    }
                    assertThat(r).as("Prometheus scraped nothing; log:\n%s", prom.log()).isNotEmpty();
                    theirHist = r.get(0).get("histogram").get(1);
                    JsonNode series = json.readTree(prom.get("/api/v1/series?match[]=" + enc("{__name__=~\"latency_seconds.*\"}")))
                            .get("data");
                    TreeSet<String> names = new TreeSet<>();
                    for (JsonNode s : series) {
                        names.add(s.get("__name__").asString() + (s.has("le") ? "{le=" + s.get("le").asString() + "}" : "") + "/" + s.get("path").asString());
                    }
                    theirs = new ArrayList<>(names);
                }

                Recording storage = new Recording();
                String yaml = "scrape_configs:\n  - job_name: h\n    scrape_native_histograms: true\n"
                        + "    always_scrape_classic_histograms: " + classic + "\n";
                ScrapeConfig c = ScrapeConfigs.parse(yaml, "test.yml", GlobalConfig.defaults()).getFirst();
                HttpClient client = HttpClients.create(c, "test");
                try {
                    TargetGroup g = new TargetGroup("0", List.of(Labels.of("__address__", "127.0.0.1:" + port)), Labels.EMPTY);
                    Target t = new TargetBuilder(c).build(g, g.targets().getFirst()).target();
                    ScrapeLoop l = new ScrapeLoop(t, c, new HttpScraper(client, c, t, 0), storage, new ScrapeCache(),
                            ScrapeOptions.DEFAULT, new ScrapeMetrics());
                    l.scrapeAndReport(1_700_000_000_000L);
                    assertThat(l.target().lastError()).isEmpty();
                } finally {
                    HttpClients.stopQuietly(client);
                }
                TreeSet<String> ours = new TreeSet<>();
                Recording.Sample mine = null;
                for (Recording.Sample s : storage.samples) {
                    String n = s.labels().metricName();
                    if (n.startsWith("latency_seconds")) {
                        String le = s.labels().get("le");
                        // Prometheus 2.42 writes le as Go's %g; 3.x (and Specula) as OpenMetrics: 1.0
                        ours.add(n + (le.isEmpty() ? "" : "{le=" + le.replaceAll("\\.0$", "") + "}") + "/" + s.labels().get("path"));
                        if (n.equals("latency_seconds") && s.labels().get("path").equals("/a")) {
                            mine = s;
                        }
                    }
                }
                assertThat(ours).as("classic=" + classic).containsExactlyElementsOf(theirs);
                assertThat(mine).isNotNull();
                FloatHistogram fh = mine.h() != null ? mine.h().toFloat(null) : mine.fh();
                assertThat(fh.count).isEqualTo(theirHist.get("count").asDouble());
                assertThat(fh.sum).isEqualTo(theirHist.get("sum").asDouble());
                List<String> ourBuckets = new ArrayList<>();
                BucketIterator it = fh.allBuckets(new BucketIterator());
                while (it.next()) {
                    if (it.count != 0) {
                        ourBuckets.add(bound(it.lower) + "," + bound(it.upper) + "=" + it.count);
                    }
                }
                List<String> theirBuckets = new ArrayList<>();
                for (JsonNode b : theirHist.get("buckets")) {
                    theirBuckets.add(bound(Double.parseDouble(b.get(1).asString())) + "," + bound(Double.parseDouble(b.get(2).asString()))
                            + "=" + Double.parseDouble(b.get(3).asString()));
                }
                assertThat(ourBuckets).as("buckets").containsExactlyElementsOf(theirBuckets);
                assertThat(theirBuckets.size()).isGreaterThan(10);
            }
        } finally {
            target.close();
        }
    }

    /** Bounds compared to 12 significant digits: the API prints them with Go's shortest formatting. */
    private static String bound(double v) {
        return String.format("%.12g", v);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
