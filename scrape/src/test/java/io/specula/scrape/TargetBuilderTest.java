package io.specula.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.scrape.config.GlobalConfig;
import io.specula.scrape.config.ScrapeConfig;
import io.specula.scrape.config.ScrapeConfigs;
import io.specula.discovery.TargetGroup;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetBuilderTest {
    private static TargetBuilder.Result build(String extraYaml, Labels groupLabels, Labels target) throws Exception {
        ScrapeConfig c = ScrapeConfigs.parse("scrape_configs:\n  - job_name: j\n" + extraYaml.indent(4), "t",
                GlobalConfig.defaults()).getFirst();
        return new TargetBuilder(c).build(new TargetGroup("0", List.of(target), groupLabels), target);
    }

    @Test
    void build_defaultsMetaDropAndInstance() throws Exception {
        TargetBuilder.Result r = build("", Labels.of("__meta_zone", "z", "env", "p"), Labels.of("__address__", "h:1"));
        Target t = r.target();
        assertThat(t.labels().get("__meta_zone")).isEmpty();
        assertThat(r.discovered().get("__meta_zone")).isEqualTo("z");
        assertThat(t.publicLabels()).isEqualTo(Labels.of("env", "p", "instance", "h:1", "job", "j"));
        assertThat(t.url()).isEqualTo("http://h:1/metrics");
        assertThat(t.intervalMillis()).isEqualTo(60_000);
        assertThat(t.timeoutMillis()).isEqualTo(10_000);
    }

    @Test
    void build_targetLabelsOverrideGroupLabels() throws Exception {
        Target t = build("", Labels.of("env", "group"), Labels.of("__address__", "h:1", "env", "target")).target();
        assertThat(t.publicLabels().get("env")).isEqualTo("target");
    }

    @Test
    void build_perTargetIntervalFromLabels() throws Exception {
        Target t = build("", Labels.of("__scrape_interval__", "5s", "__scrape_timeout__", "2s"),
                Labels.of("__address__", "h:1")).target();
        assertThat(t.intervalMillis()).isEqualTo(5000);
        assertThat(t.timeoutMillis()).isEqualTo(2000);
    }

    @Test
    void build_badIntervalsAndAddress_areErrors() throws Exception {
        assertThat(build("", Labels.of("__scrape_interval__", "5s", "__scrape_timeout__", "6s"),
                Labels.of("__address__", "h:1")).error())
                .isEqualTo("scrape timeout cannot be greater than scrape interval (\"6s\" > \"5s\")");
        assertThat(build("", Labels.of("__scrape_interval__", "0s"), Labels.of("__address__", "h:1")).error())
                .isEqualTo("scrape interval cannot be 0");
        assertThat(build("", Labels.of("__scrape_interval__", "x"), Labels.of("__address__", "h:1")).error())
                .startsWith("error parsing scrape interval: ");
        assertThat(build("relabel_configs: [{target_label: __address__, replacement: ''}]", Labels.EMPTY,
                Labels.of("__address__", "h:1")).error()).isEqualTo("no address");
    }

    @Test
    void build_droppedByRelabeling_keepsDiscoveredLabels() throws Exception {
        TargetBuilder.Result r = build("relabel_configs: [{source_labels: [env], regex: dev, action: drop}]",
                Labels.of("env", "dev"), Labels.of("__address__", "h:1"));
        assertThat(r.dropped()).isTrue();
        assertThat(r.discovered().get("job")).isEqualTo("j");
    }

    @Test
    void build_paramLabelsOverrideConfiguredParams() throws Exception {
        Target t = build("""
                params: {module: [a, b], x: [1]}
                relabel_configs:
                  - source_labels: [__address__]
                    target_label: __param_target
                  - target_label: __address__
                    replacement: exporter:9115
                """, Labels.EMPTY, Labels.of("__address__", "example.com:443")).target();
        assertThat(t.url()).isEqualTo("http://exporter:9115/metrics?module=a&module=b&target=example.com%3A443&x=1");
        assertThat(t.publicLabels().get("instance")).isEqualTo("exporter:9115");
    }
}
