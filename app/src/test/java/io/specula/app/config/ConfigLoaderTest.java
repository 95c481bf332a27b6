package io.specula.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        return f;
    }

    @Test
    void load_scrapeConfigFilesGlob_mergesJobsInSortedFileOrder() throws Exception {
        write("jobs/b.yml", "scrape_configs:\n  - job_name: b\n    static_configs: [{targets: ['b:1']}]\n");
        write("jobs/a.yml", "scrape_configs:\n  - job_name: a\n    static_configs: [{targets: ['a:1']}]\n");
        Path f = write("prometheus.yml", "scrape_config_files: ['jobs/*.yml']\nscrape_configs:\n  - job_name: main\n"
                + "    static_configs: [{targets: ['m:1']}]\n");
        ConfigLoader.Loaded c = ConfigLoader.load(f);
        assertThat(c.scrapeConfigs()).extracting(sc -> sc.jobName).containsExactly("main", "a", "b");
    }

    @Test
    void load_jobRepeatedInScrapeConfigFile_isRefused() throws Exception {
        write("jobs/a.yml", "scrape_configs:\n  - job_name: main\n    static_configs: [{targets: ['a:1']}]\n");
        Path f = write("prometheus.yml", "scrape_config_files: ['jobs/*.yml']\nscrape_configs:\n  - job_name: main\n"
                + "    static_configs: [{targets: ['m:1']}]\n");
        assertThatThrownBy(() -> ConfigLoader.load(f)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("found multiple scrape configs with job name \"main\"");
    }

    @Test
    void load_ruleFiles_resolvedAgainstConfigDirectory() throws Exception {
        Path f = write("prometheus.yml", "rule_files: ['rules/*.yml', '/abs/x.yml']\n");
        assertThat(ConfigLoader.load(f).ruleFiles()).containsExactly(dir.resolve("rules/*.yml").toString(), "/abs/x.yml");
        assertThat(ConfigLoader.parse("rule_files: ['./r.yml']", Path.of("prometheus.yml"), dir).ruleFiles())
                .containsExactly("r.yml");
    }

    @Test
    void load_unsupportedFeature_namesFileLineAndKey() throws Exception {
        Path f = write("prometheus.yml", "global:\n  scrape_interval: 15s\ntracing:\n  endpoint: x:4317\n");
        assertThatThrownBy(() -> ConfigLoader.load(f)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("parsing YAML file " + f + ": 4:")
                .hasMessageContaining("tracing is not supported yet by Specula");
    }

    @Test
    void load_outOfOrderWindowAndRuntimeBlock_areRead() throws Exception {
        Path f = write("prometheus.yml", "runtime:\n  gogc: 75\nstorage:\n  tsdb:\n    out_of_order_time_window: 30m\n");
        assertThat(ConfigLoader.load(f).outOfOrderTimeWindowMillis()).isEqualTo(30 * 60_000L);
    }

    @Test
    void load_missingFile_saysSo() {
        Path f = dir.resolve("nope.yml");
        assertThatThrownBy(() -> ConfigLoader.load(f)).hasMessage("parsing YAML file " + f + ": no such file");
    }

    @Test
    void embeddedDefault_scrapesItselfAndTheHostEvery15s() throws Exception {
        ConfigLoader.Loaded c = ConfigLoader.parse(ConfigLoader.embeddedDefault("localhost:9090", "rules.yml"),
                Path.of("<embedded>"), dir);
        assertThat(c.global().scrapeInterval.millis()).isEqualTo(15_000);
        assertThat(c.scrapeConfigs()).hasSize(2);
        assertThat(c.scrapeConfigs().get(0).jobName).isEqualTo("specula");
        assertThat(c.scrapeConfigs().get(0).staticConfigs().get(0).targets).containsExactly("localhost:9090");
        assertThat(c.scrapeConfigs().get(1).jobName).isEqualTo("node");
        assertThat(c.scrapeConfigs().get(1).staticConfigs().get(0).targets).containsExactly("localhost:9090");
        assertThat(c.ruleFiles()).containsExactly("rules.yml");
        assertThat(c.yaml()).contains("job_name: \"specula\"").contains("/node/metrics");
        assertThat(ConfigLoader.defaultRules()).contains("HostOutOfMemory");
        ConfigLoader.Loaded prefixed = ConfigLoader.parse(ConfigLoader.embeddedDefault("localhost:9090", "rules.yml", "/prom"),
                Path.of("<embedded>"), dir);
        assertThat(prefixed.yaml()).contains("/prom/metrics").contains("/prom/node/metrics");
    }

    @Test
    void yaml_redactsSecrets() throws Exception {
        Path f = write("prometheus.yml", "scrape_configs:\n  - job_name: a\n    basic_auth: {username: u, password: hunter2}\n"
                + "    static_configs: [{targets: ['a:1']}]\n");
        assertThat(ConfigLoader.load(f).yaml()).contains("<secret>").doesNotContain("hunter2");
    }
}
