package io.specula.incident.config;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSetter;
import io.specula.incident.Entity;
import io.specula.incident.Topology;
import io.specula.model.config.ConfigException;
import io.specula.model.config.Globs;
import io.specula.model.config.PromDuration;
import io.specula.model.config.YamlConfigLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code incidents} block of prometheus.yml (Specula's own; Prometheus has none):
 * <pre>
 * incidents:
 *   enabled: true              # false: no incident label or annotations, no tracking
 *   rejoin_window: 15m         # how long a quiet incident stays open for alerts that fire again
 *   dependencies:              # what no metric shows
 *     - entity: app            # a bare name is a service; else node:…, pod:ns/name, service:…
 *       depends_on: [auth]
 *     - entity: db
 *       depends_on: [db-sync]
 *       description: freshness of the replica
 *   dependency_files: [deps/*.yml]   # files with a top-level `dependencies:` list
 * </pre>
 * Entity references are checked while binding, so a bad one is reported with file and line.
 */
@JsonPropertyOrder({"enabled", "rejoin_window", "dependencies", "dependency_files"})
public final class IncidentsConfig {
    public static final long DEFAULT_REJOIN_WINDOW_MS = 15 * 60_000L;

    public Boolean enabled;
    public PromDuration rejoinWindow;
    public List<DependencyConfig> dependencies;
    public List<String> dependencyFiles;

    /** One declared dependency: {@code entity} depends on each of {@code depends_on}. */
    @JsonPropertyOrder({"entity", "depends_on", "description"})
    public static final class DependencyConfig {
        public String entity;
        public List<String> dependsOn;
        public String description;

        @JsonSetter("entity")
        void entity(String v) {
            Entity.parse(v); // throws with the reason; the loader adds file and line
            this.entity = v;
        }

        @JsonSetter("depends_on")
        void dependsOn(List<String> v) {
            if (v == null || v.isEmpty()) {
                throw new IllegalArgumentException("depends_on must name at least one entity");
            }
            for (String s : v) {
                Entity.parse(s);
            }
            this.dependsOn = v;
        }
    }

    /** A file named by {@code dependency_files}. */
    public static final class DependencyFile {
        public List<DependencyConfig> dependencies;
    }

    /** The validated block, file references read. */
    public record Resolved(boolean enabled, long rejoinWindowMs, List<Topology.Dependency> dependencies) {
        public static final Resolved DEFAULT = new Resolved(true, DEFAULT_REJOIN_WINDOW_MS, List.of());
    }

    /**
     * Validates and reads the referenced files (patterns relative to {@code dir}).
     *
     * @param src the configuration file, for messages
     */
    public static Resolved resolve(IncidentsConfig c, Path dir, String src) throws ConfigException {
        if (c == null) {
            return Resolved.DEFAULT;
        }
        long window = c.rejoinWindow == null ? DEFAULT_REJOIN_WINDOW_MS : c.rejoinWindow.millis();
        if (window <= 0) {
            throw new ConfigException(src + ": incidents.rejoin_window must be positive");
        }
        List<Topology.Dependency> deps = new ArrayList<>();
        add(deps, c.dependencies, src, "incidents.dependencies");
        for (String pattern : c.dependencyFiles == null ? List.<String>of() : c.dependencyFiles) {
            if (pattern == null || pattern.isBlank()) {
                throw new ConfigException(src + ": incidents.dependency_files: empty file name");
            }
            Globs.validate(pattern);
            for (Path f : Globs.expand(dir, pattern)) {
                DependencyFile df = YamlConfigLoader.load(f, DependencyFile.class);
                if (df != null) {
                    add(deps, df.dependencies, f.toString(), "dependencies");
                }
            }
        }
        return new Resolved(c.enabled == null || c.enabled, window, List.copyOf(deps));
    }

    private static void add(List<Topology.Dependency> out, List<DependencyConfig> in, String src, String where)
            throws ConfigException {
        if (in == null) {
            return;
        }
        for (int i = 0; i < in.size(); i++) {
            DependencyConfig d = in.get(i);
            if (d == null || d.entity == null) {
                throw new ConfigException(src + ": " + where + "[" + i + "]: entity is required");
            }
            if (d.dependsOn == null) {
                throw new ConfigException(src + ": " + where + "[" + i + "]: depends_on is required");
            }
            for (String to : d.dependsOn) {
                out.add(new Topology.Dependency(Entity.parse(d.entity), Entity.parse(to), d.description));
            }
        }
    }
}
