package io.specula.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.config.ConfigException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ExemplarsConfigTest {
    private static ConfigLoader.Loaded parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, Path.of("prometheus.yml"), Path.of("."));
    }

    @Test
    void maxExemplars_defaultsAsPrometheus() throws Exception {
        assertThat(parse("global: {}\n").maxExemplars()).isEqualTo(100_000);
        assertThat(parse("storage: {exemplars: {}}\n").maxExemplars()).isEqualTo(100_000);
    }

    @Test
    void maxExemplars_readNegativeMeansNoneTooLargeRefused() throws Exception {
        assertThat(parse("storage:\n  exemplars:\n    max_exemplars: 5000\n").maxExemplars()).isEqualTo(5000);
        assertThat(parse("storage: {exemplars: {max_exemplars: -1}}\n").maxExemplars()).isZero();
        assertThatThrownBy(() -> parse("storage: {exemplars: {max_exemplars: 1000000000000}}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("max_exemplars 1000000000000 exceeds");
        assertThatThrownBy(() -> parse("storage: {exemplars: {max_exemplar: 5}}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("max_exemplar");
    }
}
