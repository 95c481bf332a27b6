package io.specula.discovery.moby;

import io.specula.discovery.MetaLabels;
import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Reading Engine API JSON the way Go's decoder fills structs: absent or null fields are zero values. */
final class Json {
    private Json() {}

    static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isValueNode() && !v.isNull() ? v.asString() : "";
    }

    static long number(JsonNode n, String field) {
        return n.path(field).asLong(0);
    }

    static boolean present(JsonNode n, String field) {
        return n.has(field) && !n.get(field).isNull();
    }

    /** Adds a Docker label map as {@code prefix + sanitized key}. */
    static void labels(JsonNode map, String prefix, Map<String, String> into) {
        if (map != null && map.isObject()) {
            map.properties().forEach(e -> into.put(prefix + MetaLabels.sanitize(e.getKey()), e.getValue().isNull() ? "" : e.getValue().asString()));
        }
    }

    /** A target's labels; empty values are left out, as Prometheus's label builder does. */
    static Labels build(Map<String, String> m) {
        LabelsBuilder b = new LabelsBuilder();
        m.forEach((k, v) -> {
            if (v != null && !v.isEmpty()) {
                b.set(k, v);
            }
        });
        return b.build();
    }
}
