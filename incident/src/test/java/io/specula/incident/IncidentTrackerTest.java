package io.specula.incident;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Grouping and ranking over recorded alert and health states of the story's cascade. */
class IncidentTrackerTest {
    static final long T0 = 1_800_000_000_000L;
    static final Entity APP = Entity.service("app");
    static final Entity AUTH = Entity.service("auth");
    static final Entity DB = Entity.service("db");
    static final Entity SYNC = Entity.service("db-sync");
    static final Entity POD0 = Entity.pod("prod", "db-sync-0");
    static final Entity POD1 = Entity.pod("prod", "db-sync-1");
    static final Entity NODE1 = Entity.node("node-1");
    static final Entity NODE2 = Entity.node("node-2");
    static final Entity BILLING = Entity.service("billing");

    /** The story's topology: app → auth → db → db-sync → its two pods → node-1; billing on node-2. */
    static EntityGraph story() {
        return new EntityGraph.Builder()
                .dependsOn(APP, AUTH, "service graph").dependsOn(AUTH, DB, "service graph")
                .dependsOn(DB, SYNC, "declared").dependsOn(SYNC, POD0, "owner").dependsOn(SYNC, POD1, "owner")
                .dependsOn(POD0, NODE1, "kube_pod_info").dependsOn(POD1, NODE1, "kube_pod_info")
                .dependsOn(BILLING, Entity.pod("prod", "billing-0"), "owner")
                .dependsOn(Entity.pod("prod", "billing-0"), NODE2, "kube_pod_info")
                .dependsOn(APP, Entity.pod("prod", "app-0"), "owner")
                .dependsOn(Entity.pod("prod", "app-0"), NODE2, "kube_pod_info")
                .build();
    }

    static IncidentTracker.ActiveAlert firing(String name, long activeAt, String... labels) {
        return alert("firing", name, activeAt, labels);
    }

    static IncidentTracker.ActiveAlert alert(String state, String name, long activeAt, String... labels) {
        String[] all = new String[labels.length + 2];
        all[0] = "alertname";
        all[1] = name;
        System.arraycopy(labels, 0, all, 2, labels.length);
        return new IncidentTracker.ActiveAlert(Labels.of(all), state, 1, activeAt, state.equals("firing") ? activeAt : 0);
    }

    static Evidence signal(String name, long since, String text) {
        return new Evidence(Evidence.SIGNAL, name, name + "{}", 0.02, since, "", text, name + "{}");
    }

    static final IncidentTracker.ActiveAlert NODE_MEM = firing("NodeMemoryExhausted", T0, "instance", "node-1:9100", "node", "node-1");
    static final IncidentTracker.ActiveAlert OOM0 = firing("PodOOMKilled", T0 + 2000, "namespace", "prod", "pod", "db-sync-0", "job", "kube-state-metrics");
    static final IncidentTracker.ActiveAlert OOM1 = firing("PodOOMKilled", T0 + 2000, "namespace", "prod", "pod", "db-sync-1", "job", "kube-state-metrics");
    static final IncidentTracker.ActiveAlert STALE = firing("DBSyncStale", T0 + 4000, "job", "db");
    static final IncidentTracker.ActiveAlert AUTH_ERR = firing("AuthErrors", T0 + 6000, "job", "auth");
    static final IncidentTracker.ActiveAlert LOGIN = firing("LoginFailures", T0 + 8000, "job", "app");

    @Test
    void cascade_causeFirst_oneIncidentRootedAtTheNode() {
        IncidentTracker t = new IncidentTracker(900_000, null);
        EntityGraph g = story();
        List<IncidentTracker.ActiveAlert> alerts = new ArrayList<>();
        String id = null;
        for (IncidentTracker.ActiveAlert a : List.of(NODE_MEM, OOM0, OOM1, STALE, AUTH_ERR, LOGIN)) {
            alerts.add(a);
            long now = a.activeAtMs();
            t.observe(now, alerts, g, Map.of());
            IncidentTracker.Assignment as = t.assign(a.labels(), a.activeAtMs(), false, now);
            if (id == null) {
                id = as.incidentId();
            }
            assertThat(as.incidentId()).as(a.labels().toString()).isEqualTo(id);
            assertThat(as.rootCause()).isEqualTo("NodeMemoryExhausted on node node-1");
        }
        assertThat(t.incidents()).hasSize(1);
        Incident inc = t.incident(id);
        assertThat(inc.members()).hasSize(6);
        assertThat(inc.path()).extracting(Incident.Hop::entity).containsExactly(APP, AUTH, DB, SYNC, POD0, NODE1);
        assertThat(inc.path().get(4).parallel()).containsExactly(POD1);
        assertThat(inc.path().get(1).via()).isEqualTo("service graph");
        assertThat(inc.path().get(5).evidence()).extracting(Evidence::name).containsExactly("NodeMemoryExhausted");
        assertThat(inc.explanation()).startsWith("service app fails because node node-1 beneath it is unhealthy, through "
                + "service auth → service db → service db-sync → pod prod/db-sync-0 → node node-1");
        assertThat(inc.rootCause().namedAtMs()).isEqualTo(T0);
        assertThat(inc.timeline()).extracting(Incident.Event::type).contains("alert_firing", "root_cause");
    }

    @Test
    void cascade_symptomFirst_causeNamedFromHealthSignals() {
        IncidentTracker t = new IncidentTracker(900_000, null);
        EntityGraph g = story();
        // The data already shows the cascade; only the symptom's alert has fired; the node's waits on its `for`.
        Map<Entity, List<Evidence>> signals = new HashMap<>();
        signals.put(NODE1, List.of(signal("memory_low", T0 - 20_000, "memory available 2.0%")));
        signals.put(POD0, List.of(signal("target_down", T0 - 15_000, "target down")));
        signals.put(POD1, List.of(signal("target_down", T0 - 15_000, "target down")));
        signals.put(DB, List.of(signal("edge_errors", T0 - 5_000, "40% of calls from auth fail")));
        signals.put(AUTH, List.of(signal("edge_errors", T0 - 2_000, "30% of calls from app fail")));
        IncidentTracker.ActiveAlert nodePending = alert("pending", "NodeMemoryExhausted", T0 - 10_000, "node", "node-1");
        t.observe(T0 - 1000, List.of(nodePending), g, signals);
        // LoginFailures fires at its first evaluation: the sink sees it before any observe did.
        IncidentTracker.Assignment first = t.assign(LOGIN.labels(), T0, false, T0);
        assertThat(first.rootCause()).isEqualTo("NodeMemoryExhausted (pending) on node node-1");
        assertThat(first.summary()).contains("service app → service auth → service db → service db-sync → pod prod/db-sync-0 → node node-1");
        // The pending node alert was on its own; the symptom joined it (connected through unhealthy entities).
        assertThat(t.incidents()).hasSize(1);

        List<IncidentTracker.ActiveAlert> alerts = new ArrayList<>(List.of(nodePending, LOGIN, AUTH_ERR, STALE));
        t.observe(T0 + 6000, alerts, g, signals);
        IncidentTracker.ActiveAlert nodeFiring = firing("NodeMemoryExhausted", T0 - 10_000, "node", "node-1");
        alerts.set(0, nodeFiring);
        List<String> changed = t.observe(T0 + 20_000, alerts, g, signals);
        assertThat(changed).containsExactly(first.incidentId()); // pending → firing changes the annotation
        assertThat(t.assign(nodeFiring.labels(), T0 - 10_000, false, T0 + 20_000))
                .isEqualTo(t.assign(LOGIN.labels(), T0, false, T0 + 20_000));
        assertThat(t.current(first.incidentId()).rootCause()).isEqualTo("NodeMemoryExhausted on node node-1");
        assertThat(t.incidents()).hasSize(1);
    }

    @Test
    void alertOnAPodOfAService_walksThroughTheServicesDependencies() {
        Entity db0 = Entity.pod("prod", "db-0");
        EntityGraph g = new EntityGraph.Builder().dependsOn(DB, db0, "target").dependsOn(db0, NODE2, "kube_pod_info")
                .dependsOn(DB, SYNC, "declared").dependsOn(SYNC, POD0, "owner").dependsOn(POD0, NODE1, "kube_pod_info")
                .build();
        IncidentTracker t = new IncidentTracker(900_000, null);
        IncidentTracker.ActiveAlert stale = firing("DBSyncStale", T0, "job", "db", "namespace", "prod", "pod", "db-0");
        t.observe(T0, List.of(stale, OOM0), g, Map.of(NODE1, List.of(signal("memory_low", T0 - 5000, "memory available 2.0%"))));
        Incident inc = t.incidents().getFirst();
        assertThat(t.incidents()).hasSize(1);
        assertThat(inc.path()).extracting(Incident.Hop::entity).containsExactly(db0, SYNC, POD0, NODE1);
        assertThat(inc.path().get(1).via()).isEqualTo("as part of service db: declared");
    }

    @Test
    void causeFiringAtSend_renamesAtOnceAndMarksTheIncidentChanged() {
        IncidentTracker t = new IncidentTracker(900_000, null);
        IncidentTracker.ActiveAlert pending = alert("pending", "NodeMemoryExhausted", T0, "node", "node-1");
        t.observe(T0 + 1000, List.of(pending, OOM0), story(), Map.of());
        String id = t.assign(OOM0.labels(), OOM0.activeAtMs(), false, T0 + 2000).incidentId();
        t.drainChanged();
        assertThat(t.current(id).rootCause()).isEqualTo("NodeMemoryExhausted (pending) on node node-1");
        // The node alert fires: its own notification names it firing, and the incident's other alerts are due again.
        IncidentTracker.Assignment as = t.assign(pending.labels(), T0, false, T0 + 15_000);
        assertThat(as.incidentId()).isEqualTo(id);
        assertThat(as.rootCause()).isEqualTo("NodeMemoryExhausted on node node-1");
        assertThat(t.drainChanged()).containsExactly(id);
        // A snapshot of the rules taken before that send still says pending: no step back.
        t.observe(T0 + 15_500, List.of(pending, OOM0), story(), Map.of());
        assertThat(t.current(id).rootCause()).isEqualTo("NodeMemoryExhausted on node node-1");
        assertThat(t.incident(id).timeline()).extracting(Incident.Event::type).filteredOn("alert_pending"::equals).hasSize(1);
    }

    @Test
    void twoUnrelatedFailures_twoIncidents() {
        IncidentTracker t = new IncidentTracker(900_000, null);
        IncidentTracker.ActiveAlert billing = firing("BillingErrors", T0 + 1000, "job", "billing");
        List<IncidentTracker.ActiveAlert> alerts = List.of(NODE_MEM, OOM0, billing);
        t.observe(T0 + 2000, alerts, story(), Map.of());
        String a = t.assign(NODE_MEM.labels(), T0, false, T0 + 2000).incidentId();
        String b = t.assign(billing.labels(), T0 + 1000, false, T0 + 2000).incidentId();
        assertThat(a).isNotEqualTo(b);
        assertThat(t.assign(OOM0.labels(), T0, false, T0 + 2000).incidentId()).isEqualTo(a);
        assertThat(t.incident(b).rootCause().text()).isEqualTo("BillingErrors on service billing");
        // billing's pod shares no unhealthy entity with node-1's problem, though both run on nodes
        assertThat(t.incidents()).hasSize(2);
    }

    @Test
    void flappingAlert_rejoinsItsIncident() {
        IncidentTracker t = new IncidentTracker(300_000, null);
        EntityGraph g = story();
        String id = null;
        for (int i = 0; i < 6; i++) {
            long now = T0 + i * 20_000L;
            boolean on = i % 2 == 0;
            t.observe(now, on ? List.of(STALE) : List.of(), g, Map.of());
            if (on) {
                String got = t.assign(STALE.labels(), now, false, now).incidentId();
                id = id == null ? got : id;
                assertThat(got).isEqualTo(id);
            }
        }
        assertThat(t.incidents()).hasSize(1);
        assertThat(t.incident(id).timeline()).extracting(Incident.Event::type)
                .containsSubsequence("alert_firing", "alert_resolved", "alert_firing", "alert_resolved", "alert_firing");
        // Quiet longer than the rejoin window: the incident closes and a new firing opens a new one.
        t.observe(T0 + 200_000, List.of(), g, Map.of());
        t.observe(T0 + 600_000, List.of(), g, Map.of());
        assertThat(t.incident(id).state()).isEqualTo("resolved");
        // Its resolved notifications keep the label.
        assertThat(t.assign(STALE.labels(), T0, true, T0 + 600_000).incidentId()).isEqualTo(id);
        IncidentTracker.ActiveAlert again = firing("DBSyncStale", T0 + 610_000, "job", "db");
        t.observe(T0 + 610_000, List.of(again), g, Map.of());
        assertThat(t.assign(again.labels(), T0 + 610_000, false, T0 + 610_000).incidentId()).isNotEqualTo(id);
        assertThat(t.incidents()).hasSize(2);
    }

    @Test
    void noTopology_alertsAreNotMerged() {
        IncidentTracker t = new IncidentTracker(900_000, null);
        List<IncidentTracker.ActiveAlert> alerts = List.of(NODE_MEM, OOM0, OOM1, STALE, AUTH_ERR, LOGIN,
                firing("Watchdog", T0), firing("Other", T0));
        t.observe(T0 + 10_000, alerts, EntityGraph.EMPTY, Map.of());
        assertThat(t.incidents()).hasSize(alerts.size());
        for (Incident i : t.incidents()) {
            assertThat(i.members()).hasSize(1);
        }
    }

    @Test
    void id_isStableForTheSameFirstAlert() {
        assertThat(IncidentTracker.id(LOGIN.labels(), T0)).isEqualTo(IncidentTracker.id(LOGIN.labels(), T0 + 999))
                .hasSize(16).isNotEqualTo(IncidentTracker.id(STALE.labels(), T0));
    }
}
