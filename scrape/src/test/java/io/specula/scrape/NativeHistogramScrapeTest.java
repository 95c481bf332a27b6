package io.specula.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.specula.discovery.TargetGroup;
import io.specula.httpclient.HttpClients;
import io.specula.model.histogram.Schemas;
import io.specula.model.labels.Labels;
import io.specula.scrape.config.GlobalConfig;
import io.specula.scrape.config.ScrapeConfig;
import io.specula.scrape.config.ScrapeConfigs;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The three histogram scrape configurations of Prometheus 3 (native only, native + classic,
 * classic converted to custom buckets), the bucket limit and factor, and exemplars, against a
 * Prometheus Java client 1.x target serving classic and native buckets in one histogram.
 */
class NativeHistogramScrapeTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final List<String> REPORTS = List.of("scrape_duration_seconds", "scrape_samples_post_metric_relabeling",
            "scrape_samples_scraped", "scrape_series_added", "up");

    private PrometheusRegistry registry;
    private HTTPServer target;
    private HttpClient client;
    private Recording storage;
    private Histogram latency;

    @BeforeEach
    void setUp() throws Exception {
        registry = new PrometheusRegistry();
        latency = Histogram.builder().name("latency_seconds").help("Latency.").classicUpperBounds(0.1, 0.5, 1.0).register(registry);
        Counter requests = Counter.builder().name("requests_total").help("Requests.").register(registry);
        for (int i = 1; i <= 20; i++) {
            latency.observe(i * 0.05);
        }
        latency.observeWithExemplar(0.3, io.prometheus.metrics.model.snapshots.Labels.of("trace_id", "abc123"));
        requests.incWithExemplar(io.prometheus.metrics.model.snapshots.Labels.of("trace_id", "def456"));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        target = HTTPServer.builder().inetAddress(InetAddress.getLoopbackAddress()).port(port).registry(registry).buildAndStart();
        storage = new Recording();
    }

    @AfterEach
    void tearDown() {
        HttpClients.stopQuietly(client);
        target.close();
    }

    private ScrapeLoop loop(String yaml) throws Exception {
        String full = "scrape_configs:\n  - job_name: h\n    scrape_interval: 15s\n" + yaml.indent(4);
        ScrapeConfig c = ScrapeConfigs.parse(full, "test.yml", GlobalConfig.defaults()).getFirst();
        HttpClients.stopQuietly(client);
        client = HttpClients.create(c, "test");
        TargetGroup g = new TargetGroup("0", List.of(Labels.of("__address__", "127.0.0.1:" + target.getPort())), Labels.EMPTY);
        Target t = new TargetBuilder(c).build(g, g.targets().getFirst()).target();
        return new ScrapeLoop(t, c, new HttpScraper(client, c, t, 0), storage, new ScrapeCache(), ScrapeOptions.DEFAULT, new ScrapeMetrics());
    }

    private List<String> names(String... metrics) {
        List<String> out = new java.util.ArrayList<>(List.of(metrics));
        out.addAll(REPORTS);
        return out.stream().sorted().toList();
    }

    @Test
    void nativeOnly_oneHistogramSeriesNoClassicSeries() throws Exception {
        ScrapeLoop l = loop("scrape_native_histograms: true");
        l.scrapeAndReport(T0);
        assertThat(l.target().lastError()).isEmpty();
        assertThat(storage.names(T0)).isEqualTo(names("latency_seconds", "requests_total"));
        Recording.Sample h = storage.at("latency_seconds", T0).getFirst();
        assertThat(h.h()).isNotNull();
        assertThat(h.h().count).isEqualTo(21);
        assertThat(h.h().sum).isCloseTo(10.5 + 0.3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(h.h().schema).isEqualTo(5); // client_java's initial schema
        assertThat(h.labels().toString()).isEqualTo("{__name__=\"latency_seconds\", instance=\"127.0.0.1:" + target.getPort() + "\", job=\"h\"}");
        assertThat(l.target().metadata().get("latency_seconds").type()).isEqualTo("histogram");
        // exemplars: the counter's, and the histogram's (which carry timestamps)
        assertThat(storage.exemplars).extracting(e -> e.series().metricName() + " " + e.labels())
                .contains("requests_total {trace_id=\"def456\"}", "latency_seconds {trace_id=\"abc123\"}");
    }

    @Test
    void nativeAndClassic_bothKept() throws Exception {
        ScrapeLoop l = loop("scrape_native_histograms: true\nalways_scrape_classic_histograms: true");
        l.scrapeAndReport(T0);
        assertThat(l.target().lastError()).isEmpty();
        assertThat(storage.names(T0)).isEqualTo(names("latency_seconds", "latency_seconds_bucket", "latency_seconds_bucket",
                "latency_seconds_bucket", "latency_seconds_bucket", "latency_seconds_count", "latency_seconds_sum", "requests_total"));
        assertThat(storage.at("latency_seconds_bucket", T0)).extracting(s -> s.labels().get("le") + "=" + s.v())
                .containsExactly("0.1=2.0", "0.5=11.0", "1.0=21.0", "+Inf=21.0");
        assertThat(storage.at("latency_seconds", T0).getFirst().isHistogram()).isTrue();
    }

    @Test
    void classicConvertedToNhcb_fromTextAndFromProtobuf() throws Exception {
        for (String protocols : List.of("[OpenMetricsText1.0.0]", "[PrometheusText0.0.4]", "[PrometheusProto]")) {
            storage.samples.clear();
            ScrapeLoop l = loop("convert_classic_histograms_to_nhcb: true\nscrape_protocols: " + protocols);
            l.scrapeAndReport(T0);
            assertThat(l.target().lastError()).as(protocols).isEmpty();
            assertThat(storage.names(T0)).as(protocols).isEqualTo(names("latency_seconds", "requests_total"));
            var nhcb = storage.at("latency_seconds", T0).getFirst().h();
            assertThat(nhcb).as(protocols).isNotNull();
            assertThat(nhcb.schema).isEqualTo(Schemas.CUSTOM_BUCKETS);
            assertThat(nhcb.customValues).containsExactly(0.1, 0.5, 1.0);
            assertThat(nhcb.count).isEqualTo(21);
            assertThat(nhcb.positiveSpans).containsExactly(0, 3); // buckets 2, 9, 10 and an empty +Inf left out
            assertThat(nhcb.positiveBuckets).containsExactly(2, 7, 1);
        }
    }

    @Test
    void classicConvertedToNhcb_keepingClassic() throws Exception {
        ScrapeLoop l = loop("convert_classic_histograms_to_nhcb: true\nalways_scrape_classic_histograms: true\n"
                + "scrape_protocols: [PrometheusText0.0.4]");
        l.scrapeAndReport(T0);
        assertThat(storage.names(T0)).isEqualTo(names("latency_seconds", "latency_seconds_bucket", "latency_seconds_bucket",
                "latency_seconds_bucket", "latency_seconds_bucket", "latency_seconds_count", "latency_seconds_sum", "requests_total"));
    }

    @Test
    void bucketFactor_capsTheSchema() throws Exception {
        assertThat(NativeHistograms.pickSchema(1.1)).isEqualTo(2);
        assertThat(NativeHistograms.pickSchema(0)).isEqualTo(8);
        assertThat(NativeHistograms.pickSchema(2)).isEqualTo(0);
        assertThat(NativeHistograms.pickSchema(1e9)).isEqualTo(-4);
        ScrapeLoop l = loop("scrape_native_histograms: true\nnative_histogram_min_bucket_factor: 1.1");
        l.scrapeAndReport(T0);
        var h = storage.at("latency_seconds", T0).getFirst().h();
        assertThat(h.schema).isEqualTo(2);
        assertThat(h.count).isEqualTo(21);
    }

    @Test
    void bucketLimit_reducesResolutionOrFailsTheScrape() throws Exception {
        ScrapeLoop l = loop("scrape_native_histograms: true\nnative_histogram_bucket_limit: 4");
        l.scrapeAndReport(T0);
        assertThat(l.target().lastError()).isEmpty();
        var h = storage.at("latency_seconds", T0).getFirst().h();
        assertThat(h.positiveBuckets.length + h.negativeBuckets.length).isLessThanOrEqualTo(4);
        assertThat(h.schema).isLessThan(5);
        assertThat(h.count).isEqualTo(21);

        latency.observe(1e-30);
        latency.observe(1e30); // 200 octaves apart: more than one bucket even at schema -4
        l = loop("scrape_native_histograms: true\nnative_histogram_bucket_limit: 1");
        l.scrapeAndReport(T0 + 1);
        assertThat(l.target().lastError()).isEqualTo("histogram bucket limit exceeded");
        assertThat(storage.at("latency_seconds", T0 + 1)).isEmpty();
        assertThat(storage.at("up", T0 + 1).getFirst().v()).isZero();
    }

    @Test
    void nativeOff_protobufGivesClassicSeriesOnly() throws Exception {
        ScrapeLoop l = loop("scrape_protocols: [PrometheusProto]");
        l.scrapeAndReport(T0);
        assertThat(l.target().lastError()).isEmpty();
        assertThat(storage.names(T0)).isEqualTo(names("latency_seconds_bucket", "latency_seconds_bucket",
                "latency_seconds_bucket", "latency_seconds_bucket", "latency_seconds_count", "latency_seconds_sum", "requests_total"));
        assertThat(storage.samples).noneMatch(Recording.Sample::isHistogram);
    }
}
