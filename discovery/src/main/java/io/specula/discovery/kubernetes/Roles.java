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
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Target groups of the node, pod, service and ingress roles, label for label as Prometheus's
 * Kubernetes discovery builds them, from the objects' JSON as the API server serves it.
 */
final class Roles {
    private Roles() {}

    /** Objects other than the role's own that a group may draw labels from (attach_metadata). */
    interface Lookup {
        /** The node of that name, or null when unknown or not watched. */
        JsonNode node(String name);

        /** The namespace of that name, or null when unknown or not watched. */
        JsonNode namespace(String name);

        /** The pod, or null when unknown or not watched. */
        JsonNode pod(String namespace, String name);

        /** The service, or null when unknown or not watched. */
        JsonNode service(String namespace, String name);
    }

    // ---- node ----

    /** Prometheus's preference among a node's addresses for its target. */
    private static final List<String> NODE_ADDRESS_ORDER =
            List.of("InternalIP", "InternalDNS", "ExternalIP", "ExternalDNS", "LegacyHostIP", "Hostname");

    static TargetGroup node(JsonNode node) {
        String source = "node/" + name(node);
        Map<String, String> ls = new LinkedHashMap<>();
        nodeLabels(ls, node);
        ls.put(PREFIX + "node_provider_id", text(node, "spec", "providerID"));
        Map<String, String> first = new LinkedHashMap<>();
        for (JsonNode a : node.path("status").path("addresses")) {
            first.putIfAbsent(text(a, "type"), text(a, "address"));
        }
        String addr = null;
        for (String t : NODE_ADDRESS_ORDER) {
            if (first.containsKey(t)) {
                addr = first.get(t);
                break;
            }
        }
        if (addr == null) {
            return new TargetGroup(source, List.of(), Meta.labels(ls)); // Prometheus: "No node address found"
        }
        Map<String, String> t = new LinkedHashMap<>();
        String port = Long.toString(node.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port").asLong(0));
        t.put(ADDRESS, joinHostPort(addr, port));
        t.put("instance", name(node));
        first.forEach((type, a) -> t.put(Meta.sanitize(PREFIX + "node_address_" + type), a));
        return new TargetGroup(source, List.of(Meta.labels(t)), Meta.labels(ls));
    }

    /** The node's name, labels and annotations (also what attach_metadata.node adds). */
    static void nodeLabels(Map<String, String> ls, JsonNode node) {
        Meta.objectMeta(ls, node, "node");
    }

    /** attach_metadata.node: the labels of the node named {@code nodeName}, if known. */
    static void attachNode(Map<String, String> ls, Lookup lookup, String nodeName) {
        if (lookup == null || nodeName == null || nodeName.isEmpty()) {
            return;
        }
        JsonNode n = lookup.node(nodeName);
        if (n != null) {
            nodeLabels(ls, n);
        }
    }

    /** attach_metadata.namespace (Prometheus 3): the namespace's labels and annotations. */
    static void attachNamespace(Map<String, String> ls, Lookup lookup, String ns, boolean enabled) {
        if (!enabled || lookup == null) {
            return;
        }
        JsonNode n = lookup.namespace(ns);
        if (n != null) {
            Meta.metadataMap(ls, n.path("metadata").path("labels"), PREFIX + "namespace_label_", PREFIX + "namespace_labelpresent_");
            Meta.metadataMap(ls, n.path("metadata").path("annotations"), PREFIX + "namespace_annotation_",
                    PREFIX + "namespace_annotationpresent_");
        }
    }

    // ---- pod ----

    static String podSource(String ns, String name) {
        return "pod/" + ns + "/" + name;
    }

    /** The pod-level labels (without the namespace), also attached to endpoints targets backed by the pod. */
    static Map<String, String> podLabels(JsonNode pod) {
        Map<String, String> ls = new LinkedHashMap<>();
        ls.put(PREFIX + "pod_ip", text(pod, "status", "podIP"));
        ls.put(PREFIX + "pod_ready", podReady(pod));
        ls.put(PREFIX + "pod_phase", text(pod, "status", "phase"));
        ls.put(PREFIX + "pod_node_name", text(pod, "spec", "nodeName"));
        ls.put(PREFIX + "pod_host_ip", text(pod, "status", "hostIP"));
        ls.put(PREFIX + "pod_uid", text(pod, "metadata", "uid"));
        // Prometheus 3: the first IPv4 and the first IPv6 address of a (dual-stack) pod
        for (JsonNode ip : pod.path("status").path("podIPs")) {
            java.net.InetAddress a = Meta.parseIp(text(ip, "ip"));
            if (a != null) {
                ls.putIfAbsent(PREFIX + (a instanceof java.net.Inet4Address ? "pod_ipv4" : "pod_ipv6"), text(ip, "ip"));
            }
        }
        Meta.objectMeta(ls, pod, "pod");
        for (JsonNode ref : pod.path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) {
                ls.put(PREFIX + "pod_controller_kind", text(ref, "kind"));
                ls.put(PREFIX + "pod_controller_name", text(ref, "name"));
                break;
            }
        }
        return ls;
    }

    private static String podReady(JsonNode pod) {
        for (JsonNode c : pod.path("status").path("conditions")) {
            if ("Ready".equals(text(c, "type"))) {
                return text(c, "status").toLowerCase(Locale.ROOT);
            }
        }
        return "unknown";
    }

    /** Containers then init containers, as Prometheus walks them; {@code init} is true for the latter. */
    record Container(JsonNode spec, boolean init) {}

    static List<Container> containers(JsonNode pod) {
        List<Container> out = new ArrayList<>();
        pod.path("spec").path("containers").forEach(c -> out.add(new Container(c, false)));
        pod.path("spec").path("initContainers").forEach(c -> out.add(new Container(c, true)));
        return out;
    }

    static TargetGroup pod(JsonNode pod, Lookup lookup, boolean attachNode, boolean attachNamespace) {
        String source = podSource(namespace(pod), name(pod));
        String ip = text(pod, "status", "podIP");
        if (ip.isEmpty()) {
            return TargetGroup.empty(source); // starting or evicted
        }
        Map<String, String> ls = podLabels(pod);
        ls.put(NAMESPACE, namespace(pod));
        if (attachNode) {
            attachNode(ls, lookup, text(pod, "spec", "nodeName"));
        }
        attachNamespace(ls, lookup, namespace(pod), attachNamespace);
        List<Labels> targets = new ArrayList<>();
        for (Container c : containers(pod)) {
            String cname = text(c.spec, "name");
            String cid = containerId(pod, cname, c.init);
            JsonNode ports = c.spec.path("ports");
            if (ports.isEmpty()) {
                Map<String, String> t = new LinkedHashMap<>();
                // Without a port an IPv6 address still needs its brackets (RFC 3986), as Prometheus 3 writes it.
                java.net.InetAddress parsed = Meta.parseIp(ip);
                t.put(ADDRESS, parsed instanceof java.net.Inet6Address v6 ? "[" + Meta.goIpv6(v6) + "]" : ip);
                t.put(PREFIX + "pod_container_name", cname);
                t.put(PREFIX + "pod_container_id", cid);
                t.put(PREFIX + "pod_container_image", text(c.spec, "image"));
                t.put(PREFIX + "pod_container_init", Boolean.toString(c.init));
                targets.add(Meta.labels(t));
                continue;
            }
            for (JsonNode p : ports) {
                String port = Long.toString(p.path("containerPort").asLong(0));
                Map<String, String> t = new LinkedHashMap<>();
                t.put(ADDRESS, joinHostPort(ip, port));
                t.put(PREFIX + "pod_container_name", cname);
                t.put(PREFIX + "pod_container_id", cid);
                t.put(PREFIX + "pod_container_image", text(c.spec, "image"));
                t.put(PREFIX + "pod_container_port_number", port);
                t.put(PREFIX + "pod_container_port_name", text(p, "name"));
                t.put(PREFIX + "pod_container_port_protocol", text(p, "protocol"));
                t.put(PREFIX + "pod_container_init", Boolean.toString(c.init));
                targets.add(Meta.labels(t));
            }
        }
        return new TargetGroup(source, targets, Meta.labels(ls));
    }

    private static String containerId(JsonNode pod, String container, boolean init) {
        for (JsonNode s : pod.path("status").path(init ? "initContainerStatuses" : "containerStatuses")) {
            if (container.equals(text(s, "name"))) {
                return text(s, "containerID");
            }
        }
        return "";
    }

    // ---- service ----

    static String serviceSource(String ns, String name) {
        return "svc/" + ns + "/" + name;
    }

    /** The service-level labels, also attached to endpoints groups of the same name. */
    static Map<String, String> serviceLabels(JsonNode svc) {
        Map<String, String> ls = new LinkedHashMap<>();
        ls.put(NAMESPACE, namespace(svc));
        Meta.objectMeta(ls, svc, "service");
        return ls;
    }

    static TargetGroup service(JsonNode svc, Lookup lookup, boolean attachNamespace) {
        Map<String, String> ls = serviceLabels(svc);
        attachNamespace(ls, lookup, namespace(svc), attachNamespace);
        String type = text(svc, "spec", "type");
        List<Labels> targets = new ArrayList<>();
        for (JsonNode p : svc.path("spec").path("ports")) {
            String port = Long.toString(p.path("port").asLong(0));
            Map<String, String> t = new LinkedHashMap<>();
            t.put(ADDRESS, joinHostPort(name(svc) + "." + namespace(svc) + ".svc", port));
            t.put(PREFIX + "service_port_name", text(p, "name"));
            t.put(PREFIX + "service_port_number", port);
            t.put(PREFIX + "service_port_protocol", text(p, "protocol"));
            t.put(PREFIX + "service_type", type);
            if ("ExternalName".equals(type)) {
                t.put(PREFIX + "service_external_name", text(svc, "spec", "externalName"));
            } else {
                t.put(PREFIX + "service_cluster_ip", text(svc, "spec", "clusterIP"));
            }
            if ("LoadBalancer".equals(type)) {
                t.put(PREFIX + "service_loadbalancer_ip", text(svc, "spec", "loadBalancerIP"));
            }
            targets.add(Meta.labels(t));
        }
        return new TargetGroup(serviceSource(namespace(svc), name(svc)), targets, Meta.labels(ls));
    }

    // ---- ingress ----

    static String ingressSource(String ns, String name) {
        return "ingress/" + ns + "/" + name;
    }

    static TargetGroup ingress(JsonNode ing, Lookup lookup, boolean attachNamespace) {
        Map<String, String> ls = new LinkedHashMap<>();
        ls.put(NAMESPACE, namespace(ing));
        Meta.objectMeta(ls, ing, "ingress");
        if (has(ing, "spec", "ingressClassName")) {
            ls.put(PREFIX + "ingress_class_name", text(ing, "spec", "ingressClassName"));
        }
        attachNamespace(ls, lookup, namespace(ing), attachNamespace);
        List<String> tlsHosts = new ArrayList<>();
        for (JsonNode tls : ing.path("spec").path("tls")) {
            tls.path("hosts").forEach(h -> tlsHosts.add(h.asString()));
        }
        List<Labels> targets = new ArrayList<>();
        for (JsonNode rule : ing.path("spec").path("rules")) {
            String host = text(rule, "host");
            String scheme = "http";
            for (String pattern : tlsHosts) {
                if (matchesHostnamePattern(pattern, host)) {
                    scheme = "https";
                    break;
                }
            }
            List<String> paths = new ArrayList<>();
            for (JsonNode p : rule.path("http").path("paths")) {
                String path = text(p, "path");
                paths.add(path.isEmpty() ? "/" : path);
            }
            if (paths.isEmpty()) {
                paths.add("/");
            }
            for (String path : paths) {
                Map<String, String> t = new LinkedHashMap<>();
                t.put(ADDRESS, host);
                t.put(PREFIX + "ingress_scheme", scheme);
                t.put(PREFIX + "ingress_host", host);
                t.put(PREFIX + "ingress_path", path);
                targets.add(Meta.labels(t));
            }
        }
        return new TargetGroup(ingressSource(namespace(ing), name(ing)), targets, Meta.labels(ls));
    }

    /** A TLS host matches a rule's host exactly, or as a leading "*." wildcard of equal depth. */
    static boolean matchesHostnamePattern(String pattern, String host) {
        if (pattern.equals(host)) {
            return true;
        }
        String[] pp = pattern.split("\\.", -1);
        String[] hp = host.split("\\.", -1);
        if (pp.length == 0 || !pp[0].equals("*") || pp.length != hp.length) {
            return false;
        }
        for (int i = 1; i < pp.length; i++) {
            if (!pp[i].equals(hp[i])) {
                return false;
            }
        }
        return true;
    }
}
