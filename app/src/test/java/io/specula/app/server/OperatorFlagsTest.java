package io.specula.app.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command line prometheus-operator gives a Prometheus container (its default arguments and
 * the optional ones a Prometheus resource can turn on) starts {@code specula server}, and the
 * endpoints the operator's probes and config reloader call answer.
 */
class OperatorFlagsTest {
    @TempDir
    Path dir;

    /** The operator's arguments (see docs/deploy.md), with paths moved into the test directory. */
    private List<String> operatorArgs(Path config, Path webConfig) {
        return List.of(
                "--web.console.templates=/etc/prometheus/consoles",
                "--web.console.libraries=/etc/prometheus/console_libraries",
                "--config.file=" + config,
                "--web.enable-lifecycle",
                "--web.route-prefix=/",
                "--storage.tsdb.retention.time=24h",
                "--storage.tsdb.retention.size=10GB",
                "--storage.tsdb.path=" + dir.resolve("prometheus"),
                "--storage.tsdb.wal-compression",
                "--storage.tsdb.min-block-duration=2h",
                "--storage.tsdb.max-block-duration=2h",
                "--storage.tsdb.no-lockfile",
                "--web.config.file=" + webConfig,
                "--web.enable-admin-api",
                "--web.external-url=http://prometheus.example.com/",
                "--web.page-title=Operated",
                "--web.max-connections=512",
                "--query.max-concurrency=20",
                "--query.timeout=2m",
                "--query.lookback-delta=5m",
                "--query.max-samples=50000000",
                "--rules.alert.for-grace-period=10m",
                "--rules.alert.for-outage-tolerance=1h",
                "--rules.alert.resend-delay=1m",
                "--enable-feature=auto-gomemlimit",
                "--web.listen-address=127.0.0.1:0");
    }

    @Test
    void operatorCommandLine_startsAndAnswersProbesAndReload() throws Exception {
        Path config = dir.resolve("prometheus.env.yaml");
        Files.writeString(config, "global: {scrape_interval: 30s, external_labels: {prometheus: monitoring/k8s}}\n");
        Path webConfig = dir.resolve("web-config.yaml");
        Files.writeString(webConfig, "http_server_config: {headers: {X-Frame-Options: deny}}\n");
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs(operatorArgs(config, webConfig).toArray(String[]::new));
        try (Server s = Server.start(cmd.options()); HttpClient http = HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + s.port();
            for (String probe : List.of("/-/healthy", "/-/ready")) {
                assertThat(http.send(HttpRequest.newBuilder(URI.create(base + probe)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).as(probe).isEqualTo(200);
            }
            // the config reloader POSTs /-/reload after rewriting the file
            Files.writeString(config, "global: {scrape_interval: 15s}\n");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/-/reload")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void webConfigWithUnreadableTlsFiles_failsTheStartNamingTheFile() throws Exception {
        Path webConfig = dir.resolve("web.yml");
        Files.writeString(webConfig, "tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n");
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs("--web.config.file=" + webConfig, "--storage.tsdb.path=" + dir.resolve("d"),
                "--web.listen-address=127.0.0.1:0");
        assertThatThrownBy(() -> Server.start(cmd.options())).hasMessageContaining("failed to read cert_file (" + dir.resolve("a.crt"));
    }
}
