package io.specula.nodeexporter;

import com.google.re2j.Pattern;
import io.specula.model.textparse.MetricType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;

/** {@code vmstat}: the fields of /proc/vmstat matching {@code --collector.vmstat.fields}, untyped as node_exporter has them. */
final class VmstatCollector implements Collector {
    private final Path file;
    private final Pattern fields;
    private final ProcFile f = new ProcFile(1024); // some 180 fields
    /** Per field: {metric name, help}, or an empty array when the field is filtered out. */
    private final HashMap<String, String[]> names = new HashMap<>();

    VmstatCollector(NodeExporterOptions o, Pattern fields) {
        this.file = o.proc("vmstat");
        this.fields = fields;
    }

    @Override
    public String name() {
        return "vmstat";
    }

    @Override
    public void update(Emitter out) throws IOException {
        f.mustRead(file);
        while (f.nextLine()) {
            if (!f.nextField()) {
                continue;
            }
            String key = f.string();
            String[] nh = names.get(key);
            if (nh == null) {
                nh = fields == null || fields.matcher(key).find()
                        ? new String[] {"node_vmstat_" + key, "/proc/vmstat information field " + key + "."}
                        : new String[0];
                names.put(key, nh);
            }
            if (nh.length == 0 || !f.nextField()) {
                continue;
            }
            out.single(nh[0], MetricType.UNKNOWN, nh[1], f.doubleField());
        }
    }
}
