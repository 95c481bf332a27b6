package io.specula.discovery.kubernetes;

import static io.specula.discovery.kubernetes.Meta.ADDRESS;
import static io.specula.discovery.kubernetes.Meta.NAMESPACE;
import static io.specula.discovery.kubernetes.Meta.PREFIX;
import static io.specula.discovery.kubernetes.Meta.has;
import static io.specula.discovery.kubernetes.Meta.joinHostPort;
import static io.specula.discovery.kubernetes.Meta.name;
import static io.specula.discovery.kubernetes.Meta.namespace;
import static io.specula.discovery.kubernetes.Meta.text;

import io.specula.discovery.TargetGroup;
import io.specula.model.labels.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Target groups of the endpoints and endpointslice roles: one target per address and port,
 * with the service's and the backing pod's labels, plus one target for each container port
 * of a backing pod that no endpoint port names.
 */
final class Endpoints {
    private Endpoints() {}

    static String endpointsSource(String ns, String name) {
        return "endpoints/" + ns + "/" + name;
    }

    static String sliceSource(String ns, String name) {
        return "endpointslice/" + ns + "/" + name;
    }

    /** The pods seen behind a group's addresses, with the ports already targeted. */
    private static final class SeenPods {
        final Map<String, JsonNode> pods = new LinkedHashMap<>();
        final Map<String, List<Long>> ports = new LinkedHashMap<>();

        void add(JsonNode pod, Long port) {
            String key = namespace(pod) + "/" + name(pod);
            pods.putIfAbsent(key, pod);
            List<Long> ps = ports.computeIfAbsent(key, k -> new ArrayList<>());
            if (port != null) {
                ps.add(port);
            }
        }

        /** Targets for the container ports of every seen pod not already covered. */
        void addUncovered(List<Labels> targets) {
            pods.forEach((key, pod) -> {
                String ip = text(pod, "status", "podIP");
                if (ip.isEmpty()) {
                    return;
                }
                List<Long> seen = ports.get(key);
                for (Roles.Container c : Roles.containers(pod)) {
                    for (JsonNode cp : c.spec().path("ports")) {
                        long port = cp.path("containerPort").asLong(0);
                        if (seen.contains(port)) {
                            continue;
                        }
                        Map<String, String> t = new LinkedHashMap<>();
                        t.put(ADDRESS, joinHostPort(ip, Long.toString(port)));
                        containerPortLabels(t, c, cp);
                        t.putAll(Roles.podLabels(pod));
                        targets.add(Meta.labels(t));
                    }
                }
            });
        }
    }

    private static void containerPortLabels(Map<String, String> t, Roles.Container c, JsonNode cp) {
        t.put(PREFIX + "pod_container_name", text(c.spec(), "name"));
        t.put(PREFIX + "pod_container_image", text(c.spec(), "image"));
        t.put(PREFIX + "pod_container_port_name", text(cp, "name"));
        t.put(PREFIX + "pod_container_port_number", Long.toString(cp.path("containerPort").asLong(0)));
        t.put(PREFIX + "pod_container_port_protocol", text(cp, "protocol"));
        t.put(PREFIX + "pod_container_init", Boolean.toString(c.init()));
    }

    /** Pod labels and the labels of the container port the endpoint port names, if any. */
    private static void podTarget(Map<String, String> t, JsonNode pod, Long port) {
        t.putAll(Roles.podLabels(pod));
        if (port == null) {
            return;
        }
        for (Roles.Container c : Roles.containers(pod)) {
            for (JsonNode cp : c.spec().path("ports")) {
                if (cp.path("containerPort").asLong(0) == port) {
                    containerPortLabels(t, c, cp);
                    return;
                }
            }
        }
    }

    private static JsonNode podRef(JsonNode ref, Roles.Lookup lookup) {
        if (ref.isMissingNode() || ref.isNull() || !"Pod".equals(text(ref, "kind"))) {
            return null;
        }
        return lookup.pod(text(ref, "namespace"), text(ref, "name"));
    }

    static TargetGroup endpoints(JsonNode eps, Roles.Lookup lookup, boolean attachNode, boolean attachNamespace) {
        String ns = namespace(eps);
        Map<String, String> ls = new LinkedHashMap<>();
        ls.put(NAMESPACE, ns);
        Meta.objectMeta(ls, eps, "endpoints");
        JsonNode svc = lookup.service(ns, name(eps));
        if (svc != null) {
            ls.putAll(Roles.serviceLabels(svc));
        }
        Roles.attachNamespace(ls, lookup, ns, attachNamespace);
        List<Labels> targets = new ArrayList<>();
        SeenPods seen = new SeenPods();
        for (JsonNode subset : eps.path("subsets")) {
            for (JsonNode port : subset.path("ports")) {
                for (JsonNode addr : subset.path("addresses")) {
                    targets.add(endpointTarget(addr, port, "true", lookup, attachNode, seen));
                }
                for (JsonNode addr : subset.path("notReadyAddresses")) {
                    targets.add(endpointTarget(addr, port, "false", lookup, attachNode, seen));
                }
            }
        }
        seen.addUncovered(targets);
        return new TargetGroup(endpointsSource(ns, name(eps)), targets, Meta.labels(ls));
    }

    private static Labels endpointTarget(JsonNode addr, JsonNode port, String ready, Roles.Lookup lookup,
            boolean attachNode, SeenPods seen) {
        long p = port.path("port").asLong(0);
        Map<String, String> t = new LinkedHashMap<>();
        t.put(ADDRESS, joinHostPort(text(addr, "ip"), Long.toString(p)));
        t.put(PREFIX + "endpoint_port_name", text(port, "name"));
        t.put(PREFIX + "endpoint_port_protocol", text(port, "protocol"));
        t.put(PREFIX + "endpoint_ready", ready);
        JsonNode ref = addr.path("targetRef");
        if (!ref.isMissingNode() && !ref.isNull()) {
            t.put(PREFIX + "endpoint_address_target_kind", text(ref, "kind"));
            t.put(PREFIX + "endpoint_address_target_name", text(ref, "name"));
        }
        if (has(addr, "nodeName")) {
            t.put(PREFIX + "endpoint_node_name", text(addr, "nodeName"));
        }
        t.put(PREFIX + "endpoint_hostname", text(addr, "hostname"));
        if (attachNode) {
            Roles.attachNode(t, lookup, "Node".equals(text(ref, "kind")) ? text(ref, "name") : text(addr, "nodeName"));
        }
        JsonNode pod = podRef(ref, lookup);
        if (pod != null) {
            seen.add(pod, p);
            podTarget(t, pod, p);
        }
        return Meta.labels(t);
    }

    static TargetGroup slice(JsonNode es, Roles.Lookup lookup, boolean attachNode, boolean attachNamespace) {
        String ns = namespace(es);
        Map<String, String> ls = new LinkedHashMap<>();
        ls.put(NAMESPACE, ns);
        ls.put(PREFIX + "endpointslice_address_type", text(es, "addressType"));
        Meta.objectMeta(ls, es, "endpointslice");
        JsonNode svcName = es.path("metadata").path("labels").path("kubernetes.io/service-name");
        if (!svcName.isMissingNode()) {
            JsonNode svc = lookup.service(ns, svcName.asString());
            if (svc != null) {
                ls.putAll(Roles.serviceLabels(svc));
            }
        }
        Roles.attachNamespace(ls, lookup, ns, attachNamespace);
        List<Labels> targets = new ArrayList<>();
        SeenPods seen = new SeenPods();
        for (JsonNode ep : es.path("endpoints")) {
            for (JsonNode port : es.path("ports")) {
                for (JsonNode addr : ep.path("addresses")) {
                    targets.add(sliceTarget(addr.asString(), ep, port, lookup, attachNode, seen));
                }
            }
        }
        seen.addUncovered(targets);
        return new TargetGroup(sliceSource(ns, name(es)), targets, Meta.labels(ls));
    }

    private static Labels sliceTarget(String addr, JsonNode ep, JsonNode port, Roles.Lookup lookup,
            boolean attachNode, SeenPods seen) {
        Long p = has(port, "port") ? port.path("port").asLong() : null;
        Map<String, String> t = new LinkedHashMap<>();
        t.put(ADDRESS, p == null ? addr : joinHostPort(addr, Long.toString(p)));
        optional(t, "endpointslice_port_name", port, "name");
        optional(t, "endpointslice_port_protocol", port, "protocol");
        if (p != null) {
            t.put(PREFIX + "endpointslice_port", Long.toString(p));
        }
        optional(t, "endpointslice_port_app_protocol", port, "appProtocol");
        JsonNode cond = ep.path("conditions");
        optional(t, "endpointslice_endpoint_conditions_ready", cond, "ready");
        optional(t, "endpointslice_endpoint_conditions_serving", cond, "serving");
        optional(t, "endpointslice_endpoint_conditions_terminating", cond, "terminating");
        optional(t, "endpointslice_endpoint_hostname", ep, "hostname");
        JsonNode ref = ep.path("targetRef");
        if (!ref.isMissingNode() && !ref.isNull()) {
            t.put(PREFIX + "endpointslice_address_target_kind", text(ref, "kind"));
            t.put(PREFIX + "endpointslice_address_target_name", text(ref, "name"));
        }
        optional(t, "endpointslice_endpoint_node_name", ep, "nodeName");
        optional(t, "endpointslice_endpoint_zone", ep, "zone");
        Meta.metadataMap(t, ep.path("deprecatedTopology"), PREFIX + "endpointslice_endpoint_topology_",
                PREFIX + "endpointslice_endpoint_topology_present_");
        if (attachNode) {
            Roles.attachNode(t, lookup, "Node".equals(text(ref, "kind")) ? text(ref, "name") : text(ep, "nodeName"));
        }
        JsonNode pod = podRef(ref, lookup);
        if (pod != null) {
            seen.add(pod, p);
            podTarget(t, pod, p);
        }
        return Meta.labels(t);
    }

    private static void optional(Map<String, String> t, String label, JsonNode obj, String field) {
        if (has(obj, field)) {
            t.put(PREFIX + label, obj.path(field).asString());
        }
    }
}
