package io.specula.app.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.specula.app.config.ConfigLoader;
import io.specula.model.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@code prometheus.yml} of arbitrary text: the loader accepts it or refuses it with a
 * {@link ConfigException} (Prometheus's {@code parsing YAML file …} message), never another
 * exception, and what it accepts has the YAML that {@code /api/v1/status/config} reports.
 */
class ConfigLoaderFuzzTest {
    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("config-fuzz");
            DIR.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void load(String yaml) {
        if (yaml == null) {
            return; // Jazzer's null input; a file always has text
        }
        ConfigLoader.Loaded loaded;
        try {
            loaded = ConfigLoader.parse(yaml, DIR.resolve("prometheus.yml"), DIR);
        } catch (ConfigException expected) {
            return;
        }
        if (loaded.yaml() == null) {
            throw new AssertionError("an accepted configuration has no YAML to report");
        }
    }
}
