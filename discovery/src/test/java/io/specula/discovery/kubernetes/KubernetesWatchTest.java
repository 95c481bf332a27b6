package io.specula.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.discovery.kubernetes.KubeTestSupport.Running;
import io.specula.testsupport.Await;
import io.specula.testsupport.kube.FakeKubeApiServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** List and watch against the fake: change latency, API server restarts and outages, 410 Gone. */
class KubernetesWatchTest {
    FakeKubeApiServer fake;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeKubeApiServer();
        KubeTestSupport.loadFixture(fake);
    }

    @AfterEach
    void stop() throws Exception {
        fake.close();
    }

    private Running run(String role) throws Exception {
        KubernetesDiscoverer d = (KubernetesDiscoverer) KubeTestSupport.discoverer(
                "  - role: " + role + "\n    api_server: " + fake.url() + "\n");
        Running r = new Running(d);
        Await.until(Duration.ofSeconds(10), () -> !r.sendTimes.isEmpty());
        return r;
    }

    private static String pod(String name, String ip, String app) {
        return "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"web\",\"labels\":{\"app\":\"" + app + "\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"ports\":[{\"containerPort\":8080}]}]},"
                + "\"status\":{\"phase\":\"Running\",\"podIP\":\"" + ip + "\"}}";
    }

    /** Milliseconds until the condition holds. */
    private static long millisUntil(java.util.function.BooleanSupplier c) throws InterruptedException {
        long t0 = System.nanoTime();
        Await.until(Duration.ofSeconds(5), c);
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    void podAddedModifiedDeleted_reachTargetsWithinASecond() throws Exception {
        AtomicLong adds = new AtomicLong();
        KubernetesMetrics.events((role, event, v) -> {
            if (role.equals("pod") && event.equals("add")) {
                adds.set(v);
            }
        });
        try (Running r = run("pod")) {
            fake.apply(pod("new-1", "10.1.0.50", "a"));
            assertThat(millisUntil(() -> r.groups.containsKey("pod/web/new-1"))).isLessThan(1000);
            fake.apply(pod("new-1", "10.1.0.50", "b"));
            assertThat(millisUntil(() -> "b".equals(r.targets("pod/web/new-1").getFirst()
                    .get("__meta_kubernetes_pod_label_app")))).isLessThan(1000);
            fake.delete("pods", "web", "new-1");
            assertThat(millisUntil(() -> !r.groups.containsKey("pod/web/new-1"))).isLessThan(1000);
        }
        long[] after = {0};
        KubernetesMetrics.events((role, event, v) -> {
            if (role.equals("pod") && event.equals("add")) {
                after[0] = v;
            }
        });
        assertThat(after[0]).isGreaterThan(adds.get());
    }

    @Test
    void apiServerRestart_keepsTargetsAndCatchesUpWithoutBusyLoop() throws Exception {
        try (Running r = run("pod")) {
            var before = Map.copyOf(r.groups);
            long failuresAtStop = KubernetesMetrics.failures();
            fake.stop();
            fake.apply(pod("while-down", "10.1.0.60", "a")); // the store behind the API server changes meanwhile
            Thread.sleep(2500);
            assertThat(r.groups).isEqualTo(before); // nothing retracted while the API server is away
            // connection refused, backing off: the cut watch and two or three retries (0.8 s, 1.6 s later;
            // a loaded machine shifts them), not a spin, which would be hundreds
            assertThat(KubernetesMetrics.failures() - failuresAtStop).isBetween(1L, 6L);
            fake.start();
            Await.until(Duration.ofSeconds(15), () -> r.groups.containsKey("pod/web/while-down"));
            assertThat(r.groups).containsAllEntriesOf(before);

            // An API server answering 500 to everything: a few requests, not a spin.
            long failuresBefore = KubernetesMetrics.failures();
            fake.failWith = 500;
            fake.stop();
            fake.start(); // cut the open watch so the client must come back
            int requestsBefore = fake.requests.get();
            Thread.sleep(3000);
            int requests = fake.requests.get() - requestsBefore;
            assertThat(requests).isBetween(1, 6);
            assertThat(KubernetesMetrics.failures()).isGreaterThan(failuresBefore);
            fake.failWith = 0;
            fake.apply(pod("after-500", "10.1.0.61", "a"));
            Await.until(Duration.ofSeconds(40), () -> r.groups.containsKey("pod/web/after-500"));
        }
    }

    @Test
    void goneResourceVersion_triggersRelist() throws Exception {
        KubernetesDiscoverer d = (KubernetesDiscoverer) KubeTestSupport.discoverer(
                "  - role: pod\n    api_server: " + fake.url() + "\n");
        try (Running r = new Running(d)) {
            Await.until(Duration.ofSeconds(10), () -> !r.sendTimes.isEmpty());
            long lists = d.lists();
            int serverLists = fake.lists.get();
            fake.stop();
            fake.apply(pod("during-gap", "10.1.0.70", "a"));
            fake.delete("pods", "default", "v6");
            fake.compact(); // the client's resourceVersion is now too old to watch from
            fake.start();
            Await.until(Duration.ofSeconds(15), () -> d.lists() > lists);
            assertThat(fake.lists.get()).isGreaterThan(serverLists);
            // The fresh list's difference arrives as changes: the added pod appears, the deleted one goes.
            Await.until(Duration.ofSeconds(5), () -> r.groups.containsKey("pod/web/during-gap")
                    && !r.groups.containsKey("pod/default/v6"));
            assertThat(r.groups).containsKey("pod/web/web-1");
            fake.apply(pod("after-relist", "10.1.0.71", "a"));
            assertThat(millisUntil(() -> r.groups.containsKey("pod/web/after-relist"))).isLessThan(1000);
        }
    }

    @Test
    void manyInformers_allWatchAtOnce() throws Exception {
        // endpointslice role in three namespaces with node and namespace metadata: 11 watches open together
        KubernetesDiscoverer d = (KubernetesDiscoverer) KubeTestSupport.discoverer("  - role: endpointslice\n    api_server: "
                + fake.url() + "\n    namespaces: {names: [web, default, other]}\n    attach_metadata: {node: true, namespace: true}\n");
        try (Running r = new Running(d)) {
            Await.until(Duration.ofSeconds(10), () -> r.groups.containsKey("endpointslice/web/web-x7k2p"));
            int watches = fake.watches.get();
            Await.until(Duration.ofSeconds(10), () -> fake.watches.get() >= 11);
            // a change to the node (watched last) reaches the slice's targets
            fake.apply("{\"kind\":\"Node\",\"metadata\":{\"name\":\"node-1\",\"labels\":{\"rack\":\"r9\"}},"
                    + "\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"10.0.0.1\"}]}}");
            assertThat(millisUntil(() -> "r9".equals(r.targets("endpointslice/web/web-x7k2p").getFirst()
                    .get("__meta_kubernetes_node_label_rack")))).isLessThan(1000);
            assertThat(watches).isPositive();
        }
    }

    @Test
    void bookmarks_advanceTheResourceVersion() throws Exception {
        fake.bookmarkIntervalMillis = 200;
        KubernetesDiscoverer d = (KubernetesDiscoverer) KubeTestSupport.discoverer(
                "  - role: node\n    api_server: " + fake.url() + "\n");
        try (Running r = new Running(d)) {
            Await.until(Duration.ofSeconds(10), () -> !r.sendTimes.isEmpty());
            long lists = d.lists();
            // Only pods change: node watchers see bookmarks carrying the newer version, so a
            // compaction after them does not force the node informer to list again.
            fake.apply(pod("x", "10.1.0.80", "a"));
            String now = Long.toString(fake.resourceVersion());
            Await.until(Duration.ofSeconds(10), () -> d.resourceVersions().equals(java.util.List.of(now)));
            fake.compact();
            fake.stop();
            fake.start();
            int watches = fake.watches.get();
            // Attempts refused while the server restarts back off 0.8, 1.6, 3.2, 6.4 s …: on a busy
            // machine the watch may come back after more than 10 s, which is not what this tests.
            Await.until(Duration.ofSeconds(45), () -> fake.watches.get() > watches);
            Thread.sleep(300);
            assertThat(d.lists()).isEqualTo(lists);
        }
    }

    private static final class Map {
        static <K, V> java.util.Map<K, V> copyOf(java.util.Map<K, V> m) {
            return java.util.Map.copyOf(m);
        }
    }
}
