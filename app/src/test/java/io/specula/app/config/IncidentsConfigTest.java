package io.specula.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.incident.Entity;
import io.specula.incident.Topology;
import io.specula.model.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code incidents} block of prometheus.yml: declared dependencies, files, switch, errors with file and line. */
class IncidentsConfigTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        return f;
    }

    @Test
    void load_dependenciesInlineAndFromFiles() throws Exception {
        write("deps/k8s.yml", "dependencies:\n  - entity: pod:prod/db-0\n    depends_on: [node:node-2]\n");
        Path f = write("prometheus.yml", """
                incidents:
                  rejoin_window: 5m
                  dependencies:
                    - entity: app
                      depends_on: [auth, service:payments]
                    - entity: db
                      depends_on: [db-sync]
                      description: freshness
                  dependency_files: ['deps/*.yml']
                """);
        ConfigLoader.Loaded c = ConfigLoader.load(f);
        assertThat(c.incidents().enabled()).isTrue();
        assertThat(c.incidents().rejoinWindowMs()).isEqualTo(300_000);
        assertThat(c.incidents().dependencies()).containsExactly(
                new Topology.Dependency(Entity.service("app"), Entity.service("auth"), null),
                new Topology.Dependency(Entity.service("app"), Entity.service("payments"), null),
                new Topology.Dependency(Entity.service("db"), Entity.service("db-sync"), "freshness"),
                new Topology.Dependency(Entity.pod("prod", "db-0"), Entity.node("node-2"), null));
        assertThat(c.yaml()).contains("incidents:").contains("depends_on:");
    }

    @Test
    void load_disabledByOneKey_andDefaultsWithoutTheBlock() throws Exception {
        assertThat(ConfigLoader.load(write("off.yml", "incidents:\n  enabled: false\n")).incidents().enabled()).isFalse();
        ConfigLoader.Loaded none = ConfigLoader.load(write("none.yml", "global:\n  scrape_interval: 15s\n"));
        assertThat(none.incidents().enabled()).isTrue();
        assertThat(none.incidents().rejoinWindowMs()).isEqualTo(15 * 60_000);
        assertThat(none.yaml()).doesNotContain("incidents");
    }

    @Test
    void load_badEntityKind_namesFileAndLine() throws Exception {
        Path f = write("prometheus.yml", "incidents:\n  dependencies:\n    - entity: app\n      depends_on: [rack:r1]\n");
        assertThatThrownBy(() -> ConfigLoader.load(f)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("parsing YAML file " + f + ": 4:")
                .hasMessageContaining("unknown entity kind \"rack\"");
    }

    @Test
    void load_unknownKeyAndMissingFields_areRefused() throws Exception {
        Path unknown = write("u.yml", "incidents:\n  dependencies:\n    - entity: app\n      needs: [auth]\n");
        assertThatThrownBy(() -> ConfigLoader.load(unknown)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(": 4:").hasMessageContaining("unknown key \"needs\"");
        Path missing = write("m.yml", "incidents:\n  dependencies:\n    - entity: app\n");
        assertThatThrownBy(() -> ConfigLoader.load(missing)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("incidents.dependencies[0]: depends_on is required");
        Path badFile = write("deps.yml", "dependencies:\n  - entity: ''\n    depends_on: [x]\n");
        Path f = write("p.yml", "incidents:\n  dependency_files: [deps.yml]\n");
        assertThatThrownBy(() -> ConfigLoader.load(f)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(badFile.toString() + ":2:").hasMessageContaining("empty entity reference");
        Path window = write("w.yml", "incidents:\n  rejoin_window: 0s\n");
        assertThatThrownBy(() -> ConfigLoader.load(window)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("incidents.rejoin_window must be positive");
    }
}
