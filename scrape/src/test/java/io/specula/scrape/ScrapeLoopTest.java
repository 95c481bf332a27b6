package io.specula.scrape;

import io.specula.testsupport.TestServer;
import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import io.specula.scrape.config.GlobalConfig;
import io.specula.scrape.config.ScrapeConfig;
import io.specula.scrape.config.ScrapeConfigs;
import io.specula.discovery.TargetGroup;
import io.specula.httpclient.HttpClients;
import io.specula.tsdb.head.Head;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScrapeLoopTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final long STEP = 15_000;

    private TestServer server;
    private Head head;
    private HttpClient client;
    private final ScrapeMetrics metrics = new ScrapeMetrics();

    @BeforeEach
    void setUp() throws Exception {
        server = new TestServer();
        head = new Head();
    }

    @AfterEach
    void tearDown() throws Exception {
        HttpClients.stopQuietly(client);
        server.close();
        head.close();
    }

    private ScrapeLoop loop(String extraYaml) throws Exception {
        return loop(extraYaml, ScrapeOptions.DEFAULT);
    }

    private ScrapeLoop loop(String extraYaml, ScrapeOptions options) throws Exception {
        String yaml = "scrape_configs:\n  - job_name: test\n    scrape_interval: 15s\n"
                + extraYaml.indent(4);
        ScrapeConfig c = ScrapeConfigs.parse(yaml, "test.yml", GlobalConfig.defaults()).getFirst();
        client = HttpClients.create(c, "test");
        TargetGroup g = new TargetGroup("0", List.of(Labels.of("__address__", server.address())), Labels.EMPTY);
        Target t = new TargetBuilder(c).build(g, g.targets().getFirst()).target();
        return new ScrapeLoop(t, c, new HttpScraper(client, c, t, options.maxBodyBytes()), head, new ScrapeCache(), options, metrics);
    }

    @Test
    void scrape_textFormat_storesSamplesWithTargetLabelsAndReport() throws Exception {
        server.body = """
                # HELP http_requests_total Requests.
                # TYPE http_requests_total counter
                http_requests_total{code="200"} 10
                http_requests_total{code="500"} 2
                temperature 21.5
                """;
        ScrapeLoop l = loop("");
        l.scrapeAndReport(T0);

        List<Stored.Sample> reqs = Stored.named(head, "http_requests_total");
        assertThat(reqs).hasSize(2);
        assertThat(reqs.getFirst().labels().toString())
                .isEqualTo("{__name__=\"http_requests_total\", code=\"200\", instance=\"" + server.address() + "\", job=\"test\"}");
        assertThat(reqs.getFirst().t()).isEqualTo(T0);
        assertThat(reqs.getFirst().v()).isEqualTo(10);
        assertThat(Stored.valuesAt(head, "up", T0)).containsExactly(1.0);
        assertThat(Stored.valuesAt(head, "scrape_samples_scraped", T0)).containsExactly(3.0);
        assertThat(Stored.valuesAt(head, "scrape_samples_post_metric_relabeling", T0)).containsExactly(3.0);
        assertThat(Stored.valuesAt(head, "scrape_series_added", T0)).containsExactly(3.0);
        assertThat(Stored.named(head, "scrape_duration_seconds")).hasSize(1);
        assertThat(l.target().health()).isEqualTo(Target.Health.UP);
        assertThat(l.target().lastError()).isEmpty();
        assertThat(l.target().lastScrapeMillis()).isEqualTo(T0);

        l.scrapeAndReport(T0 + STEP); // unchanged: everything from the cache
        assertThat(Stored.valuesAt(head, "scrape_series_added", T0 + STEP)).containsExactly(0.0);
        assertThat(Stored.named(head, "temperature")).extracting(Stored.Sample::t).containsExactly(T0, T0 + STEP);
    }

    @Test
    void scrape_metadata_fromTypeHelpAndUnit() throws Exception {
        server.body = "# HELP a_total Things \\ done.\n# TYPE a_total counter\na_total 1\n# TYPE b untyped\nb 2\n";
        ScrapeLoop l = loop("");
        l.scrapeAndReport(T0);
        assertThat(l.target().metadata()).containsEntry("a_total", new MetricMetadata("counter", "Things \\ done.", ""))
                .containsEntry("b", new MetricMetadata("unknown", "", ""));
        var before = l.target().metadata();
        l.scrapeAndReport(T0 + STEP);
        assertThat(l.target().metadata()).isSameAs(before); // unchanged: no new map

        server.contentType = "application/openmetrics-text; version=1.0.0";
        server.body = "# TYPE temp_celsius gauge\n# UNIT temp_celsius celsius\ntemp_celsius 20\n# EOF\n";
        l.scrapeAndReport(T0 + 2 * STEP);
        assertThat(l.target().metadata()).containsOnlyKeys("temp_celsius")
                .containsEntry("temp_celsius", new MetricMetadata("gauge", "", "celsius"));
    }

    @Test
    void scrape_sendsPrometheus3AcceptHeaderAndGzip() throws Exception {
        server.body = "a 1\n";
        loop("").scrapeAndReport(T0);
        assertThat(server.lastAccept).isEqualTo("application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
                + "application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,"
                + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2");
        assertThat(server.lastAcceptEncoding).isEqualTo("gzip");
        assertThat(server.lastPathAndQuery).isEqualTo("/metrics");
    }

    @Test
    void scrape_paramsAndCompressionOff_reachTheRequest() throws Exception {
        server.body = "a 1\n";
        loop("enable_compression: false\nmetrics_path: /probe\nparams: {module: [http_2xx], target: [x y]}\n"
                + "scrape_protocols: [PrometheusText0.0.4]").scrapeAndReport(T0);
        assertThat(server.lastAcceptEncoding).isEqualTo("identity");
        assertThat(server.lastPathAndQuery).isEqualTo("/probe?module=http_2xx&target=x+y");
        assertThat(server.lastAccept).isEqualTo("text/plain;version=0.0.4;q=0.6,*/*;q=0.5");
    }

    @Test
    void scrape_openMetrics_parsedWithTimestamps() throws Exception {
        server.contentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";
        server.body = """
                # TYPE jobs counter
                jobs_total{kind="a"} 3 1700000001.5
                # EOF
                """;
        loop("").scrapeAndReport(T0);
        List<Stored.Sample> s = Stored.named(head, "jobs_total");
        assertThat(s).hasSize(1);
        assertThat(s.getFirst().t()).isEqualTo(1_700_000_001_500L);
        assertThat(s.getFirst().v()).isEqualTo(3);
    }

    @Test
    void scrape_honorTimestampsFalse_usesScrapeTime() throws Exception {
        server.body = "a 1 1600000000000\n";
        loop("honor_timestamps: false").scrapeAndReport(T0);
        assertThat(Stored.named(head, "a")).extracting(Stored.Sample::t).containsExactly(T0);
    }

    @Test
    void scrape_gzipBody_isDecoded() throws Exception {
        server.gzip = true;
        server.body = "compressed_metric 42\n";
        loop("").scrapeAndReport(T0);
        assertThat(Stored.valuesAt(head, "compressed_metric", T0)).containsExactly(42.0);
    }

    @Test
    void scrape_seriesVanishes_getsStalenessMarker() throws Exception {
        server.body = "a 1\nb 2\n";
        ScrapeLoop l = loop("");
        l.scrapeAndReport(T0);
        server.body = "a 1\n";
        l.scrapeAndReport(T0 + STEP);
        List<Stored.Sample> b = Stored.named(head, "b");
        assertThat(b).hasSize(2);
        assertThat(b.get(1).t()).isEqualTo(T0 + STEP);
        assertThat(b.get(1).stale()).isTrue();
        assertThat(Stored.named(head, "a")).noneMatch(Stored.Sample::stale);

        server.body = "a 1\nb 3\n"; // it comes back: no second marker, a new sample
        l.scrapeAndReport(T0 + 2 * STEP);
        assertThat(Stored.named(head, "b")).hasSize(3).last().extracting(Stored.Sample::v).isEqualTo(3.0);
    }

    @Test
    void scrape_relabelingMergesTwoRawSeries_oneVanishing_noFalseStaleMarker() throws Exception {
        server.body = "m{a=\"1\"} 1\nm{a=\"2\"} 1\n";
        ScrapeLoop l = loop("metric_relabel_configs: [{regex: a, action: labeldrop}]");
        l.scrapeAndReport(T0);
        server.body = "m{a=\"1\"} 1\n";
        l.scrapeAndReport(T0 + STEP);
        assertThat(Stored.named(head, "m")).hasSize(2).noneMatch(Stored.Sample::stale);
        server.body = "";
        l.scrapeAndReport(T0 + 2 * STEP);
        assertThat(Stored.named(head, "m")).last().matches(Stored.Sample::stale);
    }

    @Test
    void scrape_timestampGoingBack_countedOutOfOrderScrapeStillUp() throws Exception {
        server.body = "a 1 1700000010000\nb 1\n";
        ScrapeLoop l = loop("");
        l.scrapeAndReport(T0 + STEP);
        server.body = "a 2 1700000005000\nb 2\n";
        l.scrapeAndReport(T0 + 2 * STEP);
        assertThat(l.target().health()).isEqualTo(Target.Health.UP);
        assertThat(metrics.snapshot()).containsEntry("prometheus_target_scrapes_sample_out_of_order_total", 1L)
                .containsEntry("specula_target_scrapes_total", 2L);
        assertThat(Stored.named(head, "a")).extracting(Stored.Sample::v).containsExactly(1.0);
    }

    @Test
    void scrape_explicitTimestamps_notMarkedStaleUnlessTracked() throws Exception {
        server.body = "a 1 1700000000000\n";
        ScrapeLoop l = loop("");
        l.scrapeAndReport(T0);
        server.body = "";
        l.scrapeAndReport(T0 + STEP);
        assertThat(Stored.named(head, "a")).noneMatch(Stored.Sample::stale);
    }

    @Test
    void stop_targetGone_marksAllSeriesAndReportsStale() throws Exception {
        server.body = "a 1\n";
        ScrapeLoop l = loop("");
        l.scrapeAndReport(T0);
        l.stop(true);
        assertThat(Stored.named(head, "a")).last().matches(Stored.Sample::stale);
        assertThat(Stored.named(head, "up")).last().matches(Stored.Sample::stale);
        assertThat(Stored.named(head, "scrape_series_added")).last().matches(Stored.Sample::stale);
    }

    @Test
    void scrape_httpError_downWithMessageAndStaleSeries() throws Exception {
        server.body = "a 1\n";
        ScrapeLoop l = loop("");
        l.scrapeAndReport(T0);
        server.status = 500;
        l.scrapeAndReport(T0 + STEP);
        assertThat(l.target().health()).isEqualTo(Target.Health.DOWN);
        assertThat(l.target().lastError()).startsWith("server returned HTTP status 500 ");
        assertThat(Stored.valuesAt(head, "up", T0 + STEP)).containsExactly(0.0);
        assertThat(Stored.named(head, "a")).last().matches(Stored.Sample::stale);
    }

    @Test
    void scrape_timeout_failsWithDeadlineExceeded() throws Exception {
        server.body = "a 1\n";
        server.delayMillis = 2000;
        ScrapeLoop l = loop("scrape_timeout: 300ms");
        long start = System.nanoTime();
        l.scrapeAndReport(T0);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1900);
        assertThat(l.target().lastError()).isEqualTo("Get \"" + server.url("/metrics") + "\": context deadline exceeded");
        assertThat(Stored.valuesAt(head, "up", T0)).containsExactly(0.0);
    }

    @Test
    void scrape_bodyNeverEnds_timesOutWithinScrapeTimeout() throws Exception {
        server.body = "a 1\n".repeat(10_000);
        server.stallMillis = 3000;
        ScrapeLoop l = loop("scrape_timeout: 300ms");
        long start = System.nanoTime();
        l.scrapeAndReport(T0);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2500);
        assertThat(l.target().lastError()).isEqualTo("Get \"" + server.url("/metrics") + "\": context deadline exceeded");
        assertThat(Stored.named(head, "a")).isEmpty();
    }

    @Test
    void scrape_garbageBody_failsWithParseErrorAndOtherTargetsUnaffected() throws Exception {
        server.body = "garbage{{{ not metrics\n\u0001\n";
        ScrapeLoop l = loop("");
        l.scrapeAndReport(T0);
        assertThat(l.target().health()).isEqualTo(Target.Health.DOWN);
        assertThat(l.target().lastError()).isNotEmpty();
    }

    @Test
    void scrape_bodySizeLimit_failsScrape() throws Exception {
        server.body = "a_metric_with_a_long_name 1\n".repeat(100);
        ScrapeLoop l = loop("body_size_limit: 1KB");
        l.scrapeAndReport(T0);
        assertThat(l.target().lastError()).isEqualTo("body size limit exceeded");
        assertThat(Stored.named(head, "a_metric_with_a_long_name")).isEmpty();
    }

    @Test
    void scrape_serverWideCeiling_appliesWithoutBodySizeLimit() throws Exception {
        server.body = "x 1\n".repeat(1000);
        ScrapeLoop l = loop("", new ScrapeOptions(false, 0, 1000));
        l.scrapeAndReport(T0);
        assertThat(l.target().lastError()).isEqualTo("body size limit exceeded");
        server.body = "x 1\n";
        l.scrapeAndReport(T0 + STEP);
        assertThat(l.target().lastError()).isEmpty();
    }

    @Test
    void scrape_bodySizeLimitAppliesToDecompressedSize() throws Exception {
        server.gzip = true;
        server.body = "x 1\n".repeat(1000);
        ScrapeLoop l = loop("body_size_limit: 1KB");
        l.scrapeAndReport(T0);
        assertThat(l.target().lastError()).isEqualTo("body size limit exceeded");
    }

    @Test
    void scrape_sampleLimit_failsWholeScrapeAndReportsCounts() throws Exception {
        server.body = "a 1\n";
        ScrapeLoop l = loop("sample_limit: 2");
        l.scrapeAndReport(T0);
        server.body = "a 1\nb 1\nc 1\n";
        l.scrapeAndReport(T0 + STEP);
        assertThat(l.target().lastError()).isEqualTo("sample limit exceeded");
        assertThat(metrics.snapshot()).containsEntry("prometheus_target_scrapes_exceeded_sample_limit_total", 1L);
        assertThat(Stored.valuesAt(head, "up", T0 + STEP)).containsExactly(0.0);
        assertThat(Stored.valuesAt(head, "scrape_samples_scraped", T0 + STEP)).containsExactly(3.0);
        assertThat(Stored.named(head, "b")).isEmpty(); // rolled back
        assertThat(Stored.named(head, "a")).last().matches(Stored.Sample::stale);
    }

    @Test
    void scrape_labelLimits_useVerbatimPrometheusMessages() throws Exception {
        server.body = "m{a=\"1\",b=\"2\"} 1\n";
        ScrapeLoop l = loop("label_limit: 3");
        l.scrapeAndReport(T0);
        assertThat(l.target().lastError()).isEqualTo("label_limit exceeded (metric: m, number of labels: 5, limit: 3)");

        server.body = "m{long_label_name=\"1\"} 1\n";
        l = loop("label_name_length_limit: 10");
        l.scrapeAndReport(T0);
        assertThat(l.target().lastError())
                .isEqualTo("label_name_length_limit exceeded (metric: m, label name: long_label_name, length: 15, limit: 10)");

        server.body = "m{a=\"a long value\"} 1\n";
        l = loop("label_value_length_limit: 5");
        l.scrapeAndReport(T0);
        assertThat(l.target().lastError()).startsWith(
                "label_value_length_limit exceeded (metric: m, label name: a, value: \"a long value\", length: 12, limit: 5)");
    }

    @Test
    void scrape_conflictingLabels_exportedPrefixOrHonored() throws Exception {
        server.body = "m{job=\"inner\",instance=\"i\",exported_job=\"x\"} 1\n";
        loop("").scrapeAndReport(T0);
        Labels l = Stored.named(head, "m").getFirst().labels();
        assertThat(l.get("job")).isEqualTo("test");
        assertThat(l.get("exported_job")).isEqualTo("x");
        assertThat(l.get("exported_exported_job")).isEqualTo("inner");
        assertThat(l.get("exported_instance")).isEqualTo("i");
        assertThat(l.get("instance")).isEqualTo(server.address());

        head.close();
        head = new Head();
        loop("honor_labels: true").scrapeAndReport(T0);
        Labels h = Stored.named(head, "m").getFirst().labels();
        assertThat(h.get("job")).isEqualTo("inner");
        assertThat(h.get("instance")).isEqualTo("i");
    }

    @Test
    void scrape_metricRelabeling_dropsAndRewrites() throws Exception {
        server.body = "keep_me{x=\"1\"} 1\ndrop_me 2\n";
        ScrapeLoop l = loop("""
                metric_relabel_configs:
                  - source_labels: [__name__]
                    regex: drop_me
                    action: drop
                  - source_labels: [job]
                    target_label: seen_job
                """);
        l.scrapeAndReport(T0);
        l.scrapeAndReport(T0 + STEP);
        assertThat(Stored.named(head, "drop_me")).isEmpty();
        assertThat(Stored.named(head, "keep_me")).hasSize(2).first()
                .extracting(s -> s.labels().get("seen_job")).isEqualTo("test");
        assertThat(Stored.valuesAt(head, "scrape_samples_scraped", T0 + STEP)).containsExactly(2.0);
        assertThat(Stored.valuesAt(head, "scrape_samples_post_metric_relabeling", T0 + STEP)).containsExactly(1.0);
    }

    @Test
    void scrape_missingContentType_failsUnlessFallback() throws Exception {
        server.contentType = null;
        server.body = "a 1\n";
        ScrapeLoop l = loop("");
        l.scrapeAndReport(T0);
        assertThat(l.target().lastError()).contains("blank Content-Type").contains("no fallback_scrape_protocol");

        l = loop("fallback_scrape_protocol: PrometheusText0.0.4");
        l.scrapeAndReport(T0 + STEP);
        assertThat(l.target().lastError()).isEmpty();
        assertThat(Stored.valuesAt(head, "a", T0 + STEP)).containsExactly(1.0);
    }

    @Test
    void scrape_basicAuth_sentAndChecked() throws Exception {
        server.requiredAuthorization = "Basic dXNlcjpwYXNz"; // user:pass
        server.body = "a 1\n";
        ScrapeLoop l = loop("basic_auth: {username: user, password: wrong}");
        l.scrapeAndReport(T0);
        assertThat(l.target().lastError()).isEqualTo("server returned HTTP status 401 Unauthorized");
        l = loop("basic_auth: {username: user, password: pass}");
        l.scrapeAndReport(T0 + STEP);
        assertThat(l.target().lastError()).isEmpty();
    }

    @Test
    void scrape_bearerToken_sent() throws Exception {
        server.requiredAuthorization = "Bearer tok";
        server.body = "a 1\n";
        ScrapeLoop l = loop("authorization: {credentials: tok}");
        l.scrapeAndReport(T0);
        assertThat(l.target().lastError()).isEmpty();
    }

    @Test
    void scrape_proxyUrl_requestGoesThroughProxy() throws Exception {
        server.body = "via_proxy 1\n";
        String yaml = "scrape_configs:\n  - job_name: p\n    proxy_url: " + server.url("") + "\n";
        ScrapeConfig c = ScrapeConfigs.parse(yaml, "t", GlobalConfig.defaults()).getFirst();
        client = HttpClients.create(c, "p");
        TargetGroup g = new TargetGroup("0", List.of(Labels.of("__address__", "target.invalid:9100")), Labels.EMPTY);
        Target t = new TargetBuilder(c).build(g, g.targets().getFirst()).target();
        new ScrapeLoop(t, c, new HttpScraper(client, c, t), head, new ScrapeCache(), ScrapeOptions.DEFAULT).scrapeAndReport(T0);
        assertThat(t.lastError()).isEmpty();
        assertThat(server.lastHost).isEqualTo("target.invalid");
        assertThat(Stored.valuesAt(head, "via_proxy", T0)).containsExactly(1.0);
    }

    @Test
    void scrape_httpHeaders_sent(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path f = dir.resolve("h");
        java.nio.file.Files.writeString(f, "from-file\n");
        server.body = "a 1\n";
        loop("http_headers: {X-Custom: {files: [" + f + "]}}").scrapeAndReport(T0);
        assertThat(server.lastCustomHeader).isEqualTo("from-file");
    }

    @Test
    void scrape_parseError_failsScrapeWithLine() throws Exception {
        server.body = "a 1\nthis is not { valid\n";
        ScrapeLoop l = loop("");
        l.scrapeAndReport(T0);
        assertThat(l.target().health()).isEqualTo(Target.Health.DOWN);
        assertThat(l.target().lastError()).isNotEmpty();
        assertThat(Stored.named(head, "a")).isEmpty();
    }

    @Test
    void scrape_extraMetrics_reportLimitsAndBodySize() throws Exception {
        server.body = "a 1\n";
        loop("sample_limit: 10\nscrape_timeout: 5s", new ScrapeOptions(true, 0)).scrapeAndReport(T0);
        assertThat(Stored.valuesAt(head, "scrape_sample_limit", T0)).containsExactly(10.0);
        assertThat(Stored.valuesAt(head, "scrape_timeout_seconds", T0)).containsExactly(5.0);
        assertThat(Stored.valuesAt(head, "scrape_body_size_bytes", T0)).containsExactly(4.0);
    }

    @Test
    void scrape_targetLabelsFromRelabeling_areAttached() throws Exception {
        server.body = "a 1\n";
        ScrapeLoop l = loop("""
                relabel_configs:
                  - target_label: team
                    replacement: infra
                """);
        l.scrapeAndReport(T0);
        assertThat(Stored.samples(head, Matcher.equal("team", "infra"))).isNotEmpty();
    }

    @Test
    void offset_isWithinIntervalAndStablePerTarget() {
        long interval = 15_000_000_000L;
        for (long now = 0; now < 3 * interval; now += 1_234_567_891L) {
            long o = ScrapeLoop.offsetNanos(interval, 42, 7, now);
            assertThat(o).isBetween(0L, interval);
            // The scrape lands on the same phase of the interval whatever "now" is.
            assertThat(Math.floorMod(now + o, interval)).isEqualTo(Long.remainderUnsigned(42 ^ 7, interval));
        }
    }
}
