package io.specula.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.discovery.TargetGroup;
import io.specula.httpclient.HttpClients;
import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import io.specula.scrape.config.GlobalConfig;
import io.specula.scrape.config.ScrapeConfig;
import io.specula.scrape.config.ScrapeConfigs;
import io.specula.testsupport.TestServer;
import io.specula.tsdb.exemplar.CircularExemplarStorage;
import io.specula.tsdb.head.Head;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.Test;

/** OpenMetrics exemplars reach the head's exemplar storage through the scrape loop. */
class ScrapeExemplarsTest {
    private static final long T0 = 1_700_000_000_000L;

    @Test
    void scrape_openMetricsExemplars_storedWithScrapeTimeWhenNoneGiven() throws Exception {
        ScrapeMetrics metrics = new ScrapeMetrics();
        try (TestServer server = new TestServer(); Head head = new Head()) {
            head.useExemplarStorage(new CircularExemplarStorage(100));
            server.contentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";
            server.body = """
                    # TYPE req counter
                    req_total{code="200"} 10 # {trace_id="abc"} 1.5 1700000000.5
                    req_total{code="500"} 2 # {trace_id="def"} 0.25
                    # EOF
                    """;
            String yaml = "scrape_configs:\n  - job_name: test\n    scrape_interval: 15s\n";
            ScrapeConfig c = ScrapeConfigs.parse(yaml, "test.yml", GlobalConfig.defaults()).getFirst();
            HttpClient client = HttpClients.create(c, "test");
            try {
                TargetGroup g = new TargetGroup("0", List.of(Labels.of("__address__", server.address())), Labels.EMPTY);
                Target t = new TargetBuilder(c).build(g, g.targets().getFirst()).target();
                ScrapeLoop l = new ScrapeLoop(t, c, new HttpScraper(client, c, t, ScrapeOptions.DEFAULT.maxBodyBytes()), head,
                        new ScrapeCache(), ScrapeOptions.DEFAULT, metrics);
                l.scrapeAndReport(T0);
                l.scrapeAndReport(T0 + 15_000); // the same exemplars again: duplicates, not stored twice
                server.body = server.body.replace("1.5 1700000000.5", "1.5 1699999999"); // older: out of order
                l.scrapeAndReport(T0 + 30_000);
            } finally {
                HttpClients.stopQuietly(client);
            }
            var r = head.exemplarStorage().select(Long.MIN_VALUE, Long.MAX_VALUE,
                    List.<Matcher[]>of(new Matcher[] {Matcher.equal("__name__", "req_total")}));
            assertThat(r).hasSize(2);
            assertThat(r.get(0).seriesLabels().get("code")).isEqualTo("200");
            assertThat(r.get(0).exemplars()).containsExactly(
                    new CircularExemplarStorage.Exemplar(Labels.of("trace_id", "abc"), 1.5, 1_700_000_000_500L));
            assertThat(r.get(1).exemplars()).containsExactly(
                    new CircularExemplarStorage.Exemplar(Labels.of("trace_id", "def"), 0.25, T0));
            assertThat(metrics.snapshot().get("prometheus_target_scrapes_exemplar_out_of_order_total")).isEqualTo(1L);
            assertThat(head.exemplarStorage().stats().appended()).isEqualTo(2);
        }
    }
}
