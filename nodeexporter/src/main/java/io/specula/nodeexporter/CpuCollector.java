package io.specula.nodeexporter;

import io.specula.model.labels.Labels;
import io.specula.model.textparse.MetricType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code cpu}: {@code node_cpu_seconds_total{cpu,mode}} and (with {@code --collector.cpu.guest},
 * on by default) {@code node_cpu_guest_seconds_total{cpu,mode}} from the {@code cpuN} lines of
 * /proc/stat, in USER_HZ (100 per second on every Linux build node_exporter supports). As
 * node_exporter 1.5, a counter that steps back is held at its last value, unless idle time went
 * back by 3 s or more (a hot-plugged CPU), which starts that CPU over. Thermal throttle counters
 * of sysfs, where the hardware has them, come with it.
 */
final class CpuCollector implements Collector {
    static final double USER_HZ = 100;
    /** /proc/stat's column order. */
    private static final String[] COLUMNS = {"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal", "guest",
        "guest_nice"};
    /** node_exporter's output order (sorted by mode) as column indexes. */
    private static final int[] MODES = {3, 4, 5, 1, 6, 7, 2, 0};

    private static final int IDLE = 3;
    /** node_exporter 1.5's threshold for telling a hot-plugged CPU from counter jitter. */
    private static final double JUMP_BACK_SECONDS = 3.0;

    private final Path file;
    private final Path cpuDir;
    private final ProcFile sys = new ProcFile();
    private final boolean guest;
    private final double[] cur = new double[COLUMNS.length];
    private final ProcFile f = new ProcFile();
    private double[][] values = new double[0][];
    private Labels[][] labels = new Labels[0][];
    private int[] ids = new int[0];
    private int cpus;

    CpuCollector(NodeExporterOptions o) {
        file = o.proc("stat");
        cpuDir = o.sys("devices/system/cpu");
        guest = Boolean.parseBoolean(o.flag("collector.cpu.guest"));
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public void update(Emitter out) throws IOException {
        f.mustRead(file);
        cpus = 0;
        while (f.nextLine()) {
            if (!f.nextField() || !f.fieldStartsWith("cpu") || f.fieldLength() == 3) {
                continue;
            }
            int id = 0;
            for (int i = 3; i < f.fieldLength(); i++) {
                int d = f.fieldByte(i) - '0';
                if (d < 0 || d > 9) {
                    throw new IOException("invalid cpu line in " + file);
                }
                id = id * 10 + d;
            }
            int slot = cpus++;
            ensure(slot + 1);
            Arrays.fill(cur, 0);
            for (int c = 0; c < COLUMNS.length && f.nextField(); c++) {
                cur[c] = f.unsignedField() / USER_HZ;
            }
            double[] v = values[slot];
            if (labels[slot] == null || ids[slot] != id) {
                labels[slot] = cpuLabels(id);
                ids[slot] = id;
                System.arraycopy(cur, 0, v, 0, COLUMNS.length);
            } else if (v[IDLE] - cur[IDLE] >= JUMP_BACK_SECONDS) {
                // idle went back by seconds: a CPU was hot-plugged; start over, as node_exporter does
                System.arraycopy(cur, 0, v, 0, COLUMNS.length);
            } else {
                // smaller backward steps (the kernel's per-CPU accounting jitters) keep the last value
                for (int c = 0; c < COLUMNS.length; c++) {
                    v[c] = Math.max(v[c], cur[c]);
                }
            }
        }
        out.family("node_cpu_seconds_total", MetricType.COUNTER, "Seconds the CPUs spent in each mode.");
        for (int s = 0; s < cpus; s++) {
            for (int m = 0; m < MODES.length; m++) {
                out.sample(labels[s][m], values[s][MODES[m]]);
            }
        }
        if (guest) {
            out.family("node_cpu_guest_seconds_total", MetricType.COUNTER, "Seconds the CPUs spent in guests (VMs) for each mode.");
            for (int s = 0; s < cpus; s++) {
                out.sample(labels[s][MODES.length], values[s][9]);
                out.sample(labels[s][MODES.length + 1], values[s][8]);
            }
        }
        throttles(out);
    }

    /** A thermal throttle counter file and its labels. */
    private record Throttle(Path file, Labels labels) {}

    private List<Throttle> coreThrottles;
    private List<Throttle> packageThrottles;
    private int throttleCpus = -1;

    /**
     * {@code node_cpu_core_throttles_total{package,core}} and {@code node_cpu_package_throttles_total{package}}
     * from each CPU's {@code thermal_throttle} in sysfs, counted once per core and per package.
     * The topology is read again only when the number of CPUs changes.
     */
    private void throttles(Emitter out) throws IOException {
        if (cpus != throttleCpus) {
            throttleCpus = cpus;
            Map<String, Throttle> cores = new TreeMap<>();
            Map<String, Throttle> packages = new TreeMap<>();
            List<Path> dirs;
            try {
                dirs = Dirs.numbered(cpuDir, "cpu");
            } catch (NoSuchFileException e) {
                dirs = List.of();
            }
            for (Path d : dirs) {
                long pkg = sys.readLong(d.resolve("topology/physical_package_id"), -1);
                long core = sys.readLong(d.resolve("topology/core_id"), -1);
                Path tt = d.resolve("thermal_throttle");
                if (pkg < 0 || core < 0 || !Files.isDirectory(tt)) {
                    continue;
                }
                String p = Long.toString(pkg);
                String c = Long.toString(core);
                if (Files.exists(tt.resolve("core_throttle_count"))) {
                    cores.putIfAbsent(p + "/" + c, new Throttle(tt.resolve("core_throttle_count"), Labels.of("package", p, "core", c)));
                }
                if (Files.exists(tt.resolve("package_throttle_count"))) {
                    packages.putIfAbsent(p, new Throttle(tt.resolve("package_throttle_count"), Labels.of("package", p)));
                }
            }
            coreThrottles = List.copyOf(cores.values());
            packageThrottles = List.copyOf(packages.values());
        }
        write(out, coreThrottles, "node_cpu_core_throttles_total", "Number of times this CPU core has been throttled.");
        write(out, packageThrottles, "node_cpu_package_throttles_total", "Number of times this CPU package has been throttled.");
    }

    private void write(Emitter out, List<Throttle> list, String name, String help) throws IOException {
        boolean started = false;
        for (Throttle t : list) {
            long v = sys.readLong(t.file, -1);
            if (v < 0) {
                continue;
            }
            if (!started) {
                out.family(name, MetricType.COUNTER, help);
                started = true;
            }
            out.sample(t.labels, v);
        }
    }

    private static Labels[] cpuLabels(int id) {
        String cpu = Integer.toString(id);
        Labels[] l = new Labels[MODES.length + 2];
        for (int m = 0; m < MODES.length; m++) {
            l[m] = Labels.of("cpu", cpu, "mode", COLUMNS[MODES[m]]);
        }
        l[MODES.length] = Labels.of("cpu", cpu, "mode", "nice");
        l[MODES.length + 1] = Labels.of("cpu", cpu, "mode", "user");
        return l;
    }

    private void ensure(int n) {
        if (values.length < n) {
            int old = values.length;
            values = Arrays.copyOf(values, Math.max(n, old * 2));
            labels = Arrays.copyOf(labels, values.length);
            ids = Arrays.copyOf(ids, values.length);
            for (int i = old; i < values.length; i++) {
                values[i] = new double[COLUMNS.length + 1];
            }
        }
    }
}
