package io.specula.discovery.moby;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.discovery.TargetGroup;
import io.specula.discovery.config.DockerFilter;
import io.specula.discovery.config.DockerSdConfig;
import io.specula.discovery.config.DockerSwarmSdConfig;
import io.specula.model.config.PromDuration;
import io.specula.model.labels.Labels;
import io.specula.testsupport.FakeDockerEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Docker and Docker Swarm discovery against the fake Engine API, over its unix socket and over HTTP. */
class DockerDiscoveryTest {
    @TempDir
    Path dir;
    FakeDockerEngine engine;

    @BeforeEach
    void start() throws Exception {
        engine = new FakeDockerEngine(dir.resolve("docker.sock"));
        engine.load("state1.json");
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
    }

    private static DockerSdConfig docker(String host) {
        DockerSdConfig c = new DockerSdConfig();
        c.host = host;
        c.refreshInterval = PromDuration.ofSeconds(5);
        return c;
    }

    private static DockerSwarmSdConfig swarm(String host, String role) {
        DockerSwarmSdConfig c = new DockerSwarmSdConfig();
        c.host = host;
        c.role = role;
        c.refreshInterval = PromDuration.ofSeconds(5);
        return c;
    }

    private static List<Labels> targets(List<TargetGroup> gs, String source) {
        assertThat(gs).hasSize(1);
        assertThat(gs.get(0).source()).isEqualTo(source);
        return gs.get(0).targets();
    }

    private List<Labels> docker(DockerSdConfig c) throws Exception {
        try (DockerApi api = new DockerApi(c.host, c, 5000, "test")) {
            return targets(new DockerDiscoverer(c).refresh(api), "Docker");
        }
    }

    private List<Labels> swarm(DockerSwarmSdConfig c) throws Exception {
        try (DockerApi api = new DockerApi(c.host, c, 5000, "test")) {
            return targets(new DockerSwarmDiscoverer(c).refresh(api), "DockerSwarm");
        }
    }

    private static Labels find(List<Labels> ts, String address, String label, String value) {
        List<Labels> m = ts.stream().filter(l -> address.equals(l.get("__address__")) && (label == null || value.equals(l.get(label)))).toList();
        assertThat(m).as(address + " in " + ts).hasSize(1);
        return m.get(0);
    }

    @Test
    void docker_overUnixSocket_everyLabel() throws Exception {
        List<Labels> ts = docker(docker(engine.unixHost()));
        assertThat(ts).hasSize(6);
        assertThat(find(ts, "172.17.0.2:8080", "__meta_docker_port_public_ip", "::").toString()).isEqualTo(
                "{__address__=\"172.17.0.2:8080\", "
                        + "__meta_docker_container_id=\"c0web000000000000000000000000000000000000000000000000000000000001\", "
                        + "__meta_docker_container_label_com_example_service=\"web\", "
                        + "__meta_docker_container_label_maintainer=\"ops@example.org\", "
                        + "__meta_docker_container_label_prometheus_io_scrape=\"true\", "
                        + "__meta_docker_container_name=\"/web\", __meta_docker_container_network_mode=\"bridge\", "
                        + "__meta_docker_network_id=\"b1a7e0c3d0e2f1a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8\", "
                        + "__meta_docker_network_ingress=\"false\", __meta_docker_network_internal=\"false\", "
                        + "__meta_docker_network_ip=\"172.17.0.2\", __meta_docker_network_name=\"bridge\", "
                        + "__meta_docker_network_scope=\"local\", __meta_docker_port_private=\"8080\", "
                        + "__meta_docker_port_public=\"18080\", __meta_docker_port_public_ip=\"::\"}");
        // no TCP port: one target at `port`; internal network with its own labels
        assertThat(find(ts, "10.0.1.20:80", null, null).get("__meta_docker_network_label_team")).isEqualTo("core");
        assertThat(find(ts, "172.20.0.3:9187", null, null).get("__meta_docker_network_internal")).isEqualTo("true");
        // host networking: host_networking_host, no IP label
        Labels host = find(ts, "localhost", null, null);
        assertThat(host.get("__meta_docker_network_ip")).isEmpty();
        assertThat(host.get("__meta_docker_container_label_job")).isEqualTo("node");
        // the exited container is not listed by default
        assertThat(ts).noneMatch(l -> "/old-batch".equals(l.get("__meta_docker_container_name")));
        assertThat(engine.requests).anyMatch(r -> r.startsWith("/_ping"))
                .anyMatch(r -> r.startsWith("/v" + FakeDockerEngine.API_VERSION + "/containers/json"));
    }

    @Test
    void docker_overHttp_filtersPortAndHostNetworkingHost() throws Exception {
        DockerSdConfig c = docker(engine.httpHost());
        DockerFilter f = new DockerFilter();
        f.name = "label";
        f.values = List.of("job", "com.example.service=db");
        c.filters = List.of(f);
        c.port = 9999;
        c.hostNetworkingHost = "10.1.1.1:9100";
        List<Labels> ts = docker(c);
        assertThat(ts).extracting(l -> l.get("__address__")).containsExactlyInAnyOrder("10.1.1.1:9100", "172.20.0.3:5432", "172.20.0.3:9187");
        assertThat(engine.requests).anyMatch(r -> r.contains("filters=") && r.contains("containers/json"));
    }

    @Test
    void docker_multipleNetworks_firstByNameUnlessDisabled_sharedNetworkNamespaceFollowed() throws Exception {
        engine.set("containers", """
                [{"Id":"aaa","Names":["/multi"],"State":"running","Ports":[],"Labels":{},"HostConfig":{"NetworkMode":"zeta"},
                  "NetworkSettings":{"Networks":{"zeta":{"NetworkID":"z","IPAddress":"10.9.0.2"},"alpha":{"NetworkID":"a","IPAddress":"10.8.0.2"}}}},
                 {"Id":"bbb","Names":["/sidecar"],"State":"running","Ports":[{"PrivatePort":9090,"Type":"tcp"}],"Labels":{},
                  "HostConfig":{"NetworkMode":"container:aaa"},"NetworkSettings":{"Networks":{}}}]
                """);
        engine.set("networks", "[]");
        List<Labels> first = docker(docker(engine.unixHost()));
        assertThat(first).extracting(l -> l.get("__address__")).containsExactlyInAnyOrder("10.8.0.2:80", "10.8.0.2:9090");
        DockerSdConfig all = docker(engine.unixHost());
        all.matchFirstNetwork = false;
        assertThat(docker(all)).extracting(l -> l.get("__address__"))
                .containsExactlyInAnyOrder("10.8.0.2:80", "10.9.0.2:80", "10.8.0.2:9090", "10.9.0.2:9090");
    }

    @Test
    void swarmServices_vipsTimesTcpPorts_orFallbackPort() throws Exception {
        List<Labels> ts = swarm(swarm(engine.unixHost(), "services"));
        assertThat(ts).extracting(l -> l.get("__address__"))
                .containsExactlyInAnyOrder("10.0.0.5:8080", "10.0.1.2:8080", "10.0.1.4:9100", "10.0.1.8:80");
        assertThat(find(ts, "10.0.0.5:8080", null, null).toString()).isEqualTo("{__address__=\"10.0.0.5:8080\", "
                + "__meta_dockerswarm_network_id=\"ingress000000000000000000000000000000000000000000000000000000003\", "
                + "__meta_dockerswarm_network_ingress=\"true\", __meta_dockerswarm_network_internal=\"false\", "
                + "__meta_dockerswarm_network_name=\"ingress\", __meta_dockerswarm_network_scope=\"swarm\", "
                + "__meta_dockerswarm_service_endpoint_port_name=\"http\", "
                + "__meta_dockerswarm_service_endpoint_port_publish_mode=\"ingress\", "
                + "__meta_dockerswarm_service_id=\"svcweb000000000000000000001\", "
                + "__meta_dockerswarm_service_label_com_docker_stack_namespace=\"app\", "
                + "__meta_dockerswarm_service_label_prometheus_scrape=\"true\", "
                + "__meta_dockerswarm_service_mode=\"replicated\", __meta_dockerswarm_service_name=\"app_web\", "
                + "__meta_dockerswarm_service_task_container_hostname=\"web-{{.Task.Slot}}\", "
                + "__meta_dockerswarm_service_task_container_image=\"nginx:1.25@sha256:0a1b2c\", "
                + "__meta_dockerswarm_service_updating_status=\"completed\"}");
        assertThat(find(ts, "10.0.1.4:9100", null, null).get("__meta_dockerswarm_service_mode")).isEqualTo("global");
    }

    @Test
    void swarmTasks_hostModePortOnNodeAddress_networkAddressesOtherwise() throws Exception {
        List<Labels> ts = swarm(swarm(engine.httpHost(), "tasks"));
        assertThat(ts).extracting(l -> l.get("__address__")).containsExactlyInAnyOrder(
                "10.0.0.6:8080", "10.0.1.3:8080", "10.0.0.7:8080", "10.0.1.5:8080", "192.168.1.10:9100", "10.0.1.9:9100", "10.0.1.10:80");
        Labels host = find(ts, "192.168.1.10:9100", null, null);
        assertThat(host.toString()).isEqualTo("{__address__=\"192.168.1.10:9100\", "
                + "__meta_dockerswarm_node_address=\"192.168.1.10\", __meta_dockerswarm_node_availability=\"active\", "
                + "__meta_dockerswarm_node_hostname=\"mgr-1\", __meta_dockerswarm_node_id=\"node1id0000000000000000001\", "
                + "__meta_dockerswarm_node_label_zone=\"a\", __meta_dockerswarm_node_platform_architecture=\"x86_64\", "
                + "__meta_dockerswarm_node_platform_os=\"linux\", __meta_dockerswarm_node_role=\"manager\", "
                + "__meta_dockerswarm_node_status=\"ready\", "
                + "__meta_dockerswarm_service_id=\"svcexporter0000000000000002\", "
                + "__meta_dockerswarm_service_label_com_docker_stack_namespace=\"app\", "
                + "__meta_dockerswarm_service_mode=\"global\", __meta_dockerswarm_service_name=\"app_exporter\", "
                + "__meta_dockerswarm_task_container_id=\"ctexp1cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc\", "
                + "__meta_dockerswarm_task_desired_state=\"running\", __meta_dockerswarm_task_id=\"task3exp00000000000000003\", "
                + "__meta_dockerswarm_task_port_publish_mode=\"host\", __meta_dockerswarm_task_slot=\"0\", "
                + "__meta_dockerswarm_task_state=\"running\"}");
        Labels web = find(ts, "10.0.1.3:8080", null, null);
        assertThat(web.get("__meta_dockerswarm_container_label_com_example_tier")).isEqualTo("web");
        assertThat(web.get("__meta_dockerswarm_network_label_team")).isEqualTo("core");
        assertThat(web.get("__meta_dockerswarm_task_port_publish_mode")).isEqualTo("ingress");
        assertThat(find(ts, "10.0.1.10:80", null, null).get("__meta_dockerswarm_task_container_id")).isEmpty();
    }

    @Test
    void swarmTasks_inspectableContainerLabels_underSpecLabels() throws Exception {
        engine.set("containers", """
                [{"Id":"ctweb1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","Names":["/app_web.1.x"],"State":"running",
                  "Labels":{"org.opencontainers.image.version":"1.25","role":"from-image"}}]
                """);
        List<Labels> ts = swarm(swarm(engine.unixHost(), "tasks"));
        Labels web = find(ts, "10.0.1.3:8080", null, null);
        assertThat(web.get("__meta_dockerswarm_container_label_org_opencontainers_image_version")).isEqualTo("1.25");
        assertThat(web.get("__meta_dockerswarm_container_label_role")).isEqualTo("frontend");
    }

    @Test
    void swarmNodes_managerStatusAndEngineVersion() throws Exception {
        DockerSwarmSdConfig c = swarm(engine.unixHost(), "nodes");
        c.port = 9323;
        List<Labels> ts = swarm(c);
        assertThat(find(ts, "192.168.1.10:9323", null, null).toString()).isEqualTo("{__address__=\"192.168.1.10:9323\", "
                + "__meta_dockerswarm_node_address=\"192.168.1.10\", __meta_dockerswarm_node_availability=\"active\", "
                + "__meta_dockerswarm_node_engine_version=\"24.0.7\", __meta_dockerswarm_node_hostname=\"mgr-1\", "
                + "__meta_dockerswarm_node_id=\"node1id0000000000000000001\", __meta_dockerswarm_node_label_zone=\"a\", "
                + "__meta_dockerswarm_node_manager_address=\"192.168.1.10:2377\", __meta_dockerswarm_node_manager_leader=\"true\", "
                + "__meta_dockerswarm_node_manager_reachability=\"reachable\", "
                + "__meta_dockerswarm_node_platform_architecture=\"x86_64\", __meta_dockerswarm_node_platform_os=\"linux\", "
                + "__meta_dockerswarm_node_role=\"manager\", __meta_dockerswarm_node_status=\"ready\"}");
        Labels worker = find(ts, "192.168.1.11:9323", null, null);
        assertThat(worker.get("__meta_dockerswarm_node_label_disk_type")).isEqualTo("ssd");
        assertThat(worker.get("__meta_dockerswarm_node_manager_leader")).isEmpty();
        DockerFilter role = new DockerFilter();
        role.name = "role";
        role.values = List.of("worker");
        c.filters = List.of(role);
        assertThat(swarm(c)).hasSize(1);
    }

    @Test
    void docker_overHttpsWithCaAndBasicAuth_refusedWithoutTheCa() throws Exception {
        Path ks = dir.resolve("engine.p12");
        keytool("-genkeypair", "-alias", "engine", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", ks.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit");
        Path ca = dir.resolve("ca.pem");
        keytool("-exportcert", "-rfc", "-alias", "engine", "-keystore", ks.toString(), "-storepass", "changeit", "-file", ca.toString());
        try (FakeDockerEngine secure = new FakeDockerEngine(dir.resolve("secure.sock"), ks, "changeit")) {
            secure.load("state1.json");
            secure.requiredAuthorization = "Basic " + java.util.Base64.getEncoder().encodeToString("prom:pw".getBytes());
            DockerSdConfig c = docker(secure.httpsHost());
            c.tlsConfig = new io.specula.model.config.HttpClientConfig.TlsConfig();
            c.tlsConfig.caFile = ca.toString();
            c.basicAuth = new io.specula.model.config.HttpClientConfig.BasicAuth();
            c.basicAuth.username = "prom";
            c.basicAuth.password = io.specula.model.config.Secret.of("pw");
            assertThat(docker(c)).hasSize(6);
            DockerSdConfig untrusted = docker(secure.httpsHost());
            untrusted.basicAuth = c.basicAuth;
            assertThatThrownBy(() -> docker(untrusted)).isInstanceOf(IOException.class);
            // the socket does not go through the HTTP client settings (as in Prometheus), so no credentials reach it
            secure.requiredAuthorization = null;
            DockerSdConfig unix = docker(secure.unixHost());
            unix.basicAuth = c.basicAuth;
            assertThat(docker(unix)).hasSize(6);
            assertThat(secure.requests).isNotEmpty();
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    @Test
    void engineError_refreshFails_runKeepsLastGroupsAndRecovers() throws Exception {
        DockerSwarmSdConfig c = swarm(engine.unixHost(), "nodes");
        c.refreshInterval = PromDuration.ofMillis(100);
        DockerSwarmDiscoverer d = new DockerSwarmDiscoverer(c);
        List<List<TargetGroup>> sent = new CopyOnWriteArrayList<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                d.run(sent::add);
            } catch (InterruptedException stopped) {
                // done
            }
        });
        try {
            io.specula.testsupport.Await.until(java.time.Duration.ofSeconds(5), () -> !sent.isEmpty());
            engine.failWith = 500;
            io.specula.testsupport.Await.until(java.time.Duration.ofSeconds(5), () -> d.failures() >= 2);
            int before = sent.size();
            engine.failWith = 0;
            engine.load("state2.json");
            io.specula.testsupport.Await.until(java.time.Duration.ofSeconds(5), () -> sent.size() > before);
            assertThat(sent.get(sent.size() - 1).get(0).targets()).anyMatch(l -> "drain".equals(l.get("__meta_dockerswarm_node_availability")));
        } finally {
            t.interrupt();
        }
        DockerFilter bad = new DockerFilter();
        bad.name = "colour";
        bad.values = List.of("blue");
        c.filters = List.of(bad);
        assertThatThrownBy(() -> swarm(c)).isInstanceOf(IOException.class).hasMessageContaining("invalid filter 'colour'");
    }
}
