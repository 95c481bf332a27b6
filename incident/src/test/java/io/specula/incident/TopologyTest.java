package io.specula.incident;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The entity graph from targets, kube-state-metrics, service-graph series and declarations; health signals. */
class TopologyTest {
    static final long NOW = 1_800_000_000_000L;
    static final long STEP = 1000;

    @Test
    void build_fromTargetsKubeStateMetricsServiceGraphAndDeclarations() throws Exception {
        try (RecordedSeries r = new RecordedSeries()) {
            long t0 = NOW - 60 * STEP;
            r.series("kube_pod_info{namespace=\"prod\",pod=\"db-sync-0\",node=\"node-1\"}", t0, STEP, 1, 1);
            r.series("kube_pod_owner{namespace=\"prod\",pod=\"db-sync-0\",owner_kind=\"StatefulSet\",owner_name=\"db-sync\"}", t0, STEP, 1);
            r.series("kube_pod_owner{namespace=\"prod\",pod=\"app-7c-x\",owner_kind=\"ReplicaSet\",owner_name=\"app-7c\"}", t0, STEP, 1);
            r.series("kube_replicaset_owner{namespace=\"prod\",replicaset=\"app-7c\",owner_kind=\"Deployment\",owner_name=\"app\"}", t0, STEP, 1);
            r.series("traces_service_graph_request_total{client=\"app\",server=\"auth\"}", t0, STEP, 1, 2, 3);
            List<Topology.Target> targets = List.of(
                    new Topology.Target(Labels.of("instance", "10.0.0.7:8080", "job", "db-sync"),
                            Labels.of("__meta_kubernetes_namespace", "prod", "__meta_kubernetes_pod_name", "db-sync-1",
                                    "__meta_kubernetes_pod_node_name", "node-1")),
                    new Topology.Target(Labels.of("instance", "node-1:9100", "job", "node"), Labels.EMPTY),
                    new Topology.Target(Labels.of("instance", "node-2:9100", "job", "node", "node", "node-2"), Labels.EMPTY),
                    new Topology.Target(Labels.of("instance", "auth:80", "job", "auth"), Labels.EMPTY));
            EntityGraph g = Topology.build(targets, r.source,
                    List.of(new Topology.Dependency(Entity.service("db"), Entity.service("db-sync"), "freshness")), NOW);

            Entity node1 = Entity.node("node-1");
            assertThat(g.dependencies(Entity.pod("prod", "db-sync-0"))).containsKey(node1);
            assertThat(g.dependencies(Entity.pod("prod", "db-sync-1"))).containsKey(node1);
            assertThat(g.dependencies(Entity.service("db-sync")))
                    .containsKeys(Entity.pod("prod", "db-sync-0"), Entity.pod("prod", "db-sync-1"));
            assertThat(g.dependencies(Entity.service("app"))).containsKeys(Entity.pod("prod", "app-7c-x"), Entity.service("auth"));
            assertThat(g.dependencies(Entity.service("app")).get(Entity.service("auth")))
                    .contains("traces_service_graph_request_total");
            assertThat(g.dependencies(Entity.service("db")).get(Entity.service("db-sync"))).isEqualTo("declared: freshness");
            // The node exporter's job is no dependency of anything: per-node daemons span nodes.
            assertThat(g.dependencies(Entity.service("node"))).isEmpty();

            // Alerts and series resolve to the most specific entity they name.
            assertThat(g.resolve(Labels.of("alertname", "TargetDown", "instance", "10.0.0.7:8080", "job", "db-sync")))
                    .isEqualTo(Entity.pod("prod", "db-sync-1"));
            assertThat(g.resolve(Labels.of("instance", "node-1:9100", "job", "node"))).isEqualTo(node1);
            assertThat(g.resolve(Labels.of("instance", "ksm:8080", "job", "kube-state-metrics", "pod", "db-sync-0")))
                    .isEqualTo(Entity.pod("prod", "db-sync-0"));
            assertThat(g.resolve(Labels.of("job", "kube-state-metrics", "deployment", "app"))).isEqualTo(Entity.service("app"));
            assertThat(g.resolve(Labels.of("instance", "auth:80", "job", "auth"))).isEqualTo(Entity.service("auth"));
            assertThat(g.resolve(Labels.of("alertname", "Watchdog"))).isNull();
        }
    }

    @Test
    void healthSignals_nameEntityValueAndSince() throws Exception {
        try (RecordedSeries r = new RecordedSeries()) {
            long t0 = NOW - 30 * STEP;
            double[] avail = new double[31];
            double[] up = new double[31];
            for (int i = 0; i <= 30; i++) {
                avail[i] = i < 20 ? 0.5 : 0.02; // exhausted from t0 + 20s on
                up[i] = i < 25 ? 1 : 0;
            }
            r.series("node_memory_MemAvailable_bytes{instance=\"node-1:9100\",job=\"node\",node=\"node-1\"}", t0, STEP, avail);
            r.series("node_memory_MemTotal_bytes{instance=\"node-1:9100\",job=\"node\",node=\"node-1\"}", t0, STEP, fill(31, 1));
            r.series("up{instance=\"10.0.0.7:8080\",job=\"db-sync\",pod=\"db-sync-1\",namespace=\"prod\"}", t0, STEP, up);
            double[] calls = new double[31];
            double[] failed = new double[31];
            for (int i = 0; i <= 30; i++) {
                calls[i] = 10 * i;
                failed[i] = i < 22 ? 0 : 5 * (i - 22);
            }
            r.series("traces_service_graph_request_total{client=\"auth\",server=\"db\"}", t0, STEP, calls);
            r.series("traces_service_graph_request_failed_total{client=\"auth\",server=\"db\"}", t0, STEP, failed);
            Map<Entity, List<Evidence>> h = HealthSignals.read(r.source, EntityGraph.EMPTY, NOW, STEP);

            Evidence mem = h.get(Entity.node("node-1")).getFirst();
            assertThat(mem.name()).isEqualTo("memory_low");
            assertThat(mem.text()).isEqualTo("memory available 2.0%");
            assertThat(mem.sinceMs()).isEqualTo(t0 + 20 * STEP);
            assertThat(mem.series()).contains("node=\"node-1\"");
            Evidence down = h.get(Entity.pod("prod", "db-sync-1")).getFirst();
            assertThat(down.name()).isEqualTo("target_down");
            assertThat(down.sinceMs()).isEqualTo(t0 + 25 * STEP);
            Evidence edge = h.get(Entity.service("db")).getFirst();
            assertThat(edge.name()).isEqualTo("edge_errors");
            assertThat(edge.text()).isEqualTo("13% of calls from auth fail"); // 40 of 300 calls over the 2m window
            assertThat(edge.sinceMs()).isEqualTo(t0 + 25 * STEP); // 15 of 250 > 5%; at 24: 10 of 240
            assertThat(h).doesNotContainKey(Entity.service("auth"));
            // Each evidence graphs as a PromQL expression for its own series, giving the value it reported.
            for (Evidence ev : List.of(mem, down, edge)) {
                List<io.specula.promql.engine.Sample> got = r.source.instant(ev.expr(), NOW);
                assertThat(got).as(ev.expr()).hasSize(1);
                assertThat(got.getFirst().v()).as(ev.expr()).isEqualTo(ev.value());
            }
            assertThat(mem.expr()).isEqualTo("node_memory_MemAvailable_bytes{instance=\"node-1:9100\", job=\"node\", node=\"node-1\"}"
                    + " / node_memory_MemTotal_bytes{instance=\"node-1:9100\", job=\"node\", node=\"node-1\"}");
        }
    }

    static double[] fill(int n, double v) {
        double[] d = new double[n];
        java.util.Arrays.fill(d, v);
        return d;
    }
}
