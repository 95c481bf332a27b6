package io.specula.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.scrape.config.GlobalConfig;
import io.specula.scrape.config.ScrapeConfig;
import io.specula.scrape.config.ScrapeConfigs;
import io.specula.discovery.TargetGroup;
import io.specula.httpclient.HttpClients;
import io.specula.tsdb.head.Head;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scrapes a real client_golang exporter — Debian's Prometheus serving its own {@code /metrics}
 * — in each exposition format it negotiates, so the parsers meet real output. Skipped with a
 * message when {@code /usr/bin/prometheus} is not installed.
 */
class RealExporterScrapeTest {
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"[OpenMetricsText1.0.0]", "[PrometheusText0.0.4]", "[OpenMetricsText1.0.0, PrometheusText0.0.4]", "[PrometheusProto]"})
    void scrape_realPrometheusMetrics(String protocols) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PROMETHEUS), "prometheus not found at " + PROMETHEUS + "; skipping");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path cfg = dir.resolve("prometheus.yml");
        Files.writeString(cfg, "global: {scrape_interval: 1h}\n");
        Process p = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + cfg, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        HttpClient client = null;
        try (Head head = new Head()) {
            ScrapeConfig c = ScrapeConfigs.parse("scrape_configs: [{job_name: prom, scrape_protocols: " + protocols + "}]", "t",
                    GlobalConfig.defaults()).getFirst();
            client = HttpClients.create(c, "prom");
            TargetGroup g = new TargetGroup("0", List.of(Labels.of("__address__", "127.0.0.1:" + port)), Labels.EMPTY);
            Target t = new TargetBuilder(c).build(g, g.targets().getFirst()).target();
            ScrapeLoop loop = new ScrapeLoop(t, c, new HttpScraper(client, c, t), head, new ScrapeCache(), ScrapeOptions.DEFAULT);
            long time = 1_700_000_000_000L;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            do {
                Thread.sleep(200);
                loop.scrapeAndReport(time += 1000);
            } while (t.health() != Target.Health.UP && System.nanoTime() < deadline && !t.lastError().contains("parse"));
            assertThat(t.lastError()).isEmpty();
            List<Stored.Sample> scraped = Stored.named(head, "scrape_samples_scraped");
            assertThat(scraped.getLast().v()).isGreaterThan(100);
            assertThat(Stored.named(head, "prometheus_build_info")).isNotEmpty();
        } finally {
            HttpClients.stopQuietly(client);
            p.destroy();
            p.waitFor();
        }
    }
}
