package io.specula.discovery.moby;

import io.specula.discovery.Discoverer;
import io.specula.discovery.TargetGroup;
import io.specula.discovery.config.DockerSdConfig;
import io.specula.model.labels.Labels;
import io.specula.model.value.GoNet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * {@code docker_sd_configs}: one target per TCP port of every listed container on each of its
 * networks (only the first by name with {@code match_first_network}), or one at {@code port} when
 * it exposes none; containers in host networking get {@code host_networking_host}; containers
 * sharing another's network ({@code container:<id>}) use that one's networks. One group, source
 * {@code Docker}, refreshed every {@code refresh_interval}; a failed refresh keeps the last one.
 */
public final class DockerDiscoverer implements Discoverer {
    static final String PREFIX = "__meta_docker_";

    private final DockerSdConfig config;
    private volatile long failures;

    public DockerDiscoverer(DockerSdConfig config) {
        this.config = config;
    }

    /** Failed refreshes so far. */
    public long failures() {
        return failures;
    }

    @Override
    public void run(Sink sink) throws InterruptedException {
        Refresher.run("docker", config.host, config, config.refreshInterval.millis(), this::refresh, sink, () -> failures++);
    }

    List<TargetGroup> refresh(DockerApi api) throws IOException, InterruptedException {
        JsonNode containers = api.get("/containers/json", config.filters());
        Map<String, Map<String, String>> networkLabels = Networks.labels(api, PREFIX);
        Map<String, JsonNode> byId = new HashMap<>();
        for (JsonNode c : containers) {
            byId.put(Json.text(c, "Id"), c);
        }
        List<Labels> targets = new ArrayList<>();
        for (JsonNode c : containers) {
            JsonNode names = c.path("Names");
            if (!names.isArray() || names.isEmpty()) {
                continue;
            }
            String networkMode = Json.text(c.path("HostConfig"), "NetworkMode");
            Map<String, String> common = new LinkedHashMap<>();
            common.put(PREFIX + "container_id", Json.text(c, "Id"));
            common.put(PREFIX + "container_name", names.get(0).asString());
            common.put(PREFIX + "container_network_mode", networkMode);
            Json.labels(c.path("Labels"), PREFIX + "container_label_", common);

            Map<String, JsonNode> networks = networks(c);
            String mode = networkMode;
            // a container in another's network namespace has no networks of its own: follow the chain
            while (networks.isEmpty() && mode.startsWith("container:")) {
                JsonNode other = byId.get(mode.substring("container:".length()));
                if (other == null) {
                    break;
                }
                networks = networks(other);
                mode = Json.text(other.path("HostConfig"), "NetworkMode");
            }
            if (config.matchFirstNetwork && networks.size() > 1) {
                Map.Entry<String, JsonNode> first = new TreeMap<>(networks).firstEntry();
                networks = Map.of(first.getKey(), first.getValue());
            }
            for (JsonNode n : networks.values()) {
                String ip = Json.text(n, "IPAddress");
                Map<String, String> netLabels = networkLabels.getOrDefault(Json.text(n, "NetworkID"), Map.of());
                boolean added = false;
                for (JsonNode p : c.path("Ports")) {
                    if (!"tcp".equals(Json.text(p, "Type"))) {
                        continue;
                    }
                    Map<String, String> l = new LinkedHashMap<>();
                    l.put(PREFIX + "network_ip", ip);
                    l.put(PREFIX + "port_private", Long.toString(Json.number(p, "PrivatePort")));
                    if (Json.number(p, "PublicPort") > 0) {
                        l.put(PREFIX + "port_public", Long.toString(Json.number(p, "PublicPort")));
                        l.put(PREFIX + "port_public_ip", Json.text(p, "IP"));
                    }
                    l.putAll(common);
                    l.putAll(netLabels);
                    l.put("__address__", GoNet.joinHostPort(ip, Long.toString(Json.number(p, "PrivatePort"))));
                    targets.add(Json.build(l));
                    added = true;
                }
                if (!added) {
                    Map<String, String> l = new LinkedHashMap<>();
                    l.put(PREFIX + "network_ip", ip);
                    l.putAll(common);
                    l.putAll(netLabels);
                    l.put("__address__", "host".equals(networkMode) ? config.hostNetworkingHost
                            : GoNet.joinHostPort(ip, Integer.toString(config.port)));
                    targets.add(Json.build(l));
                }
            }
        }
        return List.of(new TargetGroup("Docker", targets, Labels.EMPTY));
    }

    /** The container's networks by name, null entries left out. */
    private static Map<String, JsonNode> networks(JsonNode c) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        c.path("NetworkSettings").path("Networks").properties().forEach(e -> {
            if (!e.getValue().isNull()) {
                out.put(e.getKey(), e.getValue());
            }
        });
        return out;
    }

}
