package io.specula.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.specula.testsupport.Await;
import io.specula.testsupport.kube.FakeKubeApiServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fake API server checked by a real client-go client: kubectl lists (paginated, with
 * selectors) and watches what the fake serves.
 */
class FakeApiServerKubectlTest {
    static FakeKubeApiServer fake;
    static Path kubectl;
    @TempDir
    static Path home;

    @BeforeAll
    static void start() throws Exception {
        kubectl = findKubectl();
        assumeTrue(kubectl != null, "kubectl not found on PATH (Debian package kubectl): skipping the client-go check of the fake API server");
        fake = new FakeKubeApiServer();
        KubeTestSupport.loadFixture(fake);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fake != null) {
            fake.close();
        }
    }

    static Path findKubectl() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, "kubectl");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private ProcessBuilder kubectl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(kubectl.toString(), "--server", fake.url(),
                "--cache-dir", home.resolve("cache").toString(), "--request-timeout", "10s"));
        cmd.addAll(List.of(args));
        Path kc = home.resolve("kubeconfig");
        Files.writeString(kc, "apiVersion: v1\nkind: Config\n");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("KUBECONFIG", kc.toString());
        pb.environment().put("HOME", home.toString());
        return pb;
    }

    private JsonNode json(String... args) throws Exception {
        Process p = kubectl(args).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return JsonMapper.builder().build().readTree(out);
    }

    private static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.path("items").forEach(i -> out.add(i.path("metadata").path("namespace").asString("") + "/" + i.path("metadata").path("name").asString()));
        return out;
    }

    @Test
    void kubectlGet_listsPaginatesAndSelects() throws Exception {
        assertThat(names(json("get", "pods", "-A", "-o", "json"))).containsExactly("default/v6", "web/pending", "web/web-1");
        // --chunk-size pages through limit/continue
        assertThat(names(json("get", "pods", "-A", "-o", "json", "--chunk-size", "1"))).containsExactly("default/v6", "web/pending", "web/web-1");
        assertThat(names(json("get", "pods", "-n", "web", "-l", "app in (web)", "-o", "json"))).containsExactly("web/web-1");
        assertThat(names(json("get", "pods", "-A", "--field-selector", "status.phase!=Running", "-o", "json"))).containsExactly("web/pending");
        assertThat(names(json("get", "endpointslices.discovery.k8s.io", "-A", "-o", "json"))).containsExactly("web/web-x7k2p");
        assertThat(names(json("get", "ingresses.networking.k8s.io", "-n", "web", "-o", "json"))).containsExactly("web/web");
        assertThat(names(json("get", "nodes", "-o", "json"))).containsExactly("/node-1", "/node-2", "/node-3");
        assertThat(json("get", "pod", "web-1", "-n", "web", "-o", "json").path("status").path("podIP").asString()).isEqualTo("10.1.0.5");
    }

    @Test
    void kubectlWatch_seesChangesAsTheyHappen() throws Exception {
        Process p = kubectl("get", "pods", "-n", "web", "--watch", "-o", "json").start();
        try {
            List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread reader = Thread.ofVirtual().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        seen.add(line);
                    }
                } catch (java.io.IOException ignored) {
                    // process ended
                }
            });
            Await.until(Duration.ofSeconds(20), () -> String.join("\n", seen).contains("\"web-1\""));
            fake.apply("{\"kind\":\"Pod\",\"metadata\":{\"name\":\"watched-pod\",\"namespace\":\"web\"},"
                    + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]},\"status\":{\"podIP\":\"10.1.0.99\"}}");
            Await.until(Duration.ofSeconds(10), () -> String.join("\n", seen).contains("\"watched-pod\""));
            reader.interrupt();
        } finally {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
            fake.delete("pods", "web", "watched-pod");
        }
    }
}
