package io.specula.scrape.config;

import io.specula.discovery.config.ConfigValidationException;
import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.config.ConfigException;
import io.specula.model.config.YamlConfigLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scrape part of a prometheus.yml accepted or refused as {@code promtool check config}
 * (Debian's 2.42) does, with the same message. Only keys 2.42 knows are used. Skipped with a
 * message when promtool is not installed.
 */
class PromtoolCheckConfigDifferentialTest {
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final Pattern FAILED = Pattern.compile("FAILED: parsing YAML file [^:]+: (.*)");

    @TempDir
    Path dir;

    /** The two top-level keys this module owns; the rest of prometheus.yml belongs elsewhere. */
    public static final class Top {
        public GlobalConfig global;
        public List<ScrapeConfig> scrapeConfigs;
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "scrape_configs: [{job_name: a, scrape_interval: 5s, scrape_timeout: 10s}]",
        "scrape_configs: [{job_name: a}, {job_name: a}]",
        "scrape_configs: [{job_name: a, bearer_token: x, basic_auth: {username: u}}]",
        "scrape_configs: [{job_name: a, static_configs: [{targets: ['http://x:1/m']}]}]",
        "scrape_configs: [{job_name: a, relabel_configs: [{action: nope}]}]",
        "scrape_configs: [{job_name: a, relabel_configs: [{action: hashmod, target_label: x}]}]",
        "scrape_configs: [{job_name: a, file_sd_configs: [{files: [x.txt]}]}]",
        "scrape_configs: [{job_name: a, file_sd_configs: [{files: []}]}]",
        "scrape_configs: [{metrics_path: /x}]",
        "scrape_configs: [{job_name: a, http_sd_configs: [{url: 'ftp://x/y'}]}]",
        "scrape_configs: [{job_name: a, authorization: {type: basic, credentials: x}}]",
        "scrape_configs: [{job_name: a, bearer_token: x, bearer_token_file: /y}]",
        "global: {scrape_interval: 5s, scrape_timeout: 6s}",
        "global: {scrape_interval: 5s}\nscrape_configs: [{job_name: a, scrape_timeout: 10s}]",
        "scrape_configs: [{job_name: a, scrape_intervall: 5s}]",
        "scrape_configs: [{job_name: a, sample_limit: -1}]",
        // valid
        "scrape_configs: [{job_name: a, static_configs: [{targets: ['h:1'], labels: {env: prod}}]}]",
        "global: {scrape_interval: 15s, external_labels: {region: eu}}\nscrape_configs: [{job_name: a, honor_labels: true,"
                + " params: {m: [x]}, basic_auth: {username: u, password: p}, tls_config: {insecure_skip_verify: true},"
                + " file_sd_configs: [{files: ['t/*.json'], refresh_interval: 1m}],"
                + " http_sd_configs: [{url: 'http://sd/x'}],"
                + " metric_relabel_configs: [{source_labels: [__name__], regex: 'go_.*', action: drop}]}]",
    })
    void checkConfig_sameVerdictAndMessageAsPromtool(String yaml) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PROMTOOL), "promtool not found at " + PROMTOOL + "; skipping differential test");
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, yaml + "\n");
        Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "config", "--syntax-only", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        boolean promtoolOk = p.exitValue() == 0;

        String ours = null;
        try {
            Top top = YamlConfigLoader.parse(yaml, "prometheus.yml", Top.class);
            GlobalConfig g = top.global == null ? new GlobalConfig() : top.global;
            try {
                g.applyDefaults();
            } catch (ConfigValidationException e) {
                throw new ConfigException("prometheus.yml: " + e.getMessage());
            }
            ScrapeConfigs.validateAll(top.scrapeConfigs == null ? List.of() : top.scrapeConfigs, g, "prometheus.yml");
        } catch (ConfigException e) {
            ours = e.getMessage();
        }
        assertThat(ours == null).as("accepted? promtool said:\n%s\nSpecula said: %s", out, ours).isEqualTo(promtoolOk);
        Matcher m = FAILED.matcher(out);
        // Decoding errors are worded by Go's YAML library; ours name file, line and key instead.
        if (ours != null && m.find() && !m.group(1).startsWith("yaml: unmarshal errors")) {
            assertThat(ours).isEqualTo("prometheus.yml: " + m.group(1).strip());
        }
    }
}
