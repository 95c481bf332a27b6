package io.specula.discovery.kubernetes;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Label helpers shared by the roles: Prometheus's meta label names, sanitizing, object metadata. */
final class Meta {
    private Meta() {}

    static final String PREFIX = "__meta_kubernetes_";
    static final String NAMESPACE = PREFIX + "namespace";
    static final String ADDRESS = "__address__";

    /** Prometheus's {@code strutil.SanitizeLabelName}: every byte outside [a-zA-Z0-9_] becomes '_'. */
    static String sanitize(String name) {
        StringBuilder b = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            if (!ok) {
                if (b == null) {
                    b = new StringBuilder(name.substring(0, i));
                }
                b.append('_');
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? name : b.toString();
    }

    /** A field as text ("" when absent or null). */
    static String text(JsonNode n, String... path) {
        JsonNode cur = n;
        for (String p : path) {
            cur = cur.path(p);
        }
        return cur.isMissingNode() || cur.isNull() || cur.isContainer() ? "" : cur.asString();
    }

    static boolean has(JsonNode n, String... path) {
        JsonNode cur = n;
        for (String p : path) {
            cur = cur.path(p);
        }
        return !cur.isMissingNode() && !cur.isNull();
    }

    static String name(JsonNode obj) {
        return text(obj, "metadata", "name");
    }

    static String namespace(JsonNode obj) {
        return text(obj, "metadata", "namespace");
    }

    /** {@code <role>_name} plus every label and annotation with its {@code …present_} twin. */
    static void objectMeta(Map<String, String> ls, JsonNode obj, String role) {
        String p = PREFIX + role + "_";
        ls.put(p + "name", name(obj));
        metadataMap(ls, obj.path("metadata").path("labels"), p + "label_", p + "labelpresent_");
        metadataMap(ls, obj.path("metadata").path("annotations"), p + "annotation_", p + "annotationpresent_");
    }

    static void metadataMap(Map<String, String> ls, JsonNode map, String prefix, String presentPrefix) {
        map.forEachEntry((k, v) -> {
            String n = sanitize(k);
            ls.put(prefix + n, v.isNull() ? "" : v.asString());
            ls.put(presentPrefix + n, "true");
        });
    }

    /** An IP literal (never a DNS lookup), as Go's {@code net.ParseIP}: null when not one. IPv4-mapped IPv6 is IPv4. */
    static java.net.InetAddress parseIp(String s) {
        if (s == null || s.isEmpty() || !(s.indexOf(':') >= 0 || s.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')))) {
            return null;
        }
        try {
            return java.net.InetAddress.ofLiteral(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** An IPv6 address as Go's {@code net.IP.String} writes it (RFC 5952: lower case, longest zero run as "::"). */
    static String goIpv6(java.net.Inet6Address a) {
        byte[] b = a.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLen - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(g[i]));
        }
        return out.toString();
    }

    /** Go's {@code net.JoinHostPort}. */
    static String joinHostPort(String host, String port) {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    /**
     * The label set; labels with empty values are left out, as Prometheus drops them from a
     * target (an absent label reads as empty in relabeling, so rules behave the same).
     */
    static Labels labels(Map<String, String> ls) {
        LabelsBuilder b = new LabelsBuilder();
        ls.forEach((k, v) -> {
            if (v != null && !v.isEmpty()) {
                b.set(k, v);
            }
        });
        return b.build();
    }
}
