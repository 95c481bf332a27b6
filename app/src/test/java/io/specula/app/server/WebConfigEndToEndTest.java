package io.specula.app.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.specula.app.Main;
import io.specula.testsupport.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;
import picocli.CommandLine;

/**
 * {@code --web.config.file} with real clients: promtool 2.42 agrees with {@code specula tool
 * check web-config} on valid and invalid files; the real Prometheus 2.42 scrapes and federates a
 * TLS + basic-auth Specula server with its own {@code tls_config}/{@code basic_auth}; curl is
 * refused without the password and served with it.
 */
class WebConfigEndToEndTest {
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final Path AMTOOL = Path.of("/usr/bin/amtool");

    @TempDir
    static Path dir;
    static TestPki pki;
    static String hash;

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeAll
    static void pki() throws Exception {
        pki = TestPki.create(dir.resolve("pki"));
        hash = BCrypt.hashpw("s3cret", BCrypt.gensalt(4));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
        cleanup.clear();
    }

    private static String tls(String extra) {
        return "tls_server_config:\n  cert_file: " + pki.serverCert() + "\n  key_file: " + pki.serverKey() + "\n" + extra;
    }

    /** Files in the format promtool 2.42's toolkit knows, with promtool's verdict. */
    private static Map<String, String> corpus() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("empty", "");
        m.put("users", "basic_auth_users:\n  alice: '" + hash + "'\n");
        m.put("tls", tls(""));
        m.put("tls-client-auth", tls("  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: " + pki.caCert() + "\n"));
        m.put("tls-options", tls("  min_version: TLS13\n  curve_preferences: [X25519, CurveP256]\n"
                + "  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]\n  prefer_server_cipher_suites: false\n"));
        m.put("headers", "http_server_config:\n  http2: false\n  headers:\n    X-Frame-Options: sameorigin\n"
                + "    Strict-Transport-Security: max-age=1\n");
        m.put("bad-hash", "basic_auth_users:\n  alice: plain\n");
        m.put("bad-hash-cost", "basic_auth_users:\n  alice: '" + hash.replace("$04$", "$40$") + "'\n");
        m.put("bad-header", "http_server_config:\n  headers:\n    Server: specula\n");
        m.put("bad-header-value", "http_server_config:\n  headers:\n    X-Content-Type-Options: sniff\n");
        m.put("missing-key", "tls_server_config:\n  cert_file: " + pki.serverCert() + "\n");
        m.put("missing-cert", "tls_server_config:\n  key_file: " + pki.serverKey() + "\n");
        m.put("missing-cert-file", "tls_server_config:\n  cert_file: /nonexistent/c.pem\n  key_file: " + pki.serverKey() + "\n");
        m.put("key-is-cert", "tls_server_config:\n  cert_file: " + pki.serverCert() + "\n  key_file: " + pki.serverCert() + "\n");
        m.put("bad-client-auth", tls("  client_auth_type: Maybe\n"));
        m.put("ca-without-policy", tls("  client_ca_file: " + pki.caCert() + "\n"));
        m.put("bad-cipher", tls("  cipher_suites: [TLS_RSA_WITH_RC4_128_SHA]\n"));
        m.put("bad-curve", tls("  curve_preferences: [CurveP224]\n"));
        m.put("bad-version", tls("  min_version: SSL3\n"));
        m.put("unknown-key", "tls_server_config:\n  certfile: x\n");
        return m;
    }

    @Test
    void checkWebConfig_agreesWithPromtool() throws Exception {
        assumeTrue(Files.isExecutable(PROMTOOL), PROMTOOL + " missing (install Debian's prometheus package, or run .ci/run)");
        Path files = Files.createDirectories(dir.resolve("corpus"));
        int bad = 0;
        for (Map.Entry<String, String> e : corpus().entrySet()) {
            Path f = files.resolve(e.getKey() + ".yml");
            Files.writeString(f, e.getValue());
            Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "web-config", f.toString()).redirectErrorStream(true).start();
            String theirs = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream saved = System.err;
            int ours;
            try {
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                ours = Main.run("tool", "check", "web-config", f.toString());
            } finally {
                System.setErr(saved);
            }
            String mine = err.toString(StandardCharsets.UTF_8);
            assertThat(ours).as("%s: promtool said %s, we said %s", e.getKey(), theirs, mine).isEqualTo(p.exitValue());
            assertThat(mine.startsWith(f + (ours == 0 ? " SUCCESS" : " FAILED: "))).as(mine).isTrue();
            bad += ours;
            // Where the toolkit's words did not change after 2.42 ("Invalid ClientAuth" became
            // "invalid ClientAuth", "Client CA's…" "client CA's…", "missing cert_file" "missing one of cert
            // or cert_file"; ours are the newer).
            if (e.getKey().startsWith("bad-h")) {
                assertThat(mine).as("same words as promtool").isEqualTo(theirs);
            }
        }
        assertThat(bad).as("invalid files in the corpus").isEqualTo(14);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void realPrometheus_scrapesAndFederates_aTlsAndBasicAuthServer() throws Exception {
        assumeTrue(Files.isExecutable(PROMETHEUS), PROMETHEUS + " missing (install Debian's prometheus package, or run .ci/run)");
        Path web = dir.resolve("web.yml");
        Files.writeString(web, tls("basic_auth_users:\n  prom: '" + hash + "'\n"));
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs("--web.listen-address=127.0.0.1:0", "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.config.file=" + web);
        Server specula = Server.start(cmd.options());
        cleanup.add(specula);
        String base = "https://127.0.0.1:" + specula.port();

        Process curl = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", pki.caCert().toString(),
                base + "/-/healthy").start();
        assertThat(new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("401");
        curl = new ProcessBuilder("curl", "-s", "--cacert", pki.caCert().toString(), "-u", "prom:s3cret", base + "/-/healthy").start();
        assertThat(new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("Healthy");

        int promPort = freePort();
        Path promConfig = dir.resolve("prometheus.yml");
        String client = """
                    scheme: https
                    tls_config: {ca_file: %s}
                    basic_auth: {username: prom, password: s3cret}
                    static_configs: [{targets: ["127.0.0.1:%d"]}]
                """.formatted(pki.caCert(), specula.port());
        Files.writeString(promConfig, "global: {scrape_interval: 1s}\nscrape_configs:\n"
                + "  - job_name: specula\n" + client
                + "  - job_name: federate\n    metrics_path: /federate\n"
                + "    params: {'match[]': ['{__name__=\"up\"}']}\n" + client);
        Process prom = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + promConfig,
                "--storage.tsdb.path=" + dir.resolve("prom-data"), "--web.listen-address=127.0.0.1:" + promPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        cleanup.add(() -> {
            prom.destroy();
            prom.waitFor(10, TimeUnit.SECONDS);
        });
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        cleanup.add(http::close);
        String q = "http://127.0.0.1:" + promPort + "/api/v1/query?query="
                + URLEncoder.encode("count(up{job=~\"specula|federate\"} == 1)", StandardCharsets.UTF_8);
        long deadline = System.currentTimeMillis() + 60_000;
        String last = "";
        while (!last.contains("\"value\":[") || !last.contains("\"2\"]")) {
            assertThat(System.currentTimeMillis()).as("Prometheus scraping both jobs over TLS with basic auth; last: %s; log: %s",
                    last, Files.exists(dir.resolve("prometheus.log")) ? Files.readString(dir.resolve("prometheus.log")) : "")
                    .isLessThan(deadline);
            Thread.sleep(500);
            try {
                last = http.send(HttpRequest.newBuilder(URI.create(q)).build(), HttpResponse.BodyHandlers.ofString()).body();
            } catch (java.io.IOException e) {
                last = e.toString(); // Prometheus still starting
            }
        }
        // Specula's own series arrived through federation, its job label kept as exported_job.
        String fed = "";
        while (!fed.contains("\"exported_job\":\"specula\"")) {
            assertThat(System.currentTimeMillis()).as("federated series; last: %s", fed).isLessThan(deadline + 30_000);
            Thread.sleep(500);
            fed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + promPort + "/api/v1/query?query="
                    + URLEncoder.encode("up{job=\"federate\"}", StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    /**
     * The Alertmanager behind TLS + basic auth: the real Prometheus 2.42 delivers a firing alert
     * with its {@code alerting.alertmanagers[].tls_config}/{@code basic_auth}, and the real amtool
     * reads it back with {@code --http.config.file}; without credentials it is refused.
     */
    @Test
    void realPrometheusAndAmtool_talkTo_aTlsAndBasicAuthAlertmanager() throws Exception {
        assumeTrue(Files.isExecutable(PROMETHEUS), PROMETHEUS + " missing (install Debian's prometheus package, or run .ci/run)");
        assumeTrue(Files.isExecutable(AMTOOL), AMTOOL + " missing (install Debian's prometheus-alertmanager package, or run .ci/run)");
        Path web = dir.resolve("am-web.yml");
        Files.writeString(web, tls("basic_auth_users:\n  prom: '" + hash + "'\n"));
        Path amConfig = dir.resolve("alertmanager.yml");
        Files.writeString(amConfig, "route:\n  receiver: blackhole\n  group_wait: 1s\nreceivers:\n  - name: blackhole\n");
        io.specula.alertmanager.AlertmanagerOptions o = new io.specula.alertmanager.AlertmanagerOptions();
        o.configFile = amConfig;
        o.storagePath = dir.resolve("am-data");
        o.listenAddress = "127.0.0.1:0";
        o.webConfigFile = web;
        io.specula.alertmanager.Alertmanager am = io.specula.alertmanager.Alertmanager.start(o);
        cleanup.add(am);
        String amAddress = am.boundAddress();
        String amPort = amAddress.substring(amAddress.lastIndexOf(':') + 1);

        Process curl = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", pki.caCert().toString(),
                "https://127.0.0.1:" + amPort + "/api/v2/alerts").start();
        assertThat(new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("401");

        Path rules = dir.resolve("always.rules.yml");
        Files.writeString(rules, "groups:\n  - name: g\n    interval: 1s\n    rules:\n"
                + "      - alert: AlwaysFiring\n        expr: vector(1)\n        labels: {severity: test}\n");
        Path promConfig = dir.resolve("prometheus-am.yml");
        Files.writeString(promConfig, """
                global: {evaluation_interval: 1s}
                rule_files: ['%s']
                alerting:
                  alertmanagers:
                    - scheme: https
                      tls_config: {ca_file: %s}
                      basic_auth: {username: prom, password: s3cret}
                      static_configs: [{targets: ["127.0.0.1:%s"]}]
                """.formatted(rules, pki.caCert(), amPort));
        int promPort = freePort();
        Process prom = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + promConfig,
                "--storage.tsdb.path=" + dir.resolve("prom-am-data"), "--web.listen-address=127.0.0.1:" + promPort,
                // The first send can precede the Alertmanager's discovery (dropped): resend soon, not after 1m.
                "--rules.alert.resend-delay=1s")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus-am.log").toFile()).start();
        cleanup.add(() -> {
            prom.destroy();
            prom.waitFor(10, TimeUnit.SECONDS);
        });

        Path httpConfig = dir.resolve("amtool-http.yml");
        Files.writeString(httpConfig, "tls_config:\n  ca_file: " + pki.caCert() + "\nbasic_auth:\n  username: prom\n  password: s3cret\n");
        long deadline = System.currentTimeMillis() + 60_000;
        String out = "";
        while (!out.contains("AlwaysFiring")) {
            if (System.currentTimeMillis() > deadline) {
                String diag;
                try (HttpClient http = HttpClient.newHttpClient()) {
                    String base = "http://127.0.0.1:" + promPort;
                    diag = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/alerts")).build(),
                            HttpResponse.BodyHandlers.ofString()).body() + "\n"
                            + http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/alertmanagers")).build(),
                            HttpResponse.BodyHandlers.ofString()).body() + "\n"
                            + http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                            HttpResponse.BodyHandlers.ofString()).body().lines().filter(l -> l.contains("notifications"))
                            .reduce("", (a, b) -> a + b + "\n");
                }
                throw new AssertionError("amtool did not see the alert Prometheus sent; amtool: " + out + "; Prometheus: " + diag
                        + "; log: " + Files.readString(dir.resolve("prometheus-am.log")));
            }
            Thread.sleep(500);
            Process amtool = new ProcessBuilder(AMTOOL.toString(), "--alertmanager.url=https://127.0.0.1:" + amPort,
                    "--http.config.file=" + httpConfig, "alert", "query").redirectErrorStream(true).start();
            out = new String(amtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            amtool.waitFor(10, TimeUnit.SECONDS);
        }
        // Without the credentials amtool is refused.
        Files.writeString(dir.resolve("amtool-noauth.yml"), "tls_config:\n  ca_file: " + pki.caCert() + "\n");
        Process denied = new ProcessBuilder(AMTOOL.toString(), "--alertmanager.url=https://127.0.0.1:" + amPort,
                "--http.config.file=" + dir.resolve("amtool-noauth.yml"), "alert", "query").redirectErrorStream(true).start();
        String deniedOut = new String(denied.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(denied.waitFor()).as(deniedOut).isNotZero();
        assertThat(deniedOut).doesNotContain("AlwaysFiring");
    }

    /** The real Prometheus 2.42 scrapes a TLS + basic-auth {@code specula pushgateway} and {@code specula node-exporter}. */
    @Test
    void realPrometheus_scrapes_aTlsAndBasicAuthPushgatewayAndNodeExporter() throws Exception {
        assumeTrue(Files.isExecutable(PROMETHEUS), PROMETHEUS + " missing (install Debian's prometheus package, or run .ci/run)");
        Path web = dir.resolve("exporters-web.yml");
        Files.writeString(web, tls("basic_auth_users:\n  prom: '" + hash + "'\n"));
        io.specula.pushgateway.PushgatewayOptions po = new io.specula.pushgateway.PushgatewayOptions();
        po.listenAddress = "127.0.0.1:0";
        po.webConfigFile = web;
        io.specula.pushgateway.Pushgateway pg = io.specula.pushgateway.Pushgateway.start(po);
        cleanup.add(pg);
        io.specula.nodeexporter.NodeExporter ne = new io.specula.nodeexporter.NodeExporter(
                io.specula.nodeexporter.NodeExporterOptions.defaults().withCollectors(java.util.Set.of("loadavg")));
        io.specula.nodeexporter.NodeExporterServer ns = io.specula.nodeexporter.NodeExporterServer.start(ne, "127.0.0.1:0",
                "/metrics", web);
        cleanup.add(ns);
        String client = """
                    scheme: https
                    tls_config: {ca_file: %s}
                    basic_auth: {username: prom, password: s3cret}
                """.formatted(pki.caCert());
        Path promConfig = dir.resolve("prometheus-exporters.yml");
        Files.writeString(promConfig, "global: {scrape_interval: 1s}\nscrape_configs:\n"
                + "  - job_name: pushgateway\n" + client + "    static_configs: [{targets: ['127.0.0.1:" + pg.port() + "']}]\n"
                + "  - job_name: node\n" + client + "    static_configs: [{targets: ['127.0.0.1:" + ns.port() + "']}]\n");
        int promPort = freePort();
        Process prom = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + promConfig,
                "--storage.tsdb.path=" + dir.resolve("prom-exp-data"), "--web.listen-address=127.0.0.1:" + promPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus-exp.log").toFile()).start();
        cleanup.add(() -> {
            prom.destroy();
            prom.waitFor(10, TimeUnit.SECONDS);
        });
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        cleanup.add(http::close);
        String q = "http://127.0.0.1:" + promPort + "/api/v1/query?query="
                + URLEncoder.encode("count(up{job=~\"pushgateway|node\"} == 1) + count(node_load1) + count(pushgateway_build_info)",
                        StandardCharsets.UTF_8);
        long deadline = System.currentTimeMillis() + 60_000;
        String last = "";
        while (!last.contains("\"4\"]")) {
            assertThat(System.currentTimeMillis()).as("Prometheus scraping both over TLS with basic auth; last: %s; targets: %s", last,
                    targets(http, promPort)).isLessThan(deadline);
            Thread.sleep(500);
            try {
                last = http.send(HttpRequest.newBuilder(URI.create(q)).build(), HttpResponse.BodyHandlers.ofString()).body();
            } catch (java.io.IOException e) {
                last = e.toString(); // Prometheus still starting
            }
        }
    }

    private static String targets(HttpClient http, int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/targets")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return e.toString();
        }
    }
}
