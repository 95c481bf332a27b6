package io.specula.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.discovery.config.KubernetesSdConfig;
import io.specula.discovery.kubernetes.KubeTestSupport.Running;
import io.specula.testsupport.Await;
import io.specula.testsupport.SelfSignedCert;
import io.specula.testsupport.kube.FakeKubeApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In-cluster configuration and kubeconfig files against the fake API server over HTTPS. */
class ClusterAccessTest {
    static SelfSignedCert cert;
    static FakeKubeApiServer fake;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        cert = SelfSignedCert.create(dir);
        fake = new FakeKubeApiServer(cert.keyStore());
        KubeTestSupport.loadFixture(fake);
    }

    @AfterAll
    static void stop() throws Exception {
        fake.close();
    }

    private static KubernetesSdConfig config(String yaml) throws Exception {
        return KubeTestSupport.job(yaml).kubernetesSdConfigs().getFirst();
    }

    @Test
    void inCluster_caTokenNamespaceFileAndTokenRotation(@TempDir Path sa) throws Exception {
        Files.copy(cert.certPem(), sa.resolve("ca.crt"));
        Files.writeString(sa.resolve("token"), "token-1\n");
        Files.writeString(sa.resolve("namespace"), "web");
        ClusterAccess access = ClusterAccess.inCluster(
                Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1", "KUBERNETES_SERVICE_PORT", Integer.toString(fake.port())), sa, true);
        assertThat(access.server()).isEqualTo(fake.url());
        fake.requiredAuthorization = "Bearer token-1";
        KubernetesSdConfig c = config("  - role: pod\n    namespaces: {own_namespace: true}\n");
        try (Running r = new Running(new KubernetesDiscoverer(c, access))) {
            Await.until(Duration.ofSeconds(10), () -> !r.sendTimes.isEmpty());
            // own_namespace: only "web" is watched
            assertThat(r.groups.keySet()).containsExactly("pod/web/web-1");
            // The kubelet rotates the token: the next requests carry the new one, no restart.
            Files.writeString(sa.resolve("token"), "token-2\n");
            fake.requiredAuthorization = "Bearer token-2";
            fake.stop();
            fake.start();
            fake.apply("{\"kind\":\"Pod\",\"metadata\":{\"name\":\"rotated\",\"namespace\":\"web\"},"
                    + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]},\"status\":{\"podIP\":\"10.1.0.90\"}}");
            // The informer reconnects with client-go's doubling backoff (0.8 s, 1.6 s, … while the
            // server restarts), so allow a few rounds of it on a loaded machine.
            Await.until(Duration.ofSeconds(45), () -> r.groups.containsKey("pod/web/rotated"));
            assertThat(fake.lastAuthorization).isEqualTo("Bearer token-2");
        } finally {
            fake.requiredAuthorization = null;
        }
    }

    @Test
    void inCluster_withoutEnvironment_failsWithClientGoWording(@TempDir Path sa) {
        assertThatThrownBy(() -> ClusterAccess.inCluster(Map.of(), sa, false))
                .hasMessage("unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined");
    }

    private static String b64(Path p) throws Exception {
        return Base64.getEncoder().encodeToString(Files.readAllBytes(p));
    }

    @Test
    void kubeconfig_caDataAndToken(@TempDir Path dir) throws Exception {
        Path kc = dir.resolve("config");
        Files.writeString(kc, """
                apiVersion: v1
                kind: Config
                current-context: fake
                contexts:
                - name: other
                  context: {cluster: nowhere, user: nobody}
                - name: fake
                  context: {cluster: fake-cluster, user: fake-user, namespace: web}
                clusters:
                - name: fake-cluster
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: fake-user
                  user:
                    token: kube-token
                """.formatted(fake.url(), b64(cert.certPem())));
        fake.requiredAuthorization = "Bearer kube-token";
        // relative to the directory of the config file that names it
        try (Running r = new Running(KubeTestSupport.job("  - role: node\n    kubeconfig_file: config\n").discoverers(dir).getFirst())) {
            Await.until(Duration.ofSeconds(10), () -> r.groups.containsKey("node/node-1"));
        } finally {
            fake.requiredAuthorization = null;
        }
    }

    @Test
    void kubeconfig_execPluginAndCaFileRelativeToTheKubeconfig(@TempDir Path dir) throws Exception {
        Files.copy(cert.certPem(), dir.resolve("ca.pem"));
        Path plugin = dir.resolve("cred.sh");
        Files.writeString(plugin, """
                #!/bin/sh
                # prints an ExecCredential, as cloud credential plugins do
                echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"exec-'"$CRED_SUFFIX"'"}}'
                """);
        Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path kc = dir.resolve("config");
        Files.writeString(kc, """
                current-context: c
                contexts: [{name: c, context: {cluster: k, user: u}}]
                clusters: [{name: k, cluster: {server: '%s', certificate-authority: ca.pem}}]
                users:
                - name: u
                  user:
                    exec:
                      apiVersion: client.authentication.k8s.io/v1
                      command: ./cred.sh
                      env: [{name: CRED_SUFFIX, value: token}]
                """.formatted(fake.url()));
        fake.requiredAuthorization = "Bearer exec-token";
        try (Running r = new Running(KubeTestSupport.discoverer("  - role: service\n    kubeconfig_file: " + kc + "\n"))) {
            Await.until(Duration.ofSeconds(10), () -> r.groups.containsKey("svc/web/web"));
        } finally {
            fake.requiredAuthorization = null;
        }
    }

    @Test
    void kubeconfig_errors(@TempDir Path dir) throws Exception {
        Path kc = dir.resolve("config");
        Files.writeString(kc, "current-context: missing\ncontexts: []\n");
        assertThatThrownBy(() -> ClusterAccess.kubeconfig(kc))
                .hasMessage("invalid configuration: context was not found for specified context: missing");
    }
}
