package io.specula.app.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code consul_sd_configs} errors with Prometheus's wording (Debian's promtool cannot be asked: it lacks Consul). */
class ConsulConfigCheckTest {
    @TempDir
    Path dir;

    private CheckConfigPromtoolDifferentialTest.Result check(String sdConfig) throws Exception {
        Path f = dir.resolve("prometheus.yml");
        Files.writeString(f, "scrape_configs:\n  - job_name: c\n    consul_sd_configs:\n      - " + sdConfig + "\n");
        return CheckConfigPromtoolDifferentialTest.specula(f);
    }

    @Test
    void consulErrors_prometheusWording() throws Exception {
        assertThat(check("{server: \" \"}").stderr()).contains("consul SD configuration requires a server address");
        assertThat(check("{username: a, basic_auth: {username: b}}").stderr())
                .contains("at most one of consul SD configuration username and password and basic auth can be configured");
        assertThat(check("{token: t, authorization: {credentials: c}}").stderr())
                .contains("at most one of consul SD token, authorization, or oauth2 can be configured");
        assertThat(check("{server: 'a:8500', services: [x]}").exit()).isZero();
        assertThat(check("{server: 'a:8500', colour: blue}").exit()).isEqualTo(1);
    }
}
