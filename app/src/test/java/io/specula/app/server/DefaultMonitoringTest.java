package io.specula.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.app.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The one command from a fresh clone, {@code specula server} without a configuration: it
 * monitors the host (in-process node exporter, job {@code node}) and itself (job
 * {@code specula}) and loads the default alerting rules; the printed default configuration and
 * rules pass {@code specula tool check} (and promtool's, when installed).
 */
class DefaultMonitoringTest {
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void noConfig_monitorsHostAndItself_withDefaultAlerts() throws Exception {
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs("--web.listen-address=127.0.0.1:0", "--storage.tsdb.path=" + dir.resolve("data"));
        try (Server s = Server.start(cmd.options())) {
            String base = "http://127.0.0.1:" + s.port();
            assertThat(get(base + "/node/metrics")).contains("node_scrape_collector_success{collector=\"cpu\"} 1")
                    .contains("node_memory_MemAvailable_bytes ");
            String up = await(base, "up == 1", r -> r.contains("\"job\":\"node\"") && r.contains("\"job\":\"specula\""), 45_000);
            assertThat(up).contains("\"instance\":\"127.0.0.1:" + s.port() + "\"");
            assertThat(await(base, "node_memory_MemAvailable_bytes", r -> r.contains("\"job\":\"node\""), 5_000))
                    .contains("\"__name__\":\"node_memory_MemAvailable_bytes\"");
            String cpus = await(base, "count(node_cpu_seconds_total{job=\"node\",mode=\"idle\"})", r -> r.contains("\"value\""), 5_000);
            long hostCpus = Files.readAllLines(Path.of("/proc/stat")).stream().filter(l -> l.matches("cpu\\d+ .*")).count();
            assertThat(cpus).contains(",\"" + hostCpus + "\"]");
            String rules = get(base + "/api/v1/rules");
            for (String alert : List.of("HostOutOfMemory", "HostOutOfDiskSpace", "HostDiskWillFillIn24Hours", "HostHighCpuLoad",
                    "HostOomKillDetected", "HostClockSkew", "PrometheusTargetMissing", "PrometheusTsdbWalCorruptions",
                    "PrometheusRuleEvaluationFailures", "PrometheusErrorSendingAlertsToAnyAlertmanager",
                    "PrometheusConfigurationReloadFailure")) {
                assertThat(rules).contains("\"name\":\"" + alert + "\"");
            }
            assertThat(rules).contains("specula-default-rules.yml").doesNotContain("\"health\":\"err\"");
            assertThat(get(base + "/api/v1/alerts")).contains("\"status\":\"success\"");
            assertThat(get(base + "/metrics")).contains("prometheus_tsdb_wal_corruptions_total 0");
        }
    }

    @Test
    void printedDefaults_passTheCheckers() throws Exception {
        StringWriter config = new StringWriter();
        assertThat(new CommandLine(new ServerCommand()).setOut(new PrintWriter(config)).execute("--print-default-config")).isZero();
        StringWriter rules = new StringWriter();
        assertThat(new CommandLine(new ServerCommand()).setOut(new PrintWriter(rules)).execute("--print-default-rules")).isZero();
        assertThat(config.toString()).contains("job_name: node").contains("metrics_path: /node/metrics")
                .contains("- \"specula-default-rules.yml\"").contains("localhost:9090");
        Path configFile = Files.writeString(dir.resolve("prometheus.yml"), config.toString());
        Path rulesFile = Files.writeString(dir.resolve("specula-default-rules.yml"), rules.toString());
        assertThat(Main.run("tool", "check", "rules", rulesFile.toString())).isZero();
        assertThat(Main.run("tool", "check", "config", configFile.toString())).isZero();
        if (Files.isExecutable(PROMTOOL)) { // the real promtool agrees
            for (List<String> args : List.of(List.of("check", "rules", rulesFile.toString()),
                    List.of("check", "config", configFile.toString()))) {
                Process p = new ProcessBuilder(PROMTOOL.toString()).command(concat(PROMTOOL.toString(), args))
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as(out).isZero();
            }
        } else {
            System.err.println("promtool comparison SKIPPED: " + PROMTOOL + " missing (install Debian's prometheus)");
        }
    }

    private static List<String> concat(String first, List<String> rest) {
        var l = new java.util.ArrayList<String>();
        l.add(first);
        l.addAll(rest);
        return l;
    }

    private String get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private String await(String base, String promql, Predicate<String> done, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            last = get(base + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out waiting for " + promql + "; last answer: " + last);
    }
}
