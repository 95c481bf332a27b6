package io.specula.scrape;

import io.specula.testsupport.TestServer;
import io.specula.testsupport.Await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.config.ConfigException;
import io.specula.model.labels.Labels;
import io.specula.scrape.config.GlobalConfig;
import io.specula.scrape.config.ScrapeConfig;
import io.specula.scrape.config.ScrapeConfigs;
import io.specula.tsdb.head.Head;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery, manager, pools and loops together, on real threads against loopback targets. */
class ScrapeManagerTest {
    @TempDir
    Path dir;

    private TestServer a;
    private TestServer b;
    private Head head;
    private ScrapeService service;
    private ScrapeManager scrape;

    @BeforeEach
    void setUp() throws Exception {
        a = new TestServer();
        b = new TestServer();
        a.body = "from_a 1\n";
        b.body = "from_b 2\n";
        head = new Head();
        service = new ScrapeService(head, ScrapeOptions.DEFAULT, dir, 50);
        scrape = service.scrapeManager();
    }

    @AfterEach
    void tearDown() throws Exception {
        service.close();
        a.close();
        b.close();
        head.close();
    }

    private List<ScrapeConfig> configs(String yaml) throws ConfigException {
        return ScrapeConfigs.parse(yaml, "prometheus.yml", GlobalConfig.defaults());
    }

    private void apply(String yaml) throws ConfigException {
        service.applyConfig(configs(yaml));
    }

    @Test
    void staticTargets_scrapedRepeatedlyAndReportedUp() throws Exception {
        apply("""
                scrape_configs:
                  - job_name: a
                    scrape_interval: 200ms
                    static_configs: [{targets: ['%s']}]
                """.formatted(a.address()));
        Await.until(Duration.ofSeconds(10), () -> a.requests.get() >= 3);
        Await.until(Duration.ofSeconds(5), () -> {
            try {
                return Stored.named(head, "from_a").size() >= 2;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        List<TargetStatus> ts = scrape.targetStatuses();
        assertThat(ts).hasSize(1);
        assertThat(ts.getFirst().health()).isEqualTo(Target.Health.UP);
        assertThat(ts.getFirst().scrapeUrl()).isEqualTo(a.url("/metrics"));
        assertThat(ts.getFirst().labels()).isEqualTo(Labels.of("instance", a.address(), "job", "a"));
        assertThat(scrape.scrapePools()).containsExactly("a");
    }

    @Test
    void httpSdTargets_scrapedWithMetaLabelsUsableInRelabeling() throws Exception {
        try (TestServer sd = new TestServer()) {
            sd.contentType = "application/json";
            sd.body = "[{\"targets\": [\"%s\"], \"labels\": {\"__meta_team\": \"infra\"}}]".formatted(a.address());
            apply("""
                    scrape_configs:
                      - job_name: http
                        scrape_interval: 100ms
                        http_sd_configs: [{url: '%s', refresh_interval: 1s}]
                        relabel_configs: [{source_labels: [__meta_team], target_label: team}]
                    """.formatted(sd.url("/targets")));
            Await.until(Duration.ofSeconds(10), () -> stored("from_a"));
            assertThat(Stored.named(head, "from_a").getFirst().labels().get("team")).isEqualTo("infra");
            assertThat(scrape.activeTargets().get("http").getFirst().discoveredLabels().get("__meta_url"))
                    .isEqualTo(sd.url("/targets"));
        }
    }

    @Test
    void fileSdTargetRemoved_loopStopsWithStalenessMarkers() throws Exception {
        Path f = dir.resolve("targets.json");
        Files.writeString(f, "[{\"targets\": [\"%s\", \"%s\"]}]".formatted(a.address(), b.address()));
        apply("""
                scrape_configs:
                  - job_name: files
                    scrape_interval: 100ms
                    file_sd_configs: [{files: ['*.json'], refresh_interval: 1s}]
                """);
        Await.until(Duration.ofSeconds(10), () -> stored("from_a") && stored("from_b"));
        assertThat(scrape.activeTargets().get("files")).hasSize(2);

        Files.writeString(f, "[{\"targets\": [\"%s\"]}]".formatted(a.address()));
        Await.until(Duration.ofSeconds(10), () -> scrape.activeTargets().get("files").size() == 1);
        List<Stored.Sample> fromB = Stored.named(head, "from_b");
        assertThat(fromB).last().matches(Stored.Sample::stale);
        assertThat(Stored.named(head, "up").stream()
                .filter(s -> s.labels().get("instance").equals(b.address()))).last().matches(Stored.Sample::stale);
        assertThat(Stored.named(head, "from_a")).noneMatch(Stored.Sample::stale);
    }

    @Test
    void reload_unchangedPoolKeepsRunningChangedPoolRestartsRemovedPoolStops() throws Exception {
        String jobA = """
                  - job_name: a
                    scrape_interval: 100ms
                    static_configs: [{targets: ['%s']}]
                """.formatted(a.address());
        String jobB = """
                  - job_name: b
                    scrape_interval: 100ms
                    static_configs: [{targets: ['%s']}]
                """.formatted(b.address());
        apply("scrape_configs:\n" + jobA + jobB);
        Await.until(Duration.ofSeconds(10), () -> stored("from_a") && stored("from_b"));
        ScrapePool poolA = scrape.pool("a");
        Target targetA = poolA.activeTargets().getFirst();

        apply("scrape_configs:\n" + jobA); // b removed
        assertThat(scrape.pool("a")).isSameAs(poolA);
        assertThat(poolA.activeTargets().getFirst()).isSameAs(targetA);
        assertThat(scrape.scrapePools()).containsExactly("a");
        assertThat(Stored.named(head, "from_b")).last().matches(Stored.Sample::stale);

        apply("scrape_configs:\n" + jobA.replace("100ms", "150ms")); // a changed
        assertThat(scrape.pool("a")).isSameAs(poolA); // same pool, restarted loops
        Await.until(Duration.ofSeconds(10), () -> !poolA.activeTargets().isEmpty()
                && poolA.activeTargets().getFirst() != targetA);
        assertThat(poolA.activeTargets().getFirst().intervalMillis()).isEqualTo(150);
        assertThat(scrape.metrics().snapshot()).containsEntry("prometheus_target_scrape_pool_reloads_total", 1L);
        assertThat(Stored.named(head, "from_a")).noneMatch(Stored.Sample::stale); // cache handed over
    }

    private boolean stored(String name) {
        try {
            return !Stored.named(head, name).isEmpty();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void reload_targetLabelsChange_oldSeriesMarkedStale() throws Exception {
        String job = """
                  - job_name: a
                    scrape_interval: 100ms
                    static_configs: [{targets: ['%s'], labels: {env: one}}]
                """.formatted(a.address());
        apply("scrape_configs:\n" + job);
        Await.until(Duration.ofSeconds(10), () -> stored("from_a"));
        apply("scrape_configs:\n" + job.replace("env: one", "env: two"));
        Await.until(Duration.ofSeconds(10), () -> {
            try {
                List<Stored.Sample> one = Stored.samples(head, io.specula.model.labels.Matcher.equal("__name__", "from_a"),
                        io.specula.model.labels.Matcher.equal("env", "one"));
                return one.getLast().stale();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        Await.until(Duration.ofSeconds(10), () -> {
            try {
                return !Stored.samples(head, io.specula.model.labels.Matcher.equal("env", "two")).isEmpty();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void reload_metricRelabelingChanged_freshCacheAndOldSeriesStale() throws Exception {
        String job = """
                  - job_name: a
                    scrape_interval: 100ms
                    static_configs: [{targets: ['%s']}]
                """.formatted(a.address());
        apply("scrape_configs:\n" + job);
        Await.until(Duration.ofSeconds(10), () -> stored("from_a"));
        apply("scrape_configs:\n" + job + "    metric_relabel_configs: [{target_label: v, replacement: '2'}]\n");
        // Right after the reload: the old series ended with a marker.
        List<Stored.Sample> old = Stored.samples(head, io.specula.model.labels.Matcher.equal("__name__", "from_a"),
                io.specula.model.labels.Matcher.equal("v", ""));
        assertThat(old).last().matches(Stored.Sample::stale);
        Await.until(Duration.ofSeconds(10), () -> {
            try {
                return !Stored.samples(head, io.specula.model.labels.Matcher.equal("v", "2")).isEmpty();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void droppedTargets_keptUpToKeepDroppedTargets() throws Exception {
        apply("""
                scrape_configs:
                  - job_name: d
                    keep_dropped_targets: 1
                    static_configs: [{targets: ['x:1', 'y:1', 'z:1']}]
                    relabel_configs: [{source_labels: [__address__], regex: 'x:1', action: keep}]
                """);
        Await.until(Duration.ofSeconds(10), () -> scrape.droppedTargetCounts().getOrDefault("d", 0) == 2);
        assertThat(scrape.droppedTargets().get("d")).hasSize(1);
        assertThat(scrape.activeTargets().get("d")).hasSize(1);
    }

    @Test
    void targetLimit_failsAllTargetsOfThePool() throws Exception {
        apply("""
                scrape_configs:
                  - job_name: l
                    scrape_interval: 100ms
                    target_limit: 1
                    static_configs: [{targets: ['%s', '%s']}]
                """.formatted(a.address(), b.address()));
        Await.until(Duration.ofSeconds(10), () -> scrape.targetStatuses().size() == 2
                && scrape.targetStatuses().stream().allMatch(t -> t.health() == Target.Health.DOWN));
        assertThat(scrape.targetStatuses().getFirst().lastError())
                .isEqualTo("target_limit exceeded (number of targets: 2, limit: 1)");
        assertThat(scrape.metrics().snapshot().get("prometheus_target_scrape_pool_exceeded_target_limit_total")).isPositive();
    }

    @Test
    void applyConfig_unreadableCaFile_refusedAndRunningConfigKept() throws Exception {
        apply("""
                scrape_configs:
                  - job_name: a
                    static_configs: [{targets: ['%s']}]
                """.formatted(a.address()));
        ScrapePool before = scrape.pool("a");
        List<ScrapeConfig> bad = configs("""
                scrape_configs:
                  - job_name: a
                    tls_config: {ca_file: /nonexistent/ca.pem}
                """);
        assertThatThrownBy(() -> scrape.applyConfig(bad))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("error creating HTTP client for scrape config \"a\"")
                .hasMessageContaining("/nonexistent/ca.pem");
        assertThat(scrape.pool("a")).isSameAs(before);
    }
}
