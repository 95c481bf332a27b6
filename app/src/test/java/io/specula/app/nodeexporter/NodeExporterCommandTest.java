package io.specula.app.nodeexporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.config.ConfigException;
import io.specula.nodeexporter.NodeExporter;
import io.specula.nodeexporter.NodeExporterOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** node_exporter's command line: collector toggles, defaults, paths and the collectors' own flags. */
class NodeExporterCommandTest {

    private static NodeExporterCommand parse(String... args) {
        NodeExporterCommand cmd = new NodeExporterCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd;
    }

    @Test
    void defaults_allSupportedCollectors_debianFlags() throws Exception {
        NodeExporterOptions o = parse().options();
        assertThat(o.collectors()).isEqualTo(NodeExporter.COLLECTORS);
        assertThat(o.procfs()).isEqualTo(Path.of("/proc"));
        assertThat(o.flag("collector.netdev.device-exclude")).isEqualTo("^lo$");
        assertThat(o.flag("collector.textfile.directory")).isEqualTo("/var/lib/prometheus/node-exporter");
        assertThat(o.flag("collector.cpu.guest")).isEqualTo("true");
    }

    @Test
    void toggles_disableDefaults_andValueFlags() throws Exception {
        NodeExporterOptions o = parse("--collector.disable-defaults", "--collector.meminfo", "--collector.cpu", "--no-collector.cpu",
                "--no-collector.systemd", "--collector.netdev.device-exclude=^eth", "--path.procfs=/host/proc",
                "--no-collector.cpu.guest").options();
        assertThat(o.collectors()).containsExactly("meminfo");
        assertThat(o.flag("collector.netdev.device-exclude")).isEqualTo("^eth");
        assertThat(o.procfs()).isEqualTo(Path.of("/host/proc"));
        assertThat(o.flag("collector.cpu.guest")).isEqualTo("false");
        NodeExporterOptions most = parse("--no-collector.textfile", "--no-collector.hwmon").options();
        assertThat(most.collectors()).doesNotContain("textfile", "hwmon").contains("cpu", "filesystem");
    }

    @Test
    void unsupportedCollectorEnabled_orUnknownFlag_refused() throws Exception {
        NodeExporterOptions o = parse("--collector.systemd").options();
        assertThatThrownBy(() -> new NodeExporter(o)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("collector systemd is not supported");
        assertThatThrownBy(() -> parse("--collector.nosuch")).isInstanceOf(CommandLine.UnmatchedArgumentException.class);
        StringWriter err = new StringWriter();
        int rc = new CommandLine(new NodeExporterCommand()).setErr(new PrintWriter(err))
                .execute("--web.listen-address=127.0.0.1:0", "--collector.vmstat.fields=(");
        assertThat(rc).isEqualTo(1);
        assertThat(err.toString()).startsWith("error: --collector.vmstat.fields: invalid regular expression");
    }

    @Test
    void help_listsCollectorFlags() {
        StringWriter out = new StringWriter();
        new CommandLine(new NodeExporterCommand()).setOut(new PrintWriter(out)).execute("--help");
        assertThat(out.toString()).contains("--collector.filesystem ").contains("--collector.filesystem.mount-points-exclude")
                .contains("--web.telemetry-path").doesNotContain("--collector.systemd ");
    }
}
