package io.specula.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.specula.testsupport.Await;
import io.specula.testsupport.kube.FakeKubeApiServer;
import java.net.InetSocketAddress;
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
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The server with kubernetes_sd_configs against the fake API server: pods annotated
 * prometheus.io/scrape are scraped with the Helm chart's relabeling (port from the annotation,
 * pod labels, namespace, pod), unannotated ones are dropped, a deleted pod's target goes away,
 * and an Alertmanager found through Kubernetes discovery receives the alerts.
 */
class KubernetesEndToEndTest {
    @TempDir
    Path dir;

    private static String pod(String name, String app, boolean scrape, int port) {
        return """
                {"kind":"Pod","metadata":{"name":"%s","namespace":"shop","labels":{"app":"%s"},
                  "annotations":{%s}},
                 "spec":{"containers":[{"name":"c","image":"i","ports":[{"name":"http","containerPort":%d}]}]},
                 "status":{"phase":"Running","podIP":"127.0.0.1","conditions":[{"type":"Ready","status":"True"}]}}
                """.formatted(name, app, scrape ? "\"prometheus.io/scrape\":\"true\",\"prometheus.io/port\":\"" + port + "\"" : "", port + 1);
    }

    @Test
    void podsAnnotatedForScraping_areScrapedAndAlertsReachADiscoveredAlertmanager() throws Exception {
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/metrics", ex -> {
            byte[] b = "demo_metric 42\n".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        List<String> alerts = new CopyOnWriteArrayList<>();
        HttpServer am = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        am.createContext("/", ex -> {
            alerts.add(ex.getRequestURI().getPath() + " " + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        target.start();
        am.start();
        try (FakeKubeApiServer fake = new FakeKubeApiServer(); HttpClient http = HttpClient.newHttpClient()) {
            int port = target.getAddress().getPort();
            fake.apply(pod("demo-1", "demo", true, port));
            fake.apply(pod("quiet-1", "quiet", false, port));
            fake.apply("""
                    {"kind":"Pod","metadata":{"name":"alertmanager-0","namespace":"monitoring","labels":{"app":"alertmanager"}},
                     "spec":{"containers":[{"name":"am","image":"i","ports":[{"name":"web","containerPort":%d}]}]},
                     "status":{"phase":"Running","podIP":"127.0.0.1"}}
                    """.formatted(am.getAddress().getPort()));
            Files.writeString(dir.resolve("rules.yml"), """
                    groups:
                      - name: g
                        interval: 1s
                        rules:
                          - alert: DemoUp
                            expr: demo_metric > 0
                    """);
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global: {scrape_interval: 1s, evaluation_interval: 1s}
                    rule_files: [rules.yml]
                    alerting:
                      alertmanagers:
                        - kubernetes_sd_configs:
                            - role: pod
                              api_server: %1$s
                              namespaces: {names: [monitoring]}
                          relabel_configs:
                            - source_labels: [__meta_kubernetes_pod_label_app, __meta_kubernetes_pod_container_port_name]
                              regex: alertmanager;web
                              action: keep
                    scrape_configs:
                      - job_name: kubernetes-pods
                        kubernetes_sd_configs:
                          - role: pod
                            api_server: %1$s
                        relabel_configs:
                          - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape]
                            regex: "true"
                            action: keep
                          - source_labels: [__address__, __meta_kubernetes_pod_annotation_prometheus_io_port]
                            regex: (.+?)(?::\\d+)?;(\\d+)
                            replacement: $1:$2
                            target_label: __address__
                          - action: labelmap
                            regex: __meta_kubernetes_pod_label_(.+)
                          - source_labels: [__meta_kubernetes_namespace]
                            target_label: namespace
                          - source_labels: [__meta_kubernetes_pod_name]
                            target_label: pod
                    """.formatted(fake.url()));
            ServerCommand cmd = new ServerCommand();
            new CommandLine(cmd).parseArgs("--config.file=" + config, "--web.listen-address=127.0.0.1:0",
                    "--storage.tsdb.path=" + dir.resolve("data"));
            try (Server s = Server.start(cmd.options())) {
                String base = "http://127.0.0.1:" + s.port();
                String q = base + "/api/v1/query?query=" + URLEncoder.encode("demo_metric", StandardCharsets.UTF_8);
                String[] last = {""};
                try {
                    Await.until(Duration.ofSeconds(30), () -> {
                        last[0] = get(http, q);
                        return last[0].contains("\"pod\":\"demo-1\"");
                    });
                } catch (AssertionError e) {
                    throw new AssertionError("no demo_metric from the pod: " + last[0] + "\ntargets: " + get(http, base + "/api/v1/targets"), e);
                }
                assertThat(last[0]).contains("\"namespace\":\"shop\"").contains("\"app\":\"demo\"")
                        .contains("\"instance\":\"127.0.0.1:" + port + "\"").contains("\"job\":\"kubernetes-pods\"");
                String targets = get(http, base + "/api/v1/targets");
                assertThat(targets).contains("\"__meta_kubernetes_pod_name\":\"demo-1\"").contains("\"__meta_kubernetes_pod_name\":\"quiet-1\"");
                assertThat(get(http, base + "/metrics")).contains("prometheus_sd_kubernetes_events_total{event=\"add\",role=\"pod\"}");

                // the alert goes to the Alertmanager that Kubernetes discovery found
                try {
                    Await.until(Duration.ofSeconds(30), () -> alerts.stream().anyMatch(a -> a.contains("DemoUp")));
                } catch (AssertionError e) {
                    throw new AssertionError("alerts: " + get(http, base + "/api/v1/alerts") + "\nreceived: " + alerts
                            + "\nalertmanagers: " + get(http, base + "/api/v1/alertmanagers"), e);
                }
                assertThat(alerts.getFirst()).startsWith("/api/v2/alerts");

                fake.delete("pods", "shop", "demo-1");
                Await.until(Duration.ofSeconds(20), () -> !get(http, base + "/api/v1/targets").contains("\"pod\":\"demo-1\""));
            }
        } finally {
            target.stop(0);
            am.stop(0);
        }
    }

    private static String get(HttpClient http, String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
    }
}
