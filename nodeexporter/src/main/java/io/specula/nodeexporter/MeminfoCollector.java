package io.specula.nodeexporter;

import io.specula.model.textparse.MetricType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;

/**
 * {@code meminfo}: every line of /proc/meminfo as a gauge {@code node_memory_<Key>[_bytes]},
 * parentheses in keys turned into underscores ({@code Active(anon)} → {@code Active_anon}), kB
 * values in bytes with the {@code _bytes} suffix.
 */
final class MeminfoCollector implements Collector {
    private final Path file;
    private final ProcFile f = new ProcFile(512);
    /** Per key: {metric name, help}, built once. */
    private final HashMap<String, String[]> names = new HashMap<>();

    MeminfoCollector(NodeExporterOptions o) {
        file = o.proc("meminfo");
    }

    @Override
    public String name() {
        return "meminfo";
    }

    @Override
    public void update(Emitter out) throws IOException {
        f.mustRead(file);
        while (f.nextLine()) {
            if (!f.nextField()) {
                continue;
            }
            int n = f.fieldLength();
            if (n > 0 && f.fieldByte(n - 1) == ':') {
                f.narrow(0, n - 1);
            }
            String key = f.string();
            if (!f.nextField()) {
                throw new IOException("invalid line in " + file + ": " + key);
            }
            double v = f.unsignedField();
            boolean kb = f.nextField() && f.fieldIs("kB");
            if (kb) {
                v *= 1024;
            }
            String[] nh = names.get(key);
            if (nh == null || (nh[0].endsWith("_bytes") != kb)) {
                String base = key.replace("(", "_").replace(")", "") + (kb ? "_bytes" : "");
                nh = new String[] {"node_memory_" + base, "Memory information field " + base + "."};
                names.put(key, nh);
            }
            out.single(nh[0], MetricType.GAUGE, nh[1], v);
        }
    }
}
