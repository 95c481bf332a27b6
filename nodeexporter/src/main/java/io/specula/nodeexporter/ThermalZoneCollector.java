package io.specula.nodeexporter;

import io.specula.model.labels.Labels;
import io.specula.model.textparse.MetricType;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code thermal_zone}: zone temperatures and cooling device states of /sys/class/thermal. */
final class ThermalZoneCollector implements Collector {
    private final Path dir;
    private final ProcFile f = new ProcFile();

    ThermalZoneCollector(NodeExporterOptions o) {
        dir = o.sys("class/thermal");
    }

    @Override
    public String name() {
        return "thermal_zone";
    }

    @Override
    public void update(Emitter out) throws IOException {
        List<Labels> zl = new ArrayList<>();
        List<Double> temps = new ArrayList<>();
        for (Path z : list("thermal_zone")) {
            String type = f.readLine(z.resolve("type"));
            long temp;
            try {
                temp = f.readLong(z.resolve("temp"), Long.MIN_VALUE);
            } catch (IOException e) {
                continue; // a zone whose sensor fails to read (EIO, ENODATA) is skipped
            }
            if (type == null || temp == Long.MIN_VALUE) {
                continue;
            }
            zl.add(Labels.of("zone", z.getFileName().toString().substring("thermal_zone".length()), "type", type));
            temps.add(temp / 1000.0);
        }
        if (!zl.isEmpty()) {
            out.family("node_thermal_zone_temp", MetricType.GAUGE, "Zone temperature in Celsius");
            for (int i = 0; i < zl.size(); i++) {
                out.sample(zl.get(i), temps.get(i));
            }
        }
        List<Labels> cl = new ArrayList<>();
        List<long[]> states = new ArrayList<>();
        for (Path c : list("cooling_device")) {
            String type = f.readLine(c.resolve("type"));
            long cur;
            long max;
            try {
                cur = f.readLong(c.resolve("cur_state"), Long.MIN_VALUE);
                max = f.readLong(c.resolve("max_state"), Long.MIN_VALUE);
            } catch (IOException e) {
                continue;
            }
            if (type == null || cur == Long.MIN_VALUE || max == Long.MIN_VALUE) {
                continue;
            }
            cl.add(Labels.of("name", c.getFileName().toString().substring("cooling_device".length()), "type", type));
            states.add(new long[] {cur, max});
        }
        if (!cl.isEmpty()) {
            out.family("node_cooling_device_cur_state", MetricType.GAUGE, "Current throttle state of the cooling device");
            for (int i = 0; i < cl.size(); i++) {
                out.sample(cl.get(i), states.get(i)[0]);
            }
            out.family("node_cooling_device_max_state", MetricType.GAUGE, "Maximum throttle state of the cooling device");
            for (int i = 0; i < cl.size(); i++) {
                out.sample(cl.get(i), states.get(i)[1]);
            }
        }
    }

    private List<Path> list(String prefix) throws IOException {
        try {
            return Dirs.numbered(dir, prefix);
        } catch (NoSuchFileException e) {
            throw new NoDataException("no " + dir);
        }
    }
}
