package io.specula.app.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** deploy/docker-swarm: the stack wires the configs it names, and the configs load. */
class DeploySwarmTest {
    static final Path DIR = Path.of("..", "deploy", "docker-swarm").toAbsolutePath().normalize();

    @Test
    void stack_mountsTheConfigsAndTheDockerSocketOnAManager() throws Exception {
        JsonNode stack = YAMLMapper.builder().build().readTree(Files.readString(DIR.resolve("stack.yml")));
        JsonNode server = stack.path("services").path("specula");
        assertThat(server.path("command").toString()).contains("--config.file=/etc/prometheus/prometheus.yml")
                .contains("--storage.tsdb.path=/prometheus").contains("--web.enable-lifecycle");
        assertThat(server.path("volumes").toString()).contains("/var/run/docker.sock:/var/run/docker.sock:ro");
        assertThat(server.path("deploy").path("placement").path("constraints").toString()).contains("node.role == manager");
        stack.path("configs").forEachEntry((name, c) ->
                assertThat(DIR.resolve(c.path("file").asString())).as(name).exists());
        assertThat(stack.path("services").path("alertmanager").path("command").get(0).asString()).isEqualTo("alertmanager");
    }

    @Test
    void prometheusYml_loads() throws Exception {
        var r = CheckConfigPromtoolDifferentialTest.specula(DIR.resolve("prometheus.yml"));
        // dockerswarm_sd_configs comes with the Swarm/Docker discovery work of issue 18
        assumeFalse(r.stderr().contains("dockerswarm_sd_configs is not supported yet"),
                "SKIPPED: dockerswarm_sd_configs is not implemented on this branch yet");
        assertThat(r.exit()).as(r.stdout() + r.stderr()).isZero();
    }

    @Test
    void alertmanagerYml_loads() {
        var cli = new picocli.CommandLine(new io.specula.app.Main());
        var out = new java.io.StringWriter();
        cli.setOut(new java.io.PrintWriter(out));
        cli.setErr(new java.io.PrintWriter(out));
        assertThat(cli.execute("tool", "check", "alertmanager-config", DIR.resolve("alertmanager.yml").toString()))
                .as(out.toString()).isZero();
    }
}
