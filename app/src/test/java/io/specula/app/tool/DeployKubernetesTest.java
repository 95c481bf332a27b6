package io.specula.app.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * deploy/kubernetes rendered by {@code kubectl kustomize}: the configs load, the ClusterRole lets
 * every configured kubernetes_sd_config watch what its role watches, and the workloads run as a
 * non-root user with a read-only root filesystem, no capabilities and the health probes.
 */
class DeployKubernetesTest {
    static final Path DEPLOY = Path.of("..", "deploy", "kubernetes").toAbsolutePath().normalize();
    static List<JsonNode> objects = new ArrayList<>();

    @BeforeAll
    static void render() throws Exception {
        Path kubectl = null;
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, "kubectl"))) {
                kubectl = Path.of(d, "kubectl");
            }
        }
        assumeTrue(kubectl != null, "SKIPPED: kubectl not found on PATH (Debian package kubectl): deploy/kubernetes not rendered");
        Process p = new ProcessBuilder(kubectl.toString(), "kustomize", DEPLOY.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        try (var it = YAMLMapper.builder().build().readerFor(JsonNode.class).readValues(out)) {
            while (it.hasNextValue()) {
                JsonNode n = (JsonNode) it.nextValue();
                if (n != null && n.isObject()) {
                    objects.add(n);
                }
            }
        }
    }

    static List<JsonNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asString())).toList();
    }

    static JsonNode named(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(o.path("metadata").path("name").asString())).findFirst().orElseThrow();
    }

    @Test
    void configs_loadWithCheckConfig(@TempDir Path dir) throws Exception {
        Path prom = dir.resolve("prometheus.yml");
        Files.writeString(prom, named("ConfigMap", "specula-server").path("data").path("prometheus.yml").asString());
        var r = CheckConfigPromtoolDifferentialTest.specula(prom);
        assertThat(r.exit()).as(r.stdout() + r.stderr()).isZero();
        Path am = dir.resolve("alertmanager.yml");
        Files.writeString(am, named("ConfigMap", "specula-alertmanager").path("data").path("alertmanager.yml").asString());
        var cli = new picocli.CommandLine(new io.specula.app.Main());
        var out = new java.io.StringWriter();
        cli.setOut(new java.io.PrintWriter(out));
        cli.setErr(new java.io.PrintWriter(out));
        assertThat(cli.execute("tool", "check", "alertmanager-config", am.toString())).as(out.toString()).isZero();
    }

    /** Role → the (group/resource) pairs its informers list and watch. */
    static final Map<String, List<String>> WATCHED = Map.of(
            "node", List.of("/nodes"),
            "pod", List.of("/pods"),
            "service", List.of("/services"),
            "endpoints", List.of("/endpoints", "/services", "/pods"),
            "endpointslice", List.of("discovery.k8s.io/endpointslices", "/services", "/pods"),
            "ingress", List.of("networking.k8s.io/ingresses"));

    @Test
    void clusterRole_coversEveryResourceTheConfiguredRolesWatch() throws Exception {
        JsonNode config = YAMLMapper.builder().build().readTree(
                named("ConfigMap", "specula-server").path("data").path("prometheus.yml").asString());
        Set<String> needed = new HashSet<>();
        List<JsonNode> sds = new ArrayList<>();
        config.path("scrape_configs").forEach(j -> j.path("kubernetes_sd_configs").forEach(sds::add));
        config.path("alerting").path("alertmanagers").forEach(a -> a.path("kubernetes_sd_configs").forEach(sds::add));
        assertThat(sds).hasSizeGreaterThanOrEqualTo(5);
        for (JsonNode sd : sds) {
            needed.addAll(WATCHED.get(sd.path("role").asString()));
            if (sd.path("attach_metadata").path("node").asBoolean(false)) {
                needed.add("/nodes");
            }
            if (sd.path("attach_metadata").path("namespace").asBoolean(false)) {
                needed.add("/namespaces");
            }
        }
        // and what the issue asks the role to hold besides (node proxy, owner lookups)
        needed.addAll(List.of("/nodes/metrics", "/namespaces", "apps/replicasets", "batch/jobs", "/endpoints",
                "discovery.k8s.io/endpointslices", "networking.k8s.io/ingresses"));
        Set<String> granted = new HashSet<>();
        for (JsonNode rule : named("ClusterRole", "specula").path("rules")) {
            Set<String> verbs = new HashSet<>();
            rule.path("verbs").forEach(v -> verbs.add(v.asString()));
            if (!verbs.containsAll(List.of("get", "list", "watch"))) {
                continue;
            }
            rule.path("apiGroups").forEach(g -> rule.path("resources").forEach(r -> granted.add(g.asString() + "/" + r.asString())));
        }
        assertThat(granted).containsAll(needed);
        // bound to the service account the server runs as, in the namespace it runs in
        JsonNode binding = named("ClusterRoleBinding", "specula");
        JsonNode server = named("StatefulSet", "specula-server");
        assertThat(binding.path("roleRef").path("name").asString()).isEqualTo("specula");
        assertThat(binding.path("subjects").get(0).path("name").asString())
                .isEqualTo(server.path("spec").path("template").path("spec").path("serviceAccountName").asString());
        assertThat(binding.path("subjects").get(0).path("namespace").asString())
                .isEqualTo(server.path("metadata").path("namespace").asString());
        named("ServiceAccount", "specula");
    }

    @Test
    void workloads_nonRootReadOnlyNoCapabilitiesProbedAndPersistent() {
        List<JsonNode> sets = ofKind("StatefulSet");
        assertThat(sets).hasSize(2);
        for (JsonNode s : sets) {
            JsonNode pod = s.path("spec").path("template").path("spec");
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
            assertThat(pod.path("securityContext").path("runAsUser").asInt()).isPositive();
            for (JsonNode c : pod.path("containers")) {
                JsonNode sc = c.path("securityContext");
                assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).as(c.path("name").asString()).isTrue();
                assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
                assertThat(sc.path("capabilities").path("drop").toString()).contains("\"ALL\"");
            }
            JsonNode main = pod.path("containers").get(0);
            assertThat(main.path("image").asString()).startsWith("ghcr.io/specula/specula:");
            assertThat(main.path("readinessProbe").path("httpGet").path("path").asString()).isEqualTo("/-/ready");
            assertThat(main.path("livenessProbe").path("httpGet").path("path").asString()).isEqualTo("/-/healthy");
            // the data directory is the persistent volume; a writable /tmp for the JVM
            String dataFlag = main.path("args").toString().contains("--storage.tsdb.path=/prometheus") ? "/prometheus" : "/alertmanager";
            assertThat(main.path("args").toString()).contains(dataFlag);
            List<String> mounts = new ArrayList<>();
            main.path("volumeMounts").forEach(m -> mounts.add(m.path("name").asString() + ":" + m.path("mountPath").asString()));
            assertThat(mounts).contains("data:" + dataFlag, "tmp:/tmp");
            assertThat(s.path("spec").path("volumeClaimTemplates").get(0).path("metadata").path("name").asString()).isEqualTo("data");
        }
        // the server reloads through /-/reload, which needs the lifecycle flag
        assertThat(named("StatefulSet", "specula-server").path("spec").path("template").path("spec").path("containers").toString())
                .contains("--web.enable-lifecycle").contains("/-/reload");
    }
}
