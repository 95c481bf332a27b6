package io.specula.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.testsupport.Await;
import io.specula.discovery.config.DiscoveryConfigs;
import io.specula.model.config.YamlConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscoveryManagerTest {
    @TempDir
    Path dir;

    private final List<Map<String, List<TargetGroup>>> updates = new CopyOnWriteArrayList<>();

    /** Named discovery sections, as a scrape job or an Alertmanager entry carries them. */
    static final class Job extends DiscoveryConfigs {
        public String jobName;
        public String scrapeInterval; // not a discovery key: changing it must keep the discoverers
    }

    static final class File {
        public List<Job> scrapeConfigs;
    }

    private static Map<String, Job> configs(String yaml) throws Exception {
        Map<String, Job> jobs = new LinkedHashMap<>();
        for (Job j : YamlConfigLoader.parse(yaml, "p.yml", File.class).scrapeConfigs) {
            j.validateHttp();
            j.validateDiscovery(false);
            jobs.put(j.jobName, j);
        }
        return jobs;
    }

    private Map<String, List<TargetGroup>> last() {
        return updates.isEmpty() ? Map.of() : updates.getLast();
    }

    @Test
    void applyConfig_sendsGroupsOfEveryJob() throws Exception {
        Files.writeString(dir.resolve("t.yml"), "- targets: ['f:1']\n");
        try (DiscoveryManager m = new DiscoveryManager(updates::add, 10, dir)) {
            m.applyConfig(configs("""
                    scrape_configs:
                      - job_name: s
                        static_configs: [{targets: ['a:1', 'b:1']}, {targets: ['c:1']}]
                      - job_name: f
                        file_sd_configs: [{files: [t.yml]}]
                      - job_name: empty
                    """));
            Await.until(Duration.ofSeconds(5), () -> last().getOrDefault("f", List.of()).size() == 1
                    && last().getOrDefault("s", List.of()).size() == 2);
            assertThat(last().get("s").get(0).targets()).extracting(t -> t.get("__address__")).containsExactly("a:1", "b:1");
            assertThat(last().get("f").getFirst().labels().get("__meta_filepath")).isEqualTo(dir.resolve("t.yml").toString());
            assertThat(last().get("empty")).isEmpty();
        }
    }

    @Test
    void applyConfig_keepsUnchangedDiscoverersAndRestartsChanged() throws Exception {
        String s = "  - job_name: s\n    static_configs: [{targets: ['a:1']}]\n";
        String t = "  - job_name: t\n    static_configs: [{targets: ['x:1']}]\n";
        try (DiscoveryManager m = new DiscoveryManager(updates::add, 10, dir)) {
            m.applyConfig(configs("scrape_configs:\n" + s + t));
            List<Thread> before = m.threads("s");
            List<Thread> beforeT = m.threads("t");
            // Only the scrape interval changes for s: discovery is unaffected and keeps running.
            m.applyConfig(configs("scrape_configs:\n" + s.replace("static_configs", "scrape_interval: 5s\n    static_configs")
                    + t.replace("x:1", "y:1")));
            assertThat(m.threads("s")).isEqualTo(before);
            assertThat(m.threads("t")).isNotEqualTo(beforeT);
            Await.until(Duration.ofSeconds(5), () -> !beforeT.getFirst().isAlive());
            Await.until(Duration.ofSeconds(5), () -> last().getOrDefault("t", List.of()).size() == 1
                    && last().get("t").getFirst().targets().getFirst().get("__address__").equals("y:1"));
            m.applyConfig(configs("scrape_configs:\n" + t.replace("x:1", "y:1")));
            Await.until(Duration.ofSeconds(5), () -> !last().containsKey("s"));
            Await.until(Duration.ofSeconds(5), () -> !before.getFirst().isAlive());
        }
    }

    @Test
    void updates_areDebounced() throws Exception {
        Path f = dir.resolve("t.json");
        Files.writeString(f, "[{\"targets\": [\"a:1\"]}]");
        try (DiscoveryManager m = new DiscoveryManager(updates::add, 1000, dir)) {
            m.applyConfig(configs("scrape_configs: [{job_name: f, file_sd_configs: [{files: ['*.json']}]}]"));
            Await.until(Duration.ofSeconds(5), () -> !updates.isEmpty());
            for (int i = 0; i < 5; i++) {
                Files.writeString(f, "[{\"targets\": [\"a:" + (i + 2) + "\"]}]");
                Thread.sleep(50);
            }
            Await.until(Duration.ofSeconds(20), () -> last().getOrDefault("f", List.of()).size() == 1
                    && last().get("f").getFirst().targets().getFirst().get("__address__").equals("a:6"));
            // Five changes within about 250ms reach the listener in at most a few debounced updates.
            assertThat(updates.size()).isLessThanOrEqualTo(4);
        }
    }
}
