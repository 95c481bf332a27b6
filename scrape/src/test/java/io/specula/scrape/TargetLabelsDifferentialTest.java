package io.specula.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.scrape.config.GlobalConfig;
import io.specula.scrape.config.ScrapeConfig;
import io.specula.scrape.config.ScrapeConfigs;
import io.specula.discovery.config.StaticConfig;
import io.specula.discovery.StaticDiscoverer;
import io.specula.discovery.TargetGroup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Target labels (discovered and after relabeling) compared with {@code promtool check
 * service-discovery} on the same configuration. Debian's promtool is 2.42, which adds default
 * ports to addresses (Prometheus 3 does not), so every address here has a port.
 * Skipped with a message when promtool is not installed.
 */
class TargetLabelsDifferentialTest {
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    @ParameterizedTest
    @ValueSource(strings = {
        """
        scrape_interval: 30s
        params: {module: [m1]}
        static_configs:
          - targets: ['a:1', 'b:2']
            labels: {__meta_x: y, env: prod}
        relabel_configs:
          - {source_labels: [__address__], regex: 'b:2', action: drop}
          - {source_labels: [__meta_x], target_label: x}
        """,
        """
        static_configs:
          - targets: ['example.com:443', 'other.org:80']
            labels: {__meta_dc: eu1, __meta_rack: r7}
        relabel_configs:
          - {source_labels: [__address__], target_label: __param_target}
          - {source_labels: [__param_target], target_label: instance}
          - {target_label: __address__, replacement: 'blackbox:9115'}
          - {regex: '__meta_(.+)', action: labelmap, replacement: 'meta_$1'}
          - {source_labels: [__address__], modulus: 4, target_label: shard, action: hashmod}
          - {target_label: __scheme__, replacement: https}
          - {target_label: __metrics_path__, replacement: /probe}
        """,
        """
        scrape_interval: 10s
        scrape_timeout: 5s
        static_configs:
          - targets: ['h1:9100', 'h2:9100', 'h3:9100']
            labels: {__scrape_interval__: 20s, team: a, drop_me: x}
          - targets: ['h4:9100']
        relabel_configs:
          - {regex: drop_me, action: labeldrop}
          - {source_labels: [__address__], regex: 'h(\\d):.*', target_label: host_no, replacement: 'n$1'}
          - {source_labels: [team], regex: '', action: drop}
          - {source_labels: [__address__], regex: 'h3:.*', action: drop}
        """})
    void targetLabels_matchPromtool(String job) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PROMTOOL), "promtool not found at " + PROMTOOL + "; skipping differential test");
        String yaml = "scrape_configs:\n  - job_name: diff\n" + job.indent(4);
        Path file = Files.createTempFile("sd", ".yml");
        try {
            Files.writeString(file, yaml);
            Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "service-discovery", "--timeout=2s", file.toString(), "diff")
                    .redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            JsonNode expected = JsonMapper.builder().build().readTree(out);

            ScrapeConfig c = ScrapeConfigs.parse(yaml, file.toString(), GlobalConfig.defaults()).getFirst();
            TargetBuilder tb = new TargetBuilder(c);
            List<Labels[]> ours = new ArrayList<>();
            for (int i = 0; i < c.staticConfigs().size(); i++) {
                StaticConfig sc = c.staticConfigs().get(i);
                TargetGroup g = StaticDiscoverer.toGroup(sc, Integer.toString(i), null);
                for (Labels t : g.targets()) {
                    TargetBuilder.Result r = tb.build(g, t);
                    assertThat(r.error()).isNull();
                    ours.add(new Labels[] {r.discovered(), r.dropped() ? Labels.EMPTY : r.target().labels()});
                }
            }
            assertThat(ours).hasSize(expected.size());
            // promtool 2.42 prints discovered labels that labeldrop/labelkeep already edited in place
            // (its builder shares their memory); only the relabeled labels are comparable then.
            boolean discoveredComparable = !yaml.contains("labeldrop") && !yaml.contains("labelkeep");
            // promtool does not promise an order of targets across target groups: compare as multisets.
            List<String> oursRendered = new ArrayList<>(), theirs = new ArrayList<>();
            for (int i = 0; i < ours.size(); i++) {
                oursRendered.add((discoveredComparable ? ours.get(i)[0] : "") + " -> " + ours.get(i)[1]);
                JsonNode t = expected.get(i);
                theirs.add((discoveredComparable ? toLabels(t.get("discoveredLabels")) : "") + " -> " + toLabels(t.get("labels")));
            }
            assertThat(oursRendered).as("targets (discovered -> relabeled)").containsExactlyInAnyOrderElementsOf(theirs);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static Labels toLabels(JsonNode obj) {
        LabelsBuilder b = new LabelsBuilder();
        obj.properties().forEach(e -> b.set(e.getKey(), e.getValue().asString()));
        return b.build();
    }
}
