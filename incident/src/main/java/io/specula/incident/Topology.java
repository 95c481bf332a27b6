package io.specula.incident;

import io.specula.model.labels.Labels;
import io.specula.promql.engine.Sample;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link EntityGraph} from what the server already has, without configuration:
 * <ul>
 *   <li>scrape targets: a target's {@code pod}/{@code namespace} (or the Kubernetes meta labels
 *       it was discovered with) make its job depend on that pod and its instance stand for it;
 *       {@code node} (or {@code __meta_kubernetes_pod_node_name}) puts the pod on its node; a
 *       target with a node but no pod (node exporter, kubelet) stands for the node;
 *   <li>kube-state-metrics: {@code kube_pod_info{pod,node}} places pods, {@code kube_pod_owner}
 *       (through {@code kube_replicaset_owner} to the Deployment) makes the owning workload, a
 *       service of the same name, depend on its pods;
 *   <li>service-graph metrics ({@code traces_service_graph_request_total{client,server}}, as
 *       Tempo's metrics-generator and the OpenTelemetry servicegraph connector write them):
 *       client depends on server; service names match {@code job}/{@code service} labels;
 *   <li>the declared dependencies of the configuration.
 * </ul>
 * Stateless; thread-safe.
 */
public final class Topology {
    /** How far back kube-state-metrics and service-graph series count as present. */
    static final String WINDOW = "10m";

    private Topology() {}

    /** A scrape target: its public labels and the labels it was discovered with (before relabeling). */
    public record Target(Labels labels, Labels discovered) {}

    /** A declared edge: {@code from} depends on {@code to}. */
    public record Dependency(Entity from, Entity to, String description) {}

    public static EntityGraph build(List<Target> targets, SeriesSource series, List<Dependency> declared, long nowMs) {
        EntityGraph.Builder b = new EntityGraph.Builder();
        for (Target t : targets) {
            target(b, t);
        }
        if (series != null) {
            kubeStateMetrics(b, series, nowMs);
            serviceGraph(b, series, nowMs);
        }
        for (Dependency d : declared) {
            b.dependsOn(d.from(), d.to(), d.description() == null || d.description().isEmpty()
                    ? "declared in the configuration" : "declared: " + d.description());
        }
        // An instance whose host is a known node's name is that node (node exporter on
        // node-1:9100); any other stands for its service.
        for (Target t : targets) {
            Labels l = t.labels();
            Labels d = t.discovered() == null ? Labels.EMPTY : t.discovered();
            if (!first(l.get("pod"), d.get("__meta_kubernetes_pod_name"), l.get("node"),
                    d.get("__meta_kubernetes_pod_node_name"), d.get("__meta_kubernetes_node_name")).isEmpty()) {
                continue;
            }
            String inst = l.get("instance");
            String service = first(l.get("service"), l.get("job"));
            if (!inst.isEmpty() && b.has(Entity.node(host(inst)))) {
                b.instance(inst, Entity.node(host(inst)));
            } else if (!service.isEmpty()) {
                b.entity(Entity.service(service));
                if (!inst.isEmpty()) {
                    b.instance(inst, Entity.service(service));
                }
            }
        }
        return b.build();
    }

    private static void target(EntityGraph.Builder b, Target t) {
        Labels l = t.labels();
        Labels d = t.discovered() == null ? Labels.EMPTY : t.discovered();
        String job = l.get("job");
        String service = first(l.get("service"), job);
        String instance = l.get("instance");
        String pod = first(l.get("pod"), d.get("__meta_kubernetes_pod_name"));
        String ns = first(l.get("namespace"), d.get("__meta_kubernetes_namespace"));
        String node = first(l.get("node"), d.get("__meta_kubernetes_pod_node_name"), d.get("__meta_kubernetes_node_name"));
        String why = "target " + instance + " of job " + job;
        if (!pod.isEmpty()) {
            Entity p = Entity.pod(ns, pod);
            if (!service.isEmpty()) {
                b.dependsOn(Entity.service(service), p, "scrapes pod " + p.name() + " (" + why + ")");
            }
            if (!node.isEmpty()) {
                b.dependsOn(p, Entity.node(node), "runs on node " + node + " (" + why + ")");
            }
            if (!instance.isEmpty()) {
                b.instance(instance, p);
            }
        } else if (!node.isEmpty()) {
            // A per-node daemon (node exporter, kubelet): its job spans nodes and is no dependency.
            b.entity(Entity.node(node));
            if (!instance.isEmpty()) {
                b.instance(instance, Entity.node(node));
            }
        }
        // Targets with neither pod nor node are placed after all nodes are known (see build).
    }

    private static void kubeStateMetrics(EntityGraph.Builder b, SeriesSource s, long now) {
        for (Sample x : s.instant("last_over_time(kube_pod_info[" + WINDOW + "])", now)) {
            String pod = x.labels().get("pod");
            String node = x.labels().get("node");
            if (!pod.isEmpty() && !node.isEmpty()) {
                b.dependsOn(Entity.pod(x.labels().get("namespace"), pod), Entity.node(node),
                        "kube_pod_info{pod=\"" + pod + "\",node=\"" + node + "\"}");
            }
        }
        Map<String, String> replicaSetOwner = new HashMap<>();
        for (Sample x : s.instant("last_over_time(kube_replicaset_owner[" + WINDOW + "])", now)) {
            String owner = x.labels().get("owner_name");
            if (!owner.isEmpty() && !owner.equals("<none>")) {
                replicaSetOwner.put(x.labels().get("namespace") + "/" + x.labels().get("replicaset"), owner);
            }
        }
        for (Sample x : s.instant("last_over_time(kube_pod_owner[" + WINDOW + "])", now)) {
            String pod = x.labels().get("pod");
            String owner = x.labels().get("owner_name");
            String ns = x.labels().get("namespace");
            if (pod.isEmpty() || owner.isEmpty() || owner.equals("<none>")) {
                continue;
            }
            String kind = x.labels().get("owner_kind");
            if (kind.equals("ReplicaSet")) {
                owner = replicaSetOwner.getOrDefault(ns + "/" + owner, owner);
            }
            b.dependsOn(Entity.service(owner), Entity.pod(ns, pod),
                    "kube_pod_owner{pod=\"" + pod + "\",owner_kind=\"" + kind + "\"}: owned by " + owner);
        }
    }

    private static void serviceGraph(EntityGraph.Builder b, SeriesSource s, long now) {
        String q = "group by (client, server) (last_over_time(traces_service_graph_request_total[" + WINDOW + "]))";
        for (Sample x : s.instant(q, now)) {
            String client = x.labels().get("client");
            String server = x.labels().get("server");
            if (!client.isEmpty() && !server.isEmpty()) {
                b.dependsOn(Entity.service(client), Entity.service(server),
                        "traces_service_graph_request_total{client=\"" + client + "\",server=\"" + server + "\"}");
            }
        }
    }

    static String host(String instance) {
        int colon = instance.lastIndexOf(':');
        if (colon > 0 && instance.indexOf(']') < colon) {
            String h = instance.substring(0, colon);
            return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        }
        return instance;
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return "";
    }
}
