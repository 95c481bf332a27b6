package io.specula.app.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code specula server} end to end on loopback: the embedded default monitors itself; an
 * existing prometheus.yml with static, file and HTTP discovery scrapes the real node exporter
 * and Pushgateway (Debian packages; skipped loudly when missing); reload keeps the running
 * configuration when the new one is bad; a target sending garbage fails alone.
 */
class ServerEndToEndTest {
    private static final Path NODE_EXPORTER = Path.of("/usr/bin/prometheus-node-exporter");
    private static final Path PUSHGATEWAY = Path.of("/usr/bin/prometheus-pushgateway");

    @TempDir
    Path dir;

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
        http.close();
    }

    private Server start(String... args) throws Exception {
        ServerCommand cmd = new ServerCommand();
        List<String> all = new ArrayList<>(List.of("--web.listen-address=127.0.0.1:0", "--storage.tsdb.path=" + dir.resolve("data")));
        all.addAll(List.of(args));
        new CommandLine(cmd).parseArgs(all.toArray(String[]::new));
        Server s = Server.start(cmd.options());
        cleanup.add(s);
        return s;
    }

    private String get(Server s, String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private String query(Server s, String promql) throws Exception {
        return get(s, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    private String await(Server s, String promql, Predicate<String> done, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            last = query(s, promql);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out waiting on " + promql + "; last answer: " + last);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Process startPeer(Path binary, int port, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--web.listen-address=127.0.0.1:" + port));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(binary.getFileName() + ".log").toFile()).start();
        cleanup.add(() -> {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        });
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            try {
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                        HttpResponse.BodyHandlers.discarding());
                return p;
            } catch (IOException e) {
                assertThat(System.currentTimeMillis()).as(binary + " did not start").isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }

    private HttpServer httpServer() throws IOException {
        HttpServer h = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        h.start();
        cleanup.add(() -> h.stop(0));
        return h;
    }

    @Test
    void embeddedDefault_monitorsItselfAndAnswersUp() throws Exception {
        Server s = start();
        assertThat(get(s, "/-/ready")).contains("Ready");
        String up = await(s, "up", r -> r.contains("\"job\":\"specula\""), 40_000);
        assertThat(up).contains("\"instance\":\"127.0.0.1:" + s.port() + "\"").contains(",\"1\"]");
        String self = await(s, "prometheus_tsdb_head_series", r -> r.contains("\"job\":\"specula\""), 40_000);
        assertThat(self).contains("\"__name__\":\"prometheus_tsdb_head_series\"");
        assertThat(get(s, "/api/v1/status/config")).contains("job_name");
        assertThat(get(s, "/metrics")).contains("prometheus_sd_discovered_targets{config=\"specula\",name=\"scrape\"} 1")
                .contains("prometheus_ready 1").contains("prometheus_tsdb_head_series ").contains("process_cpu_seconds_total ")
                .contains("prometheus_http_requests_total{");
    }

    @Test
    void existingConfig_staticFileAndHttpDiscovery_scrapeRealExporters() throws Exception {
        assumeTrue(Files.isExecutable(NODE_EXPORTER) && Files.isExecutable(PUSHGATEWAY), "SKIPPED: " + NODE_EXPORTER + " or "
                + PUSHGATEWAY + " missing (install Debian's prometheus-node-exporter and prometheus-pushgateway, or run .ci/run)");
        int node = freePort();
        startPeer(NODE_EXPORTER, node, "--collector.disable-defaults", "--collector.cpu", "--collector.meminfo",
                "--collector.loadavg");
        int push = freePort();
        startPeer(PUSHGATEWAY, push);
        HttpRequest pushReq = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + push + "/metrics/job/nightly_backup"))
                .PUT(HttpRequest.BodyPublishers.ofString("# TYPE backup_last_success_seconds gauge\nbackup_last_success_seconds 1700000000\n"))
                .build();
        assertThat(http.send(pushReq, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);

        HttpServer garbage = httpServer();
        garbage.createContext("/metrics", ex -> {
            byte[] b = "this is { not the exposition format\n".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        HttpServer sd = httpServer();
        sd.createContext("/sd", ex -> {
            byte[] b = ("[{\"targets\":[\"127.0.0.1:" + garbage.getAddress().getPort() + "\"],\"labels\":{\"team\":\"x\"}}]")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        Files.writeString(dir.resolve("push.json"), "[{\"targets\": [\"127.0.0.1:" + push + "\"]}]");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 900ms
                  external_labels: {site: test}
                scrape_configs:
                  - job_name: node
                    static_configs: [{targets: ["127.0.0.1:%d"]}]
                  - job_name: pushgateway
                    honor_labels: true
                    file_sd_configs: [{files: ["push.json"]}]
                  - job_name: broken
                    http_sd_configs: [{url: "http://127.0.0.1:%d/sd", refresh_interval: 1s}]
                """.formatted(node, sd.getAddress().getPort()));
        Server s = start("--config.file=" + config);

        await(s, "up{job=\"node\"} == 1", r -> r.contains("\"job\":\"node\""), 30_000);
        await(s, "up{job=\"pushgateway\"} == 1", r -> r.contains("\"job\":\"pushgateway\""), 30_000);
        String broken = await(s, "up{job=\"broken\"}", r -> r.contains("\"team\":\"x\""), 30_000);
        assertThat(broken).contains(",\"0\"]");
        assertThat(await(s, "count(node_cpu_seconds_total) > 0", r -> r.contains("\"value\""), 10_000)).contains("\"value\"");
        // honor_labels keeps the pushed job label
        assertThat(await(s, "backup_last_success_seconds", r -> r.contains("nightly_backup"), 10_000))
                .contains("\"job\":\"nightly_backup\"").contains("\"1700000000\"");
        String targets = get(s, "/api/v1/targets");
        assertThat(targets).contains("\"scrapePool\":\"broken\"").contains("\"health\":\"down\"")
                .contains("\"__meta_filepath\":\"" + dir.resolve("push.json").toAbsolutePath() + "\"");
        // federation attaches the external labels
        String federated = get(s, "/federate?match[]=" + URLEncoder.encode("up{job=\"node\"}", StandardCharsets.UTF_8));
        assertThat(federated).contains("up{").contains("site=\"test\"");
    }

    @Test
    void reload_badConfigKeepsRunningOne_goodConfigApplies() throws Exception {
        HttpServer target = httpServer();
        target.createContext("/metrics", ex -> {
            byte[] b = "# TYPE hello gauge\nhello 42\n".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        int port = target.getAddress().getPort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global: {scrape_interval: 1s}\nscrape_configs:\n  - job_name: one\n"
                + "    static_configs: [{targets: ['127.0.0.1:" + port + "']}]\n");
        Server s = start("--config.file=" + config, "--web.enable-lifecycle");
        await(s, "hello{job=\"one\"}", r -> r.contains("\"42\""), 20_000);

        Files.writeString(config, "global: {scrape_interval: 1s}\nscrape_configs:\n  - job_name: two\n    bogus_key: 1\n");
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/-/reload"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(500);
        assertThat(bad.body()).contains("bogus_key");
        assertThat(get(s, "/metrics")).containsPattern("prometheus_config_last_reload_successful 0");
        assertThat(get(s, "/api/v1/targets")).contains("\"scrapePool\":\"one\"");

        Files.writeString(config, "global: {scrape_interval: 1s}\nscrape_configs:\n  - job_name: two\n"
                + "    static_configs: [{targets: ['127.0.0.1:" + port + "']}]\n");
        HttpResponse<String> good = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/-/reload"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(good.statusCode()).isEqualTo(200);
        await(s, "hello{job=\"two\"}", r -> r.contains("\"42\""), 20_000);
        assertThat(get(s, "/metrics")).containsPattern("prometheus_config_last_reload_successful 1");
    }

    @Test
    void alertingRule_firesToRealAlertmanager_andResolves() throws Exception {
        assumeTrue(Files.isExecutable(ALERTMANAGER) && Files.isExecutable(AMTOOL), "SKIPPED: " + ALERTMANAGER + " or "
                + AMTOOL + " missing (install Debian's prometheus-alertmanager, or run .ci/run)");
        int amPort = freePort();
        Path amConfig = dir.resolve("alertmanager.yml");
        Files.writeString(amConfig, "route:\n  receiver: 'null'\n  group_wait: 1s\nreceivers:\n  - name: 'null'\n");
        Process am = new ProcessBuilder(ALERTMANAGER.toString(), "--config.file=" + amConfig,
                "--storage.path=" + dir.resolve("am"), "--web.listen-address=127.0.0.1:" + amPort, "--cluster.listen-address=")
                .redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
        cleanup.add(() -> {
            am.destroy();
            am.waitFor(10, TimeUnit.SECONDS);
        });
        awaitHttp("http://127.0.0.1:" + amPort + "/-/ready");

        // An exporter we can stop and start again on the same port.
        java.util.concurrent.atomic.AtomicReference<HttpServer> exporter = new java.util.concurrent.atomic.AtomicReference<>(httpServer());
        int exporterPort = exporter.get().getAddress().getPort();
        serveMetrics(exporter.get());
        Path rules = dir.resolve("rules.yml");
        Files.writeString(rules, """
                groups:
                  - name: availability
                    interval: 1s
                    rules:
                      - alert: ExporterDown
                        expr: up{job="exporter"} == 0
                        labels: {severity: page}
                        annotations:
                          summary: "{{ $labels.instance }} of job {{ $labels.job }} is down"
                      - record: job:up:sum
                        expr: sum by (job) (up)
                """);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 500ms
                  evaluation_interval: 1s
                  external_labels: {site: e2e}
                rule_files: ["rules.yml"]
                alerting:
                  alertmanagers:
                    - static_configs: [{targets: ["127.0.0.1:%d"]}]
                scrape_configs:
                  - job_name: exporter
                    static_configs: [{targets: ["127.0.0.1:%d"]}]
                """.formatted(amPort, exporterPort));
        Server s = start("--config.file=" + config, "--web.external-url=http://specula.example:9090/");
        // the recording rule writes series that PromQL reads
        await(s, "job:up:sum{job=\"exporter\"}", r -> r.contains(",\"1\"]"), 20_000);
        String group = dir.resolve("rules.yml") + ";availability";
        assertThat(get(s, "/metrics")).contains("prometheus_rule_evaluations_total{rule_group=\"" + group + "\"}")
                .contains("prometheus_rule_group_rules{rule_group=\"" + group + "\"} 2")
                .contains("prometheus_rule_evaluation_duration_seconds_count ");

        exporter.get().stop(0);
        String firing = awaitAmtool(amPort, out -> out.contains("ExporterDown"), 30_000);
        assertThat(firing).contains("\"severity\":\"page\"").contains("\"site\":\"e2e\"")
                .contains("\"instance\":\"127.0.0.1:" + exporterPort + "\"")
                .contains("127.0.0.1:" + exporterPort + " of job exporter is down")
                .contains("\"generatorURL\":\"http://specula.example:9090/graph?g0.expr=");
        assertThat(query(s, "ALERTS{alertname=\"ExporterDown\"}")).contains("\"alertstate\":\"firing\"");

        HttpServer again = HttpServer.create(new InetSocketAddress("127.0.0.1", exporterPort), 0);
        again.start();
        cleanup.add(() -> again.stop(0));
        serveMetrics(again);
        awaitAmtool(amPort, out -> !out.contains("ExporterDown"), 30_000);
    }

    /**
     * Issue 7's interop: Specula's server and the real Prometheus 2.42 both deliver alerts to
     * {@code specula alertmanager}, which groups them and posts them to a webhook receiver.
     */
    @Test
    void speculaAlertmanager_receivesFromSpeculaAndRealPrometheus() throws Exception {
        Path prometheusBinary = Path.of("/usr/bin/prometheus");
        assumeTrue(Files.isExecutable(prometheusBinary), "SKIPPED: " + prometheusBinary
                + " missing (install Debian's prometheus, or run .ci/run)");
        java.util.List<String> webhooks = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer receiver = httpServer();
        receiver.createContext("/hook", ex -> {
            webhooks.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        Path amConfig = dir.resolve("alertmanager.yml");
        Files.writeString(amConfig, """
                route:
                  receiver: hook
                  group_by: [sender]
                  group_wait: 500ms
                  group_interval: 1s
                receivers:
                  - name: hook
                    webhook_configs:
                      - url: http://127.0.0.1:%d/hook
                """.formatted(receiver.getAddress().getPort()));
        io.specula.alertmanager.AlertmanagerOptions o = new io.specula.alertmanager.AlertmanagerOptions();
        o.configFile = amConfig;
        o.storagePath = dir.resolve("am");
        o.listenAddress = "127.0.0.1:0";
        io.specula.alertmanager.Alertmanager am = io.specula.alertmanager.Alertmanager.start(o);
        cleanup.add(am);
        String amAddress = am.boundAddress();

        Files.writeString(dir.resolve("rules.yml"), """
                groups:
                  - name: always
                    interval: 1s
                    rules:
                      - alert: AlwaysFiring
                        expr: vector(1)
                        annotations: {summary: "from {{ $externalLabels.sender }}"}
                """);
        String config = """
                global:
                  evaluation_interval: 1s
                  external_labels: {sender: %s}
                rule_files: ["%s"]
                alerting:
                  alertmanagers:
                    - static_configs: [{targets: ["%s"]}]
                """;
        Path speculaConfig = dir.resolve("specula.yml");
        Files.writeString(speculaConfig, config.formatted("specula", dir.resolve("rules.yml"), amAddress));
        start("--config.file=" + speculaConfig);
        Path promConfig = dir.resolve("prometheus.yml");
        Files.writeString(promConfig, config.formatted("prometheus", dir.resolve("rules.yml"), amAddress));
        Process prom = new ProcessBuilder(prometheusBinary.toString(), "--config.file=" + promConfig,
                "--storage.tsdb.path=" + dir.resolve("prom-data"), "--web.listen-address=127.0.0.1:" + freePort(),
                // its first send may precede Alertmanager discovery; resend soon rather than after 1m
                "--rules.alert.resend-delay=1s")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        cleanup.add(() -> {
            prom.destroy();
            prom.waitFor(10, TimeUnit.SECONDS);
        });

        long deadline = System.currentTimeMillis() + 40_000;
        while (!(anyContains(webhooks, "\"sender\":\"specula\"") && anyContains(webhooks, "\"sender\":\"prometheus\""))) {
            assertThat(System.currentTimeMillis()).as("webhooks so far: %s", webhooks).isLessThan(deadline);
            Thread.sleep(200);
        }
        for (String sender : new String[] {"specula", "prometheus"}) {
            String payload = webhooks.stream().filter(w -> w.contains("\"sender\":\"" + sender + "\"")).findFirst().orElseThrow();
            assertThat(payload).contains("\"receiver\":\"hook\"").contains("\"status\":\"firing\"")
                    .contains("\"alertname\":\"AlwaysFiring\"").contains("\"summary\":\"from " + sender + "\"")
                    .contains("\"groupLabels\":{\"sender\":\"" + sender + "\"}")
                    .doesNotContain("generatorURL\":\"http://127.0.0.1:0/");
        }
    }

    private static boolean anyContains(java.util.List<String> l, String s) {
        return l.stream().anyMatch(x -> x.contains(s));
    }

    private static final Path ALERTMANAGER = Path.of("/usr/bin/prometheus-alertmanager");
    private static final Path AMTOOL = Path.of("/usr/bin/amtool");

    private static void serveMetrics(HttpServer h) {
        h.createContext("/metrics", ex -> {
            byte[] b = "# TYPE hello gauge\nhello 1\n".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
    }

    private void awaitHttp(String url) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            assertThat(System.currentTimeMillis()).as(url + " did not come up").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** Polls {@code amtool alert query -o json} (active alerts) until {@code done} holds. */
    private static String awaitAmtool(int amPort, Predicate<String> done, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        String out = "";
        while (System.currentTimeMillis() < deadline) {
            Process p = new ProcessBuilder(AMTOOL.toString(), "alert", "query", "-o", "json",
                    "--alertmanager.url=http://127.0.0.1:" + amPort).redirectErrorStream(true).start();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            if (done.test(out)) {
                return out;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("amtool never showed the expected alerts; last output: " + out);
    }

    @Test
    void start_badRuleFile_failsAndReleasesTheDataDirectory() throws Exception {
        Files.writeString(dir.resolve("rules.yml"), "groups:\n  - name: g\n    rules:\n      - record: x\n        expr: up{\n");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "rule_files: [rules.yml]\n");
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs("--config.file=" + config, "--web.listen-address=127.0.0.1:0",
                "--storage.tsdb.path=" + dir.resolve("data"));
        try {
            Server.start(cmd.options()).close();
            throw new AssertionError("a bad rule file must not start");
        } catch (io.specula.model.config.ConfigException e) {
            assertThat(e.getMessage()).contains("rules.yml").contains("could not parse expression");
        }
        // the TSDB lock was released: the same directory opens again
        Files.writeString(config, "global: {scrape_interval: 1s}\n");
        start("--config.file=" + config).close();
    }

    @Test
    void start_badConfig_failsWithFileAndLine() throws Exception {
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: fast\n");
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs("--config.file=" + config, "--web.listen-address=127.0.0.1:0",
                "--storage.tsdb.path=" + dir.resolve("data"));
        try {
            Server.start(cmd.options()).close();
            throw new AssertionError("a bad config must not start");
        } catch (io.specula.model.config.ConfigException e) {
            assertThat(e.getMessage()).contains(config.toString()).contains("2:").contains("scrape_interval");
        }
    }
}
