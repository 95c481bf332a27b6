package io.specula.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.specula.discovery.kubernetes.KubeTestSupport.Running;
import io.specula.testsupport.Await;
import io.specula.testsupport.kube.FakeKubeApiServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Second opinion: VictoriaMetrics 1.79 (Debian's victoria-metrics, which reads Prometheus's
 * kubernetes_sd_configs) discovers the same fake cluster; its discovered labels are compared
 * with ours target by target. Every difference must be one of the explained ones below (see
 * docs/discovery-kubernetes.md for which side matches Prometheus); anything new fails.
 */
class VictoriaMetricsKubernetesTest {
    private static final Path VM = Path.of(System.getProperty("specula.victoriametrics", "/usr/bin/victoria-metrics"));
    static final List<String> ROLES = List.of("node", "pod", "service", "endpoints", "endpointslice", "ingress");

    /**
     * The explained differences: a role, a pattern of label names and why; such a label may
     * differ in value or presence. In every case Specula follows Prometheus (its docs and source).
     * Beyond these, VictoriaMetrics shows labels with empty values, which Prometheus 3 leaves
     * out; those are compared as absent.
     */
    record Known(String role, String labelPattern, String why) {}

    static final List<Known> KNOWN = List.of(
            new Known("pod", "__meta_kubernetes_pod_container_(id|image)", "VictoriaMetrics 1.79 predates these labels"),
            new Known("pod|endpoints|endpointslice", "__meta_kubernetes_pod_ipv[46]", "Prometheus 3 labels, newer than VictoriaMetrics 1.79"),
            new Known("pod", "TARGET (\\[fd00::5\\]|fd00:0::5)\\|portless\\|",
                    "a port-less IPv6 pod: Prometheus 3 brackets the address in Go's canonical form, VictoriaMetrics 1.79 writes the bare address"),
            new Known("service", "__meta_kubernetes_service_(port_number|loadbalancer_ip)", "VictoriaMetrics 1.79 predates these labels"),
            new Known("endpoints|endpointslice", "__meta_kubernetes_pod_container_(image|init)", "VictoriaMetrics 1.79 predates these labels"),
            new Known("endpoints|endpointslice", "__meta_kubernetes_service_(cluster_ip|type)",
                    "VictoriaMetrics adds the service's per-port labels to endpoints targets; Prometheus attaches only the service's name, labels and annotations"),
            new Known("endpoints", "__meta_kubernetes_endpoints_.*",
                    "VictoriaMetrics leaves the endpoints object's labels off targets made for unnamed container ports; in Prometheus they are group labels, on every target"),
            new Known("endpointslice", "__meta_kubernetes_endpointslice_(name|address_type|label_.*|labelpresent_.*)",
                    "VictoriaMetrics leaves the slice's labels off targets made for unnamed container ports; in Prometheus they are group labels, on every target"),
            new Known("endpointslice", "__meta_kubernetes_endpointslice_endpoint_(conditions_serving|conditions_terminating|node_name|zone|topology_.*)",
                    "VictoriaMetrics 1.79 predates these labels"),
            new Known("endpoints|endpointslice", "TARGET .*\\|init\\|",
                    "VictoriaMetrics 1.79 ignores init containers' ports; Prometheus makes targets for them"));

    static boolean known(String role, String label) {
        for (Known k : KNOWN) {
            if (role.matches(k.role()) && label.matches(k.labelPattern())) {
                return true;
            }
        }
        return false;
    }

    static FakeKubeApiServer fake;
    static Process vm;
    static int port;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(VM), "SKIPPED: " + VM + " not found (Debian package victoria-metrics): no second opinion on Kubernetes SD");
        fake = new FakeKubeApiServer();
        KubeTestSupport.loadFixture(fake);
        StringBuilder cfg = new StringBuilder("scrape_configs:\n");
        for (String role : ROLES) {
            cfg.append("  - job_name: ").append(role).append("\n    scrape_interval: 1h\n    kubernetes_sd_configs:\n")
                    .append("      - role: ").append(role).append("\n        api_server: ").append(fake.url()).append('\n');
        }
        Path config = dir.resolve("vm.yml");
        Files.writeString(config, cfg);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        vm = new ProcessBuilder(VM.toString(), "-promscrape.config=" + config, "-httpListenAddr=127.0.0.1:" + port,
                "-storageDataPath=" + dir.resolve("vmdata"), "-loggerLevel=ERROR")
                .redirectErrorStream(true).redirectOutput(dir.resolve("vm.log").toFile()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (vm != null) {
            vm.destroy();
            vm.waitFor(10, TimeUnit.SECONDS);
        }
        if (fake != null) {
            fake.close();
        }
    }

    /** job → the discovered label sets VictoriaMetrics shows, active and dropped. */
    static Map<String, List<Map<String, String>>> vmTargets() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/targets")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            JsonNode root = JsonMapper.builder().build().readTree(body);
            Map<String, List<Map<String, String>>> out = new TreeMap<>();
            for (String kind : List.of("activeTargets", "droppedTargets")) {
                for (JsonNode t : root.path("data").path(kind)) {
                    Map<String, String> m = new TreeMap<>();
                    t.path("discoveredLabels").forEachEntry((k, v) -> m.put(k, v.asString()));
                    String job = m.getOrDefault("job", t.path("labels").path("job").asString());
                    out.computeIfAbsent(job, k -> new ArrayList<>()).add(m);
                }
            }
            return out;
        }
    }

    @Test
    void everyRole_discoveredLabelsAgreeExceptExplainedDifferences() throws Exception {
        Await.until(Duration.ofSeconds(60), () -> {
            try {
                return vmTargets().keySet().containsAll(ROLES);
            } catch (Exception e) {
                return false;
            }
        });
        Thread.sleep(2000); // let every role settle
        Map<String, List<Map<String, String>>> theirs = vmTargets();
        List<String> differences = new ArrayList<>();
        for (String role : ROLES) {
            List<Map<String, String>> ours = new ArrayList<>();
            try (Running r = new Running(KubeTestSupport.discoverer("  - role: " + role + "\n    api_server: " + fake.url() + "\n"))) {
                Await.until(Duration.ofSeconds(10), () -> !r.sendTimes.isEmpty());
                for (String source : new TreeSet<>(r.groups.keySet())) {
                    ours.addAll(r.targets(source));
                }
            }
            compare(role, ours, theirs.getOrDefault(role, List.of()), differences);
        }
        assertThat(differences).isEmpty();
        assertThat(theirs.keySet()).containsAll(ROLES);
    }

    /** Pairs targets by address and container/port identity, then compares label by label. */
    static void compare(String role, List<Map<String, String>> ours, List<Map<String, String>> theirs, List<String> out) {
        Map<String, Map<String, String>> byKey = new TreeMap<>();
        for (Map<String, String> t : theirs) {
            Map<String, String> clean = new TreeMap<>(t);
            clean.keySet().removeIf(k -> Set.of("job", "__scrape_interval__", "__scrape_timeout__", "__scheme__", "__metrics_path__").contains(k));
            clean.values().removeIf(String::isEmpty); // Prometheus 3 leaves empty labels out
            byKey.put(key(clean), clean);
        }
        for (Map<String, String> o : ours) {
            Map<String, String> t = byKey.remove(key(o));
            if (t == null) {
                if (!known(role, "TARGET " + key(o))) {
                    out.add(role + ": only Specula has " + key(o));
                }
                continue;
            }
            Set<String> names = new TreeSet<>(o.keySet());
            names.addAll(t.keySet());
            for (String n : names) {
                String a = o.get(n);
                String b = t.get(n);
                if (!java.util.Objects.equals(a, b) && !known(role, n)) {
                    out.add(role + " " + key(o) + ": " + n + " Specula=" + a + " VictoriaMetrics=" + b);
                }
            }
        }
        byKey.keySet().stream().filter(k -> !known(role, "TARGET " + k))
                .forEach(k -> out.add(role + ": only VictoriaMetrics has " + k));
    }

    static String key(Map<String, String> t) {
        return t.get("__address__") + "|" + t.getOrDefault("__meta_kubernetes_pod_container_name", "")
                + "|" + t.getOrDefault("__meta_kubernetes_ingress_path", "");
    }
}
