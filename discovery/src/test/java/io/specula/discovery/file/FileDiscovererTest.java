package io.specula.discovery.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.config.PromDuration;
import io.specula.testsupport.Await;
import io.specula.discovery.config.FileSdConfig;
import io.specula.discovery.TargetGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDiscovererTest {
    @TempDir
    Path dir;

    /** The groups as the discovery manager would hold them: latest per source, empty ones removed. */
    private final Map<String, TargetGroup> state = new LinkedHashMap<>();
    private final List<List<TargetGroup>> updates = new ArrayList<>();

    private synchronized void receive(List<TargetGroup> groups) {
        updates.add(groups);
        for (TargetGroup g : groups) {
            if (g.targets().isEmpty()) {
                state.remove(g.source());
            } else {
                state.put(g.source(), g);
            }
        }
    }

    private synchronized List<String> addresses() {
        List<String> out = new ArrayList<>();
        state.values().forEach(g -> g.targets().forEach(t -> out.add(t.get("__address__"))));
        return out;
    }

    private FileDiscoverer discoverer(String... files) {
        FileSdConfig c = new FileSdConfig();
        c.files = List.of(files);
        c.refreshInterval = PromDuration.ofMinutes(5);
        return new FileDiscoverer(c, dir);
    }

    @Test
    void refresh_jsonAndYamlViaGlob_withMetaFilepath() throws Exception {
        Files.writeString(dir.resolve("a.json"), """
                [{"targets": ["h1:9100", "h2:9100"], "labels": {"env": "prod"}}]
                """);
        Files.writeString(dir.resolve("b.yml"), """
                - targets: [h3:9100]
                - targets: [h4:9100]
                  labels: {env: dev}
                """);
        Files.writeString(dir.resolve("ignored.txt"), "not a target file");
        FileDiscoverer d = discoverer("*.json", "*.yml");
        d.refresh(this::receive);
        assertThat(addresses()).containsExactlyInAnyOrder("h1:9100", "h2:9100", "h3:9100", "h4:9100");
        TargetGroup a = state.get(dir.resolve("a.json") + ":0");
        assertThat(a.labels().get("env")).isEqualTo("prod");
        assertThat(a.labels().get("__meta_filepath")).isEqualTo(dir.resolve("a.json").toString());
        assertThat(state.get(dir.resolve("b.yml") + ":1").labels().get("env")).isEqualTo("dev");
    }

    @Test
    void refresh_changedShrunkAndDeletedFiles_retractGroups() throws Exception {
        Path f = dir.resolve("t.yaml");
        Files.writeString(f, "- targets: [a:1]\n- targets: [b:1]\n");
        FileDiscoverer d = discoverer("t.yaml");
        d.refresh(this::receive);
        assertThat(addresses()).containsExactlyInAnyOrder("a:1", "b:1");

        Files.writeString(f, "- targets: [c:1]\n");
        d.refresh(this::receive);
        assertThat(addresses()).containsExactly("c:1");

        Files.delete(f);
        d.refresh(this::receive);
        assertThat(addresses()).isEmpty();
    }

    @Test
    void refresh_badFile_keepsPreviousTargets() throws Exception {
        Path f = dir.resolve("t.json");
        Files.writeString(f, "[{\"targets\": [\"a:1\"]}]");
        FileDiscoverer d = discoverer("t.json");
        d.refresh(this::receive);
        Files.writeString(f, "[{\"targets\": [\"a:1\"], ");
        d.refresh(this::receive);
        assertThat(addresses()).containsExactly("a:1");
        assertThat(d.readErrors()).isEqualTo(1);

        Files.writeString(f, "[{\"targets\": [\"b:1\"], \"labels\": {\"\": \"x\"}}]"); // invalid label name
        d.refresh(this::receive);
        assertThat(addresses()).containsExactly("a:1");
        assertThat(d.readErrors()).isEqualTo(2);
    }

    @Test
    void run_watchesDirectoryForChanges() throws Exception {
        Path f = dir.resolve("w.json");
        Files.writeString(f, "[{\"targets\": [\"a:1\"]}]");
        FileDiscoverer d = discoverer("*.json");
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                d.run(this::receive);
            } catch (InterruptedException e) {
                // stopped
            }
        });
        try {
            Await.until(Duration.ofSeconds(10), () -> addresses().equals(List.of("a:1")));
            Files.writeString(dir.resolve("x.json"), "[{\"targets\": [\"new:1\"]}]");
            Await.until(Duration.ofSeconds(20), () -> addresses().contains("new:1"));
            Files.delete(f);
            Await.until(Duration.ofSeconds(20), () -> addresses().equals(List.of("new:1")));
        } finally {
            t.interrupt();
            t.join(5000);
        }
        assertThat(t.isAlive()).isFalse();
    }
}
