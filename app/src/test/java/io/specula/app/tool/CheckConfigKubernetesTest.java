package io.specula.app.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kubernetes configurations as they exist in the wild load unchanged: the structure of
 * Prometheus's example, the Helm chart's annotation-based jobs and a prometheus-operator
 * generated config. (Debian's promtool 2.42 is built without Kubernetes discovery, so there is
 * no reference verdict to compare with: it refuses them all.)
 */
class CheckConfigKubernetesTest {
    @ParameterizedTest
    @ValueSource(strings = {"prometheus-kubernetes.yml", "helm-chart-annotations.yml", "prometheus-operator.yml"})
    void checkConfig_acceptsKubernetesConfigs(String name) throws Exception {
        Path file = Path.of(Objects.requireNonNull(getClass().getResource("kubernetes-config/" + name)).toURI());
        var r = CheckConfigPromtoolDifferentialTest.specula(file);
        assertThat(r.exit()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stdout()).contains("SUCCESS");
    }
}
