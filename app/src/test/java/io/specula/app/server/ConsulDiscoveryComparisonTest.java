package io.specula.app.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.specula.testsupport.FakeConsul;
import io.specula.testsupport.RealVictoriaMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code consul_sd_configs} in Specula and in VictoriaMetrics 1.79 (Debian's Prometheus is built
 * without Consul discovery), both watching the same fake Consul: the final labels of active
 * targets and the {@code __meta_consul_*} labels must agree before and after the catalog
 * changes, except for the differences listed in docs/discovery.md, which this test pins down.
 */
class ConsulDiscoveryComparisonTest {
    @TempDir
    Path dir;

    private static final String CONFIG = """
            global: {scrape_interval: 1h}
            scrape_configs:
              - job_name: consul
                consul_sd_configs: [{server: "%1$s", refresh_interval: 1s}]
                relabel_configs:
                  - {source_labels: [__meta_consul_tags], regex: ".*,prod,.*", action: keep}
                  - {source_labels: [__meta_consul_service], target_label: service}
                  - {source_labels: [__meta_consul_health], target_label: health}
              - job_name: consul-web
                consul_sd_configs:
                  - {server: "%1$s", services: [web, api], tag_separator: ";", datacenter: dc1, refresh_interval: 1s}
                relabel_configs:
                  - {source_labels: [__meta_consul_tags], target_label: tags}
                  - {regex: __meta_consul_service_metadata_(.+), action: labelmap}
            """;

    @Test
    void targets_sameAsVictoriaMetrics_beforeAndAfterCatalogChanges() throws Exception {
        assumeTrue(RealVictoriaMetrics.available(), RealVictoriaMetrics.BINARY + " missing: install Debian's victoria-metrics (or run .ci/run)");
        try (FakeConsul consul = new FakeConsul()) {
            consul.load("state1.json");
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, CONFIG.formatted(consul.address()));
            try (RealVictoriaMetrics vm = RealVictoriaMetrics.start(config, dir.resolve("vm"), "-promscrape.consulSDCheckInterval=1s",
                            // 1.79 does not know refresh_interval in consul_sd_configs (it has the flag above instead)
                            "-promscrape.config.strictParse=false");
                    Server specula = TargetsComparison.startSpecula(config, dir.resolve("specula"))) {
                String vmUrl = vm.url("/api/v1/targets");
                String speculaUrl = "http://127.0.0.1:" + specula.port() + "/api/v1/targets";
                Map<String, Map<String, List<String>>> before;
                try {
                    before = TargetsComparison.await(vmUrl, n -> n.containsKey("consul") && n.containsKey("consul-web")
                            && n.get("consul-web").getOrDefault("active", List.of()).size() == 2);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\nVictoriaMetrics log:\n" + vm.log());
                }
                assertThat(TargetsComparison.awaitEqual(speculaUrl, before)).isEqualTo(before);

                consul.load("state2.json");
                var after = TargetsComparison.await(vmUrl, n -> TargetsComparison.mentions(n, "10.3.0.9:9000")
                        && n.get("consul-web").get("active").size() == 2
                        && n.get("consul").get("active").stream().anyMatch(t -> t.contains("health=passing, instance=10.1.0.1:5432")));
                // VictoriaMetrics keeps listing dropped targets for a while after they are gone
                // (cache-1, web-2 here); Prometheus and Specula list only the current ones
                after.remove("(all pools)");
                var ours = TargetsComparison.await(speculaUrl, n -> {
                    var m = new java.util.TreeMap<>(n);
                    m.remove("(all pools)");
                    return m.equals(after);
                });
                assertThat(ours.get("(all pools)").get("dropped")).hasSize(1).allMatch(t -> t.contains("__meta_consul_service_id=consul,"));
            }
        }
    }
}
