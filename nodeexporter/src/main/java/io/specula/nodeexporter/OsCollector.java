package io.specula.nodeexporter;

import io.specula.model.labels.Labels;
import io.specula.model.textparse.MetricType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * {@code os}: {@code node_os_info} and {@code node_os_version} from os-release (under the root
 * file system: {@code etc/os-release}, else {@code usr/lib/os-release}), re-read only when the
 * file changes.
 */
final class OsCollector implements Collector {
    private static final String[] INFO_KEYS = {"BUILD_ID", "ID", "ID_LIKE", "IMAGE_ID", "IMAGE_VERSION", "NAME", "PRETTY_NAME",
        "VARIANT", "VARIANT_ID", "VERSION", "VERSION_CODENAME", "VERSION_ID"};
    private static final java.util.regex.Pattern VERSION = java.util.regex.Pattern.compile("^[0-9]+\\.?[0-9]*");

    private final Path[] files;
    private Path cachedFile;
    private FileTime cachedTime;
    private Labels info;
    private Labels versionLabels;
    private double version;

    OsCollector(NodeExporterOptions o) {
        files = new Path[] {o.rootfs().resolve("etc/os-release"), o.rootfs().resolve("usr/lib/os-release")};
    }

    @Override
    public String name() {
        return "os";
    }

    @Override
    public void update(Emitter out) throws IOException {
        load();
        out.family("node_os_info", MetricType.GAUGE, "A metric with a constant '1' value labeled by build_id, id, id_like, "
                + "image_id, image_version, name, pretty_name, variant, variant_id, version, version_codename, version_id.");
        out.sample(info, 1);
        out.family("node_os_version", MetricType.GAUGE, "Metric containing the major.minor part of the OS version.");
        out.sample(versionLabels, version);
    }

    private void load() throws IOException {
        for (Path p : files) {
            FileTime t;
            try {
                t = Files.getLastModifiedTime(p);
            } catch (NoSuchFileException e) {
                continue;
            }
            if (p.equals(cachedFile) && t.equals(cachedTime)) {
                return;
            }
            Map<String, String> m = parse(Files.readString(p, StandardCharsets.UTF_8));
            String[] kv = new String[INFO_KEYS.length * 2];
            for (int i = 0; i < INFO_KEYS.length; i++) {
                kv[2 * i] = INFO_KEYS[i].toLowerCase(java.util.Locale.ROOT);
                kv[2 * i + 1] = m.getOrDefault(INFO_KEYS[i], "");
            }
            info = Labels.of(kv);
            versionLabels = Labels.of("id", m.getOrDefault("ID", ""), "id_like", m.getOrDefault("ID_LIKE", ""),
                    "name", m.getOrDefault("NAME", ""));
            Matcher v = VERSION.matcher(m.getOrDefault("VERSION_ID", ""));
            version = v.find() ? Double.parseDouble(v.group().endsWith(".") ? v.group() + "0" : v.group()) : 0;
            cachedFile = p;
            cachedTime = t;
            return;
        }
        throw new IOException("no os-release file found: " + files[0] + ", " + files[1]);
    }

    /** os-release: KEY=value lines, values optionally in single or double quotes with backslash escapes. */
    static Map<String, String> parse(String text) {
        Map<String, String> m = new HashMap<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            int eq = l.indexOf('=');
            if (l.isEmpty() || l.startsWith("#") || eq <= 0) {
                continue;
            }
            String key = l.substring(0, eq);
            String v = l.substring(eq + 1);
            if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
                v = v.substring(1, v.length() - 1);
                StringBuilder sb = new StringBuilder(v.length());
                for (int i = 0; i < v.length(); i++) {
                    char c = v.charAt(i);
                    if (c == '\\' && i + 1 < v.length()) {
                        c = v.charAt(++i);
                    }
                    sb.append(c);
                }
                v = sb.toString();
            }
            m.put(key, v);
        }
        return m;
    }
}
