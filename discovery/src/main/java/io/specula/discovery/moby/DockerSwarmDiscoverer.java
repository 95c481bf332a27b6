package io.specula.discovery.moby;

import io.specula.discovery.Discoverer;
import io.specula.discovery.TargetGroup;
import io.specula.discovery.config.DockerSwarmSdConfig;
import io.specula.model.labels.Labels;
import io.specula.model.value.GoNet;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * {@code dockerswarm_sd_configs}, one role per config, one group with source {@code DockerSwarm}:
 * <ul>
 *   <li>{@code services}: a target per virtual IP and TCP endpoint port (the published port), or
 *       per virtual IP at {@code port} when the service publishes none;
 *   <li>{@code tasks}: a target per host-mode published port at the node's address, then per
 *       network address of the task and TCP port of its service, or at {@code port};
 *   <li>{@code nodes}: a target per node at its address and {@code port}.
 * </ul>
 * Task targets carry their service's and node's labels, and the labels of their container: those
 * of the container itself when this engine can inspect it (Prometheus 3), then the task spec's.
 */
public final class DockerSwarmDiscoverer implements Discoverer {
    static final String PREFIX = "__meta_dockerswarm_";

    private final DockerSwarmSdConfig config;
    private volatile long failures;

    public DockerSwarmDiscoverer(DockerSwarmSdConfig config) {
        this.config = config;
    }

    /** Failed refreshes so far. */
    public long failures() {
        return failures;
    }

    @Override
    public void run(Sink sink) throws InterruptedException {
        Refresher.run("dockerswarm", config.host, config, config.refreshInterval.millis(), this::refresh, sink, () -> failures++);
    }

    List<TargetGroup> refresh(DockerApi api) throws IOException, InterruptedException {
        List<Labels> targets = switch (config.role) {
            case "services" -> services(api);
            case "tasks" -> tasks(api);
            case "nodes" -> nodes(api);
            default -> throw new IllegalStateException("unexpected role " + config.role);
        };
        return List.of(new TargetGroup("DockerSwarm", targets, Labels.EMPTY));
    }

    private String port() {
        return Integer.toString(config.port);
    }

    private List<Labels> services(DockerApi api) throws IOException, InterruptedException {
        JsonNode services = api.get("/services", config.filters());
        Map<String, Map<String, String>> networkLabels = Networks.labels(api, PREFIX);
        List<Labels> out = new ArrayList<>();
        for (JsonNode s : services) {
            JsonNode spec = s.path("Spec");
            JsonNode containerSpec = spec.path("TaskTemplate").path("ContainerSpec");
            Map<String, String> common = new LinkedHashMap<>();
            common.put(PREFIX + "service_id", Json.text(s, "ID"));
            common.put(PREFIX + "service_name", Json.text(spec, "Name"));
            common.put(PREFIX + "service_task_container_hostname", Json.text(containerSpec, "Hostname"));
            common.put(PREFIX + "service_task_container_image", Json.text(containerSpec, "Image"));
            common.put(PREFIX + "service_mode", mode(s));
            if (Json.present(s, "UpdateStatus")) {
                common.put(PREFIX + "service_updating_status", Json.text(s.get("UpdateStatus"), "State"));
            }
            Json.labels(spec.path("Labels"), PREFIX + "service_label_", common);
            JsonNode endpoint = s.path("Endpoint");
            for (JsonNode vip : endpoint.path("VirtualIPs")) {
                String ip = cidrAddress(Json.text(vip, "Addr"));
                Map<String, String> netLabels = networkLabels.getOrDefault(Json.text(vip, "NetworkID"), Map.of());
                boolean added = false;
                for (JsonNode p : endpoint.path("Ports")) {
                    if (!"tcp".equals(Json.text(p, "Protocol"))) {
                        continue;
                    }
                    Map<String, String> l = new LinkedHashMap<>();
                    l.put(PREFIX + "service_endpoint_port_name", Json.text(p, "Name"));
                    l.put(PREFIX + "service_endpoint_port_publish_mode", Json.text(p, "PublishMode"));
                    l.putAll(common);
                    l.putAll(netLabels);
                    l.put("__address__", GoNet.joinHostPort(ip, Long.toString(Json.number(p, "PublishedPort"))));
                    out.add(Json.build(l));
                    added = true;
                }
                if (!added) {
                    Map<String, String> l = new LinkedHashMap<>(common);
                    l.putAll(netLabels);
                    l.put("__address__", GoNet.joinHostPort(ip, port()));
                    out.add(Json.build(l));
                }
            }
        }
        return out;
    }

    private static String mode(JsonNode service) {
        JsonNode m = service.path("Spec").path("Mode");
        if (Json.present(m, "Global")) {
            return "global";
        }
        if (Json.present(m, "Replicated")) {
            return "replicated";
        }
        return "";
    }

    private List<Labels> tasks(DockerApi api) throws IOException, InterruptedException {
        JsonNode tasks = api.get("/tasks", config.filters());
        // services and nodes unfiltered: the filters select tasks only
        Map<String, Map<String, String>> serviceLabels = new HashMap<>();
        Map<String, JsonNode> servicePorts = new HashMap<>();
        for (JsonNode s : api.get("/services", null)) {
            Map<String, String> l = new LinkedHashMap<>();
            l.put(PREFIX + "service_id", Json.text(s, "ID"));
            l.put(PREFIX + "service_name", Json.text(s.path("Spec"), "Name"));
            l.put(PREFIX + "service_mode", mode(s));
            Json.labels(s.path("Spec").path("Labels"), PREFIX + "service_label_", l);
            serviceLabels.put(Json.text(s, "ID"), l);
            servicePorts.put(Json.text(s, "ID"), s.path("Endpoint").path("Ports"));
        }
        Map<String, Map<String, String>> nodeLabels = new HashMap<>();
        for (JsonNode n : api.get("/nodes", null)) {
            Map<String, String> l = new LinkedHashMap<>();
            nodeLabels(n, l, false);
            nodeLabels.put(Json.text(n, "ID"), l);
        }
        Map<String, Map<String, String>> networkLabels = Networks.labels(api, PREFIX);
        Map<String, Map<String, String>> containerLabels = containerLabels(api, tasks);

        List<Labels> out = new ArrayList<>();
        for (JsonNode t : tasks) {
            JsonNode status = t.path("Status");
            Map<String, String> common = new LinkedHashMap<>();
            common.put(PREFIX + "task_id", Json.text(t, "ID"));
            common.put(PREFIX + "task_desired_state", Json.text(t, "DesiredState"));
            common.put(PREFIX + "task_state", Json.text(status, "State"));
            common.put(PREFIX + "task_slot", Long.toString(Json.number(t, "Slot")));
            boolean hasContainer = Json.present(status, "ContainerStatus");
            if (hasContainer) {
                common.put(PREFIX + "task_container_id", Json.text(status.get("ContainerStatus"), "ContainerID"));
            }
            JsonNode containerSpec = t.path("Spec").path("ContainerSpec");
            if (Json.present(t.path("Spec"), "ContainerSpec")) {
                if (hasContainer) {
                    common.putAll(containerLabels.getOrDefault(Json.text(status.get("ContainerStatus"), "ContainerID"), Map.of()));
                }
                Json.labels(containerSpec.path("Labels"), PREFIX + "container_label_", common);
            }
            common.putAll(serviceLabels.getOrDefault(Json.text(t, "ServiceID"), Map.of()));
            common.putAll(nodeLabels.getOrDefault(Json.text(t, "NodeID"), Map.of()));

            // host-mode published ports: reachable on the node's address
            for (JsonNode p : status.path("PortStatus").path("Ports")) {
                if (!"tcp".equals(Json.text(p, "Protocol"))) {
                    continue;
                }
                Map<String, String> l = new LinkedHashMap<>();
                l.put(PREFIX + "task_port_publish_mode", Json.text(p, "PublishMode"));
                l.putAll(common);
                l.put("__address__", GoNet.joinHostPort(common.getOrDefault(PREFIX + "node_address", ""),
                        Long.toString(Json.number(p, "PublishedPort"))));
                out.add(Json.build(l));
            }
            for (JsonNode attachment : t.path("NetworksAttachments")) {
                Map<String, String> netLabels = networkLabels.getOrDefault(Json.text(attachment.path("Network"), "ID"), Map.of());
                for (JsonNode address : attachment.path("Addresses")) {
                    String ip = cidrAddress(address.asString());
                    boolean added = false;
                    for (JsonNode p : servicePorts.getOrDefault(Json.text(t, "ServiceID"), emptyArray())) {
                        if (!"tcp".equals(Json.text(p, "Protocol"))) {
                            continue;
                        }
                        Map<String, String> l = new LinkedHashMap<>();
                        l.put(PREFIX + "task_port_publish_mode", Json.text(p, "PublishMode"));
                        l.putAll(common);
                        l.putAll(netLabels);
                        l.put("__address__", GoNet.joinHostPort(ip, Long.toString(Json.number(p, "PublishedPort"))));
                        out.add(Json.build(l));
                        added = true;
                    }
                    if (!added) {
                        Map<String, String> l = new LinkedHashMap<>(common);
                        l.putAll(netLabels);
                        l.put("__address__", GoNet.joinHostPort(ip, port()));
                        out.add(Json.build(l));
                    }
                }
            }
        }
        return out;
    }

    private static JsonNode emptyArray() {
        return tools.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    }

    /**
     * The labels of the tasks' containers this engine can inspect (Prometheus 3 reads them too);
     * a container that cannot be inspected (on another node, gone) is skipped.
     */
    private static Map<String, Map<String, String>> containerLabels(DockerApi api, JsonNode tasks) throws InterruptedException {
        Map<String, Map<String, String>> out = new HashMap<>();
        for (JsonNode t : tasks) {
            JsonNode cs = t.path("Status").path("ContainerStatus");
            String id = Json.text(cs, "ContainerID");
            if (id.isEmpty() || out.containsKey(id)) {
                continue;
            }
            try {
                JsonNode c = api.getOrNull("/containers/" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8) + "/json");
                if (c == null || !Json.present(c, "Config")) {
                    continue;
                }
                Map<String, String> l = new LinkedHashMap<>();
                Json.labels(c.get("Config").path("Labels"), PREFIX + "container_label_", l);
                out.put(id, l);
            } catch (IOException skipped) {
                // transient: the task keeps its spec labels
            }
        }
        return out;
    }

    private List<Labels> nodes(DockerApi api) throws IOException, InterruptedException {
        List<Labels> out = new ArrayList<>();
        for (JsonNode n : api.get("/nodes", config.filters())) {
            Map<String, String> l = new LinkedHashMap<>();
            nodeLabels(n, l, true);
            l.put("__address__", GoNet.joinHostPort(Json.text(n.path("Status"), "Addr"), port()));
            out.add(Json.build(l));
        }
        return out;
    }

    /** A node's labels; the nodes role adds the engine version and the manager status, as Prometheus does. */
    private static void nodeLabels(JsonNode n, Map<String, String> l, boolean full) {
        JsonNode spec = n.path("Spec");
        JsonNode desc = n.path("Description");
        l.put(PREFIX + "node_id", Json.text(n, "ID"));
        l.put(PREFIX + "node_role", Json.text(spec, "Role"));
        l.put(PREFIX + "node_address", Json.text(n.path("Status"), "Addr"));
        l.put(PREFIX + "node_availability", Json.text(spec, "Availability"));
        l.put(PREFIX + "node_hostname", Json.text(desc, "Hostname"));
        l.put(PREFIX + "node_platform_architecture", Json.text(desc.path("Platform"), "Architecture"));
        l.put(PREFIX + "node_platform_os", Json.text(desc.path("Platform"), "OS"));
        l.put(PREFIX + "node_status", Json.text(n.path("Status"), "State"));
        if (full) {
            l.put(PREFIX + "node_engine_version", Json.text(desc.path("Engine"), "EngineVersion"));
            if (Json.present(n, "ManagerStatus")) {
                JsonNode m = n.get("ManagerStatus");
                l.put(PREFIX + "node_manager_leader", Boolean.toString(m.path("Leader").asBoolean(false)));
                l.put(PREFIX + "node_manager_reachability", Json.text(m, "Reachability"));
                l.put(PREFIX + "node_manager_address", Json.text(m, "Addr"));
            }
        }
        Json.labels(spec.path("Labels"), PREFIX + "node_label_", l);
    }

    /** The address part of {@code a.b.c.d/n} in Go's text form; refuses anything else, as Prometheus does. */
    static String cidrAddress(String cidr) throws IOException {
        int slash = cidr.indexOf('/');
        String ip = slash < 0 ? "" : cidr.substring(0, slash);
        if (slash < 0 || !(ip.indexOf(':') >= 0 || ip.matches("\\d{1,3}(\\.\\d{1,3}){3}"))) {
            throw new IOException("error while parsing address " + cidr + ": invalid CIDR address: " + cidr);
        }
        try {
            return GoNet.ipString(InetAddress.getByName(ip).getAddress());
        } catch (java.net.UnknownHostException e) {
            throw new IOException("error while parsing address " + cidr + ": invalid CIDR address: " + cidr);
        }
    }
}
