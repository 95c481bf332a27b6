package io.specula.app.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.specula.testsupport.FakeDockerEngine;
import io.specula.testsupport.RealPrometheus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker_sd_configs} and every {@code dockerswarm_sd_configs} role in Specula and in the
 * real Prometheus 2.42, both reading the same fake Engine API (over its unix socket and over
 * HTTP): {@code /api/v1/targets} must be identical, active and dropped, discovered and final
 * labels, before and after the engine's state changes.
 */
class DockerDiscoveryDifferentialTest {
    @TempDir
    Path dir;

    private static final String CONFIG = """
            global: {scrape_interval: 1h}
            scrape_configs:
              - job_name: docker
                docker_sd_configs: [{host: "%1$s", refresh_interval: 1s}]
                relabel_configs:
                  - {source_labels: [__meta_docker_container_label_prometheus_io_scrape], regex: "false", action: drop}
                  - {source_labels: [__meta_docker_container_name], regex: "/(.*)", target_label: container}
              - job_name: docker-http
                docker_sd_configs:
                  - host: "%2$s"
                    refresh_interval: 1s
                    port: 9999
                    host_networking_host: 10.1.1.1
                    filters: [{name: label, values: [job, com.example.service=db]}]
              - job_name: swarm-services
                dockerswarm_sd_configs: [{host: "%1$s", role: services, refresh_interval: 1s}]
              - job_name: swarm-tasks
                dockerswarm_sd_configs: [{host: "%2$s", role: tasks, refresh_interval: 1s}]
                relabel_configs:
                  - {source_labels: [__meta_dockerswarm_task_desired_state], regex: running, action: keep}
                  - {source_labels: [__meta_dockerswarm_service_name], target_label: service}
                  - {source_labels: [__meta_dockerswarm_node_hostname], target_label: node}
              - job_name: swarm-nodes
                dockerswarm_sd_configs: [{host: "%1$s", role: nodes, port: 9323, refresh_interval: 1s}]
                relabel_configs:
                  - {source_labels: [__meta_dockerswarm_node_address], target_label: __address__, replacement: "$1:9100"}
                  - {source_labels: [__meta_dockerswarm_node_hostname], target_label: instance}
                  - {source_labels: [__meta_dockerswarm_node_availability], regex: drain, action: drop}
            """;

    @Test
    void targets_sameAsPrometheus_beforeAndAfterEngineChanges() throws Exception {
        assumeTrue(RealPrometheus.available(), RealPrometheus.BINARY + " missing: install Debian's prometheus (or run .ci/run)");
        try (FakeDockerEngine engine = new FakeDockerEngine(dir.resolve("docker.sock"))) {
            engine.load("state1.json");
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, CONFIG.formatted(engine.unixHost(), engine.httpHost()));
            try (RealPrometheus prom = RealPrometheus.start(config, dir.resolve("prom"), List.of());
                    Server specula = TargetsComparison.startSpecula(config, dir.resolve("specula"))) {
                String promUrl = prom.url("/api/v1/targets");
                String speculaUrl = "http://127.0.0.1:" + specula.port() + "/api/v1/targets";

                Map<String, Map<String, List<String>>> before;
                try {
                    before = TargetsComparison.await(promUrl, n -> n.keySet().containsAll(
                            List.of("docker", "docker-http", "swarm-services", "swarm-tasks", "swarm-nodes")));
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\nPrometheus log:\n" + prom.log());
                }
                var ours = TargetsComparison.awaitEqual(speculaUrl, before);
                assertThat(ours).isEqualTo(before);
                assertThat(count(before, "swarm-tasks", "active")).isEqualTo(6);
                assertThat(count(before, "(all pools)", "dropped")).isEqualTo(1);

                engine.load("state2.json");
                var after = TargetsComparison.await(promUrl, n -> TargetsComparison.mentions(n, "10.0.1.30:9000")
                        && TargetsComparison.mentions(n, "updating") && TargetsComparison.mentions(n, "ctwrk2")
                        && count(n, "(all pools)", "dropped") == 4);
                var oursAfter = TargetsComparison.awaitEqual(speculaUrl, after);
                assertThat(oursAfter).isEqualTo(after);
            }
        }
    }

    private static int count(Map<String, Map<String, List<String>>> n, String pool, String kind) {
        return n.getOrDefault(pool, Map.of()).getOrDefault(kind, List.of()).size();
    }
}
