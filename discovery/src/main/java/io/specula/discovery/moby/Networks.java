package io.specula.discovery.moby;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The {@code <prefix>network_*} labels of every network, by network ID (from {@code GET /networks}). */
final class Networks {
    private Networks() {}

    static Map<String, Map<String, String>> labels(DockerApi api, String prefix) throws IOException, InterruptedException {
        Map<String, Map<String, String>> out = new HashMap<>();
        for (JsonNode n : api.get("/networks", null)) {
            Map<String, String> l = new LinkedHashMap<>();
            String id = Json.text(n, "Id");
            l.put(prefix + "network_id", id);
            l.put(prefix + "network_name", Json.text(n, "Name"));
            l.put(prefix + "network_scope", Json.text(n, "Scope"));
            l.put(prefix + "network_internal", Boolean.toString(n.path("Internal").asBoolean(false)));
            l.put(prefix + "network_ingress", Boolean.toString(n.path("Ingress").asBoolean(false)));
            Json.labels(n.path("Labels"), prefix + "network_label_", l);
            out.put(id, l);
        }
        return out;
    }
}
