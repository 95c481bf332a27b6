package io.specula.app.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.app.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertmanagerCommandTest {
    private final PrintStream out = System.out, err = System.err;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream(), stderr = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    @BeforeEach
    void capture() {
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(out);
        System.setErr(err);
    }

    private String err() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    @Test
    void clusterPeers_areRefusedClearly() {
        assertThat(Main.run("alertmanager", "--cluster.peer=10.0.0.1:9094", "--cluster.listen-address=0.0.0.0:9094"))
                .isEqualTo(1);
        assertThat(err()).contains("clustering is not supported yet").doesNotContain("Exception");
    }

    @Test
    void badConfig_exitsWithTheReason() throws Exception {
        Path f = dir.resolve("am.yml");
        Files.writeString(f, "route:\n  receiver: r\n  group_wiat: 1s\nreceivers: [{name: r}]\n");
        assertThat(Main.run("alertmanager", "--config.file=" + f, "--storage.path=" + dir)).isEqualTo(1);
        assertThat(err()).contains(f + ":3:").contains("unknown key \"group_wiat\"").doesNotContain("Exception");
    }

    @Test
    void unsupportedIntegration_isRefusedAtLoad() throws Exception {
        Path f = dir.resolve("am.yml");
        Files.writeString(f, """
                route: {receiver: s}
                receivers: [{name: s, sns_configs: [{topic_arn: 'arn:aws:sns:eu-west-1:1:t'}]}]
                """);
        assertThat(Main.run("alertmanager", "--config.file=" + f, "--storage.path=" + dir)).isEqualTo(1);
        assertThat(err()).contains("sns_configs is not supported yet");
        stdout.reset();
        assertThat(Main.run("tool", "check", "alertmanager-config", f.toString())).isEqualTo(1);
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("FAILED: receiver \"s\": sns_configs is not supported yet");
    }

    @Test
    void badRetention_isAClearError() {
        assertThat(Main.run("alertmanager", "--data.retention=5 days")).isEqualTo(1);
        assertThat(err()).contains("--data.retention: not a valid duration string");
    }
}
